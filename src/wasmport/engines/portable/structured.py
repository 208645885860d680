"""The structured translation: Wasm control flow as Python control flow.

A label some branch targets becomes ``while True:`` (a ``block`` ends with
``break``; a branch to a ``loop`` is ``continue``); untargeted blocks are
emitted inline. A branch out of several Python loops sets ``_br`` to the
target's number and breaks; after each loop it crossed, a check continues the
break or lands. ``try_table`` becomes ``try``/``except THROWN``. Functions
whose nesting exceeds Python's limits use :mod:`.flat` instead.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from ...syntax.ast import Catch
from .ops import catch_moves
from .stackmodel import moves
from .translator import Frame, FrameKind, Translator


class StructuredTranslator(Translator):
    strategy = "structured"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lines: List[str] = []
        self.level = 1
        self._marks: Dict[int, int] = {}
        self._br_line = 0
        #: Whether some branch passes through loops with ``_br``.
        self.uses_br = False

    def retarget_last(self, old_target: str, new_target: str) -> bool:
        lines = self.lines
        prefix = "    " * self.level + old_target + " = "
        if self.stack.pending or not lines or not lines[-1].startswith(prefix):
            return False
        lines[-1] = "    " * self.level + new_target + " = " + lines[-1][len(prefix):]
        return True

    def write(self, line: str) -> None:
        self.lines.append("    " * self.level + line + self.tag)

    def line_lists(self) -> List[List[str]]:
        return [self.lines]

    # ------------------------------------------------------------ jumps

    def innermost_loop(self) -> Optional[Frame]:
        for frame in reversed(self.ctrl):
            if frame.py_loop:
                return frame
        return self.restart

    def jump(self, frame: Frame) -> None:
        """Leave for ``frame``'s label (its values are already in place)."""
        inner = self.innermost_loop()
        if inner is frame:
            self.emit("continue" if frame.kind is FrameKind.LOOP else "break")
            return
        if inner is not None and self._exits_into(inner, frame):
            frame.exited_by_tail = True
            self.emit("break")
            return
        self.uses_br = True
        self.emit(f"_br = {frame.ident}")
        self.emit("break")
        for crossed in reversed(self.ctrl):
            if crossed is frame:
                break
            if crossed.py_loop:
                crossed.crossed.add(frame.ident)

    def branch(self, frame: Frame) -> None:
        if frame.kind is FrameKind.FUNC:
            self.emit(self.return_line())
            return
        self.move_to(frame)
        self.jump(frame)

    def branch_if(self, condition: str, frame: Frame) -> None:
        self.emit(f"if {condition}:")
        self.level += 1
        self.branch(frame)
        self.level -= 1

    def branch_table(self, index: str, targets: Sequence[Frame], default: Frame) -> None:
        cases: Dict[int, int] = {}
        distinct: List[Frame] = []
        for frame in list(targets) + [default]:
            if frame.ident not in cases:
                cases[frame.ident] = len(distinct)
                distinct.append(frame)
        if len(distinct) == 1:
            self.branch(default)
            return
        table = self.constant(repr(tuple(cases[frame.ident] for frame in targets)))
        self.emit(f"_i = {index}")
        self.emit(f"_k = {table}[_i] if _i < {len(targets)} else {cases[default.ident]}")
        for number, frame in enumerate(distinct):
            if number < len(distinct) - 1:
                self.emit(f"if _k == {number}:")
                self.level += 1
                self.branch(frame)
                self.level -= 1
            else:
                self.branch(frame)

    def _exits_into(self, inner: Frame, frame: Frame) -> bool:
        """Whether leaving ``inner``'s loop reaches the end of ``frame``'s body with
        nothing to run or move on the way (``inner`` ends ``frame``'s body)."""
        position = len(self.ctrl) - 1
        while self.ctrl[position] is not inner:
            position -= 1
        return (
            position > 0
            and self.ctrl[position - 1] is frame
            and frame.kind is FrameKind.BLOCK
            and frame.arity == 0
            and inner.kind in (FrameKind.BLOCK, FrameKind.LOOP)
            and inner.instr is not None
            and id(inner.instr) in self.analysis.tail_nested
        )

    # ------------------------------------------------------------ loops for labels

    def open_loop(self, frame: Frame) -> None:
        self.emit("while True:")
        frame.py_loop = True
        self.level += 1
        frame.indent = self.level

    def close_loop(self, frame: Frame) -> None:
        if not self.dead:
            self.emit_results(frame)
            self.emit("break")
        elif frame.exited_by_tail:
            self.emit("break")
        self.level = frame.indent - 1
        frame.py_loop = False
        self.propagate(frame)

    def propagate(self, frame: Frame) -> None:
        """After a loop some branch broke through: land there or keep breaking."""
        if not frame.crossed:
            return
        outer = self.innermost_loop()
        self.emit("if _br:")
        self.level += 1
        if outer is not None and outer.ident in frame.crossed:
            self.emit(f"if _br == {outer.ident}:")
            self.emit("    _br = 0")
            self.emit("    continue" if outer.kind is FrameKind.LOOP else "    break")
        others = frame.crossed - ({outer.ident} if outer is not None else set())
        if others:
            self.emit("break")
            if outer is not None:
                outer.crossed |= others
        self.level -= 1

    def emit_results(self, frame: Frame) -> None:
        line = moves(frame.base, self.stack.top(frame.results))
        if line:
            self.emit(line)

    def mark(self, frame: Frame) -> None:
        self.flush()
        self._marks[frame.ident] = len(self.lines)

    def pass_if_empty(self, frame: Frame) -> None:
        self.flush()
        if len(self.lines) == self._marks.get(frame.ident, -1):
            self.write("pass")

    # ------------------------------------------------------------ hooks

    def begin_function(self, root: Frame) -> None:
        if self.func_index in self.analysis.tail_callees:
            # Self tail calls become a loop around the body (locals re-zeroed).
            prologue = self.prologue()
            split = prologue.index("e = d + 1") + 1
            for line in prologue[:split]:
                self.write(line)
            self.restart = Frame(FrameKind.LOOP, None, 0, 0, 0, False, -1)
            self.restart.py_loop = True
            self.write("while True:")
            self.level += 1
            for line in prologue[split:]:
                self.write(line)
        else:
            for line in self.prologue():
                self.write(line)
        self._br_line = len(self.lines)
        self.write("_br = 0")
        self.enter_checks()

    def restart_call(self, args: Sequence[str]) -> None:
        restart = self.restart
        if restart is None:
            return
        if args:
            params = ", ".join(f"l{index}" for index in range(self.params))
            self.emit(f"{params} = {', '.join(args)}")
        self.jump(restart)

    def end_function(self, root: Frame) -> None:
        if not self.dead:
            self.emit(self.return_line())
        if not self.uses_br:
            del self.lines[self._br_line]

    def begin_block(self, frame: Frame) -> None:
        self.stack.spill_all()
        if frame.targeted:
            self.open_loop(frame)

    def end_block(self, frame: Frame) -> None:
        if frame.targeted:
            self.close_loop(frame)
            self.after_merge(frame)
            self.start_run()

    def begin_loop(self, frame: Frame) -> None:
        self.stack.canonicalize()
        if frame.targeted:
            self.open_loop(frame)
            self.loop_header_checks()

    def end_loop(self, frame: Frame) -> None:
        if frame.targeted:
            self.close_loop(frame)
            self.stack.reset(frame.base, frame.results)
            self.dead = not frame.fell

    def begin_if(self, frame: Frame, condition: str) -> None:
        self.stack.spill_all()
        self.stack.canonicalize_from(frame.base)
        frame.snapshot = self.stack.snapshot()
        if frame.targeted:
            self.open_loop(frame)
        self.emit(f"if {condition}:")
        self.level += 1
        self.mark(frame)
        self.start_run()

    def begin_else(self, frame: Frame) -> None:
        if not self.dead:
            self.emit_results(frame)
        self.pass_if_empty(frame)
        self.level -= 1
        self.emit("else:")
        self.level += 1
        self.mark(frame)
        self.stack.restore(frame.snapshot)
        self.dead = False
        self.start_run()

    def end_if(self, frame: Frame) -> None:
        if not self.dead:
            self.emit_results(frame)
        self.pass_if_empty(frame)
        self.level -= 1
        if frame.instr is not None and frame.instr.args[2] is None:
            frame.fell = True
        self.stack.reset(frame.base, frame.results)
        if frame.targeted:
            self.dead = not frame.fell
            self.close_loop(frame)
        self.after_merge(frame)
        self.start_run()

    def begin_try(self, frame: Frame) -> None:
        self.stack.spill_all()
        self.emit("try:")
        self.level += 1
        frame.indent = self.level
        if frame.targeted:
            self.open_loop(frame)
        self.mark(frame)

    def end_try(self, frame: Frame) -> None:
        if frame.targeted:
            self.close_loop(frame)
        elif not self.dead:
            self.emit_results(frame)
        self.pass_if_empty(frame)
        self.level -= 1
        self.emit("except THROWN as _e:")
        self.level += 1
        self.write("_x = _e.exn")
        if not self.dispatch_catches(frame):
            self.emit("raise")
        self.level -= 1
        self.after_merge(frame)
        self.start_run()

    def catch_branch(self, catch: Catch) -> None:
        target = self.label(catch.label)
        line = catch_moves(catch, target.arity, target.base)
        if line:
            self.emit(line)
        self.stack.reset(target.base, target.arity)
        if target.kind is FrameKind.FUNC:
            self.emit(self.return_line())
        else:
            self.jump(target)


__all__ = ["StructuredTranslator"]
