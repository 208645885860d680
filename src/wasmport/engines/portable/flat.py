"""The flat translation, for functions nested beyond Python's limits.

The body becomes basic blocks numbered from 0, run by one ``while True:``
loop that dispatches on ``pc`` through a balanced tree of ``if pc < k:``
tests (depth log2 of the block count). A label is a block number; a branch
sets ``pc`` and continues. ``try_table`` regions map each block to the block
holding its handler; the dispatch loop catches ``THROWN`` and jumps there.
Nothing nests deeper than the tree, whatever the Wasm nesting.
"""

from __future__ import annotations

from typing import Dict, List, Sequence

from ...syntax.ast import Catch
from .ops import catch_moves
from .stackmodel import moves
from .translator import Frame, FrameKind, Translator


class FlatTranslator(Translator):
    strategy = "flat"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.blocks: List[List[str]] = []
        self.block_handler: Dict[int, int] = {}
        self.current_handler = -1
        self.current = 0
        self.level = 0
        self._else_blocks: Dict[int, int] = {}

    def retarget_last(self, old_target: str, new_target: str) -> bool:
        lines = self.blocks[self.current]
        prefix = "    " * self.level + old_target + " = "
        if self.stack.pending or not lines or not lines[-1].startswith(prefix):
            return False
        lines[-1] = "    " * self.level + new_target + " = " + lines[-1][len(prefix):]
        return True

    def write(self, line: str) -> None:
        self.blocks[self.current].append("    " * self.level + line + self.tag)

    def line_lists(self) -> List[List[str]]:
        return self.blocks

    def new_block(self) -> int:
        self.blocks.append([])
        return len(self.blocks) - 1

    def start(self, block: int) -> None:
        self.flush()
        self.current = block
        self.level = 0
        self.block_handler[block] = self.current_handler

    def goto(self, block: int) -> None:
        self.emit(f"pc = {block}")
        self.emit("continue")

    # ------------------------------------------------------------ jumps

    def jump(self, frame: Frame) -> None:
        if frame.kind is FrameKind.FUNC:
            self.emit(self.return_line())
        else:
            self.goto(frame.continuation)

    def branch(self, frame: Frame) -> None:
        if frame.kind is not FrameKind.FUNC:
            self.move_to(frame)
        self.jump(frame)

    def branch_if(self, condition: str, frame: Frame) -> None:
        self.emit(f"if {condition}:")
        self.level += 1
        self.branch(frame)
        self.level -= 1

    def _edge(self, frame: Frame) -> int:
        """The block a table branch to ``frame`` enters (an edge block if it moves values)."""
        needs_edge = frame.kind is FrameKind.FUNC or bool(
            moves(frame.base, self.stack.top(frame.arity)))
        if not needs_edge:
            return frame.continuation
        saved = (self.current, self.level)
        edge = self.new_block()
        self.start(edge)
        self.branch(frame)
        self.flush()
        self.current, self.level = saved
        return edge

    def branch_table(self, index: str, targets: Sequence[Frame], default: Frame) -> None:
        self.flush()
        entry: Dict[int, int] = {}
        for frame in list(targets) + [default]:
            if frame.ident not in entry:
                entry[frame.ident] = self._edge(frame)
        if len(entry) == 1:
            self.goto(entry[default.ident])
            return
        table = self.constant(repr(tuple(entry[frame.ident] for frame in targets)))
        self.emit(f"_i = {index}")
        self.emit(f"pc = {table}[_i] if _i < {len(targets)} else {entry[default.ident]}")
        self.emit("continue")

    def emit_results(self, frame: Frame) -> None:
        line = moves(frame.base, self.stack.top(frame.results))
        if line:
            self.emit(line)

    # ------------------------------------------------------------ hooks

    def begin_function(self, root: Frame) -> None:
        self.start(self.new_block())
        self.enter_checks()

    def end_function(self, root: Frame) -> None:
        if not self.dead:
            self.emit(self.return_line())
        self.flush()

    def begin_block(self, frame: Frame) -> None:
        self.stack.spill_all()
        if frame.targeted:
            frame.continuation = self.new_block()

    def end_block(self, frame: Frame) -> None:
        if frame.targeted:
            if not self.dead:
                self.emit_results(frame)
                self.goto(frame.continuation)
            self.start(frame.continuation)
            self.after_merge(frame)
            self.start_run()

    def begin_loop(self, frame: Frame) -> None:
        self.stack.canonicalize()
        if frame.targeted:
            frame.continuation = self.new_block()
            self.goto(frame.continuation)
            self.start(frame.continuation)
            self.loop_header_checks()

    def end_loop(self, frame: Frame) -> None:
        pass

    def begin_if(self, frame: Frame, condition: str) -> None:
        self.stack.spill_all()
        self.stack.canonicalize_from(frame.base)
        frame.snapshot = self.stack.snapshot()
        frame.continuation = self.new_block()
        has_else = frame.instr is not None and frame.instr.args[2] is not None
        target = frame.continuation
        if has_else:
            target = self._else_blocks[frame.ident] = self.new_block()
        self.emit(f"if not {condition}:")
        self.level += 1
        self.goto(target)
        self.level -= 1
        self.start_run()

    def begin_else(self, frame: Frame) -> None:
        if not self.dead:
            self.emit_results(frame)
            self.goto(frame.continuation)
        self.start(self._else_blocks[frame.ident])
        self.stack.restore(frame.snapshot)
        self.dead = False
        self.start_run()

    def end_if(self, frame: Frame) -> None:
        if not self.dead:
            self.emit_results(frame)
            self.goto(frame.continuation)
        if frame.instr is not None and frame.instr.args[2] is None:
            frame.fell = True
        self.start(frame.continuation)
        self.after_merge(frame)
        self.start_run()

    def begin_try(self, frame: Frame) -> None:
        self.stack.spill_all()
        frame.continuation = self.new_block()
        frame.handler = self.new_block()
        frame.outer_handler = self.current_handler
        body = self.new_block()
        self.goto(body)
        self.current_handler = frame.handler
        self.start(body)

    def end_try(self, frame: Frame) -> None:
        if not self.dead:
            self.emit_results(frame)
            self.goto(frame.continuation)
        self.current_handler = frame.outer_handler
        self.start(frame.handler)
        if not self.dispatch_catches(frame):
            if frame.outer_handler >= 0:
                self.goto(frame.outer_handler)
            else:
                self.emit("raise THROWN(_x)")
        self.start(frame.continuation)
        self.after_merge(frame)
        self.start_run()

    def catch_branch(self, catch: Catch) -> None:
        target = self.label(catch.label)
        line = catch_moves(catch, target.arity, target.base)
        if line:
            self.emit(line)
        self.stack.reset(target.base, target.arity)
        self.jump(target)

    # ------------------------------------------------------------ assembly

    def dispatch_lines(self) -> List[str]:
        """The body of the function after its prologue."""
        lines = ["pc = 0", "while True:"]
        uses_try = any(handler >= 0 for handler in self.block_handler.values())
        indent = "        " if uses_try else "    "
        if uses_try:
            lines.append("    try:")
        self._tree(0, len(self.blocks), indent, lines)
        if uses_try:
            handlers = {block: handler for block, handler in self.block_handler.items()
                        if handler >= 0}
            table = self.constant(repr(handlers))
            lines.extend([
                "    except THROWN as _e:",
                "        _x = _e.exn",
                f"        pc = {table}.get(pc, -1)",
                "        if pc < 0:",
                "            raise",
                "        continue",
            ])
        lines.append("    LOST_CONTROL(pc)")
        return lines

    def _tree(self, low: int, high: int, indent: str, lines: List[str]) -> None:
        if high - low == 1:
            body = self.blocks[low] or ["LOST_CONTROL(pc)"]
            lines.extend(indent + line for line in body)
            return
        middle = (low + high) // 2
        # One-space steps: the tree is log2(blocks) deep and every leaf pays for it.
        lines.append(f"{indent}if pc < {middle}:")
        self._tree(low, middle, indent + " ", lines)
        lines.append(f"{indent}else:")
        self._tree(middle, high, indent + " ", lines)


__all__ = ["FlatTranslator"]
