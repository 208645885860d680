"""The spec appendix's validation algorithm for instruction sequences.

:class:`CodeValidator` keeps the *operand stack* (``vals``: value types, or
``None`` for the unknown type ``Bot``) and the *control stack* (``ctrls``:
:class:`Frame` records) and offers the algorithm's auxiliary functions under
their spec names: :meth:`push_val`, :meth:`pop_val`, :meth:`pop_vals`,
:meth:`push_ctrl`, :meth:`pop_ctrl`, :meth:`label_types` and
:meth:`unreachable`. The rule of every opcode-table row lives in
:mod:`wasmport.valid.rules`; this module walks bodies and dispatches.

Nested bodies are walked with an explicit stack of iterators, so the depth of
the input never reaches Python's recursion limit. A structured instruction's
rule returns an iterator over its nested instructions; when that iterator is
exhausted the block's ``end`` is checked (``pop_ctrl``, then push its results).
Rules with several bodies (``if``/``else``, ``try``/``catch``) return
generators that perform the transitions between bodies themselves.
"""

from __future__ import annotations

from typing import Callable, Dict, Iterator, List, Optional, Sequence

from ..errors import ValidationError
from ..syntax.ast import Expr, Instr
from ..syntax.opcodes import Op
from ..syntax.types import RefType, ValType
from ..syntax.walk import preorder
from .context import Context
from .matching import BOT_REF, Operand, TypeSpace, type_text, types_text

#: A rule: checks one instruction; returns the nested instructions to walk, if any.
Rule = Callable[["CodeValidator", Instr], Optional[Iterator[Instr]]]


class Frame:
    """A control frame: ``opcode`` is the row that opened it (None for a function body)."""

    __slots__ = (
        "opcode",
        "start_types",
        "end_types",
        "height",
        "unreachable",
        "label",
        "init_height",
        "offset",
        "instr",
    )

    def __init__(
        self,
        opcode: Optional[Op],
        start_types: Sequence[ValType],
        end_types: Sequence[ValType],
        height: int,
        label: Sequence[ValType],
        init_height: int,
        offset: int,
    ) -> None:
        self.opcode = opcode
        self.start_types = start_types
        self.end_types = end_types
        self.height = height
        self.unreachable = False
        #: The types a branch to this frame's label carries.
        self.label = label
        #: Length of the local-initialisation log when the frame was entered.
        self.init_height = init_height
        self.offset = offset
        #: The instruction that opened the frame (None: the function body).
        self.instr: Optional[Instr] = None


class CodeValidator:
    """Validates one function body or constant expression."""

    def __init__(
        self,
        context: Context,
        rules: Dict[Op, Rule],
        locals_: Sequence[ValType] = (),
        results: Sequence[ValType] = (),
        initialized: Optional[Sequence[bool]] = None,
    ) -> None:
        self.context = context
        self.types: TypeSpace = context.types
        self.rules = rules
        self.vals: List[Operand] = []
        self.ctrls: List[Frame] = []
        self.locals = tuple(locals_)
        self.results = tuple(results)
        #: Whether each local is initialised (non-defaultable locals start unset).
        self.inits: List[bool] = (
            [True] * len(self.locals) if initialized is None else list(initialized)
        )
        #: Locals set since entering each frame (undone at the frame's end).
        self.init_log: List[int] = []
        #: Offset of the instruction being checked (for error messages).
        self.offset = -1
        self.frame: Frame = Frame(None, (), (), 0, (), 0, -1)
        #: The frame being closed, while its end is checked (errors then concern
        #: the instruction that opened it).
        self.ending: Optional[Frame] = None

    # -- errors -------------------------------------------------------------

    def end_frame(self) -> Frame:
        """Errors from now on concern the innermost frame, about to be closed."""
        frame = self.frame
        self.offset = frame.offset
        self.ending = frame
        return frame

    def error(self, message: str) -> ValidationError:
        return ValidationError(message, self.offset)

    def mismatch(self, expected: Sequence[Operand], actual: Sequence[Operand]) -> ValidationError:
        return self.error(
            f"type mismatch: instruction requires {types_text(expected)}"
            f" but stack has {types_text(actual)}"
        )

    # -- the operand stack --------------------------------------------------

    def push_val(self, t: Operand) -> None:
        self.vals.append(t)

    def push_vals(self, ts: Sequence[Operand]) -> None:
        self.vals.extend(ts)

    def pop_any(self) -> Operand:
        """The algorithm's ``pop_val()`` without an expected type."""
        vals = self.vals
        frame = self.frame
        if len(vals) == frame.height:
            if frame.unreachable:
                return None
            raise self.error("type mismatch: instruction requires a value but stack is empty")
        return vals.pop()

    def pop_val(self, expect: Operand) -> Operand:
        vals = self.vals
        frame = self.frame
        if len(vals) == frame.height:
            if frame.unreachable:
                return None
            raise self.mismatch((expect,), ())
        actual = vals.pop()
        if actual is expect or actual is None or expect is None:
            return actual
        if not self.types.matches(actual, expect):
            raise self.mismatch((expect,), (actual,))
        return actual

    def pop_num(self) -> Operand:
        actual = self.pop_any()
        if isinstance(actual, RefType):
            raise self.error(
                f"type mismatch: instruction requires numeric type but stack has {type_text(actual)}"
            )
        return actual

    def pop_ref(self) -> RefType:
        actual = self.pop_any()
        if actual is None:
            return BOT_REF
        if not isinstance(actual, RefType):
            raise self.error(
                "type mismatch: instruction requires reference type"
                f" but stack has {type_text(actual)}"
            )
        return actual

    def pop_vals(self, types: Sequence[Operand]) -> Sequence[Operand]:
        """Pop ``types`` (the last one from the top) and return what was popped."""
        n = len(types)
        if n == 0:
            return ()
        vals = self.vals
        base = len(vals) - n
        frame = self.frame
        if base >= frame.height:
            matches = self.types.matches
            for i in range(n):
                actual = vals[base + i]
                expect = types[i]
                if actual is not expect and not matches(actual, expect):
                    raise self.mismatch(types, vals[base:])
            popped = vals[base:]
            del vals[base:]
            return popped
        if not frame.unreachable:
            raise self.mismatch(types, vals[frame.height :])
        present = vals[frame.height :]
        known = len(present)
        for actual, expect in zip(present, types[n - known :]):
            if not self.types.matches(actual, expect):
                raise self.mismatch(types, present)
        del vals[frame.height :]
        return [None] * (n - known) + list(present)

    # -- the control stack --------------------------------------------------

    def push_ctrl(
        self,
        opcode: Optional[Op],
        start: Sequence[ValType],
        end: Sequence[ValType],
        label: Optional[Sequence[ValType]] = None,
    ) -> None:
        frame = Frame(
            opcode,
            start,
            end,
            len(self.vals),
            end if label is None else label,
            len(self.init_log),
            self.offset,
        )
        self.ctrls.append(frame)
        self.frame = frame
        self.vals.extend(start)

    def pop_ctrl(self) -> Frame:
        if not self.ctrls:
            raise self.error("unexpected end of block")
        frame = self.frame
        self.pop_vals(frame.end_types)
        if len(self.vals) != frame.height:
            raise self.error(
                f"type mismatch: block requires {types_text(frame.end_types)}"
                f" but stack has {types_text(self.vals[frame.height :])}"
            )
        self.ctrls.pop()
        if self.ctrls:
            self.frame = self.ctrls[-1]
        log = self.init_log
        if len(log) > frame.init_height:
            inits = self.inits
            for index in log[frame.init_height :]:
                inits[index] = False
            del log[frame.init_height :]
        return frame

    def label_types(self, depth: int) -> Sequence[ValType]:
        ctrls = self.ctrls
        if not 0 <= depth < len(ctrls):
            raise self.error(f"unknown label {depth}")
        return ctrls[-1 - depth].label

    def label_frame(self, depth: int) -> Frame:
        ctrls = self.ctrls
        if not 0 <= depth < len(ctrls):
            raise self.error(f"unknown label {depth}")
        return ctrls[-1 - depth]

    def unreachable(self) -> None:
        frame = self.frame
        del self.vals[frame.height :]
        frame.unreachable = True

    # -- locals -------------------------------------------------------------

    def local(self, index: int) -> ValType:
        if not 0 <= index < len(self.locals):
            raise self.error(f"unknown local {index}")
        return self.locals[index]

    def init_local(self, index: int) -> None:
        if not self.inits[index]:
            self.inits[index] = True
            self.init_log.append(index)

    # -- walking ------------------------------------------------------------

    def run(self, body: Expr, offset: int = -1) -> None:
        """Check ``body`` as the body of a function (or constant) returning ``results``."""
        self.offset = offset
        self.push_ctrl(None, (), self.results)
        rules = self.rules
        work: List[Iterator[Instr]] = [iter(body)]
        instr: Optional[Instr] = None
        try:
            while work:
                for instr in work[-1]:
                    self.offset = instr.offset
                    nested = rules[instr.op](self, instr)
                    if nested is not None:
                        self.frame.instr = instr
                        work.append(nested)
                        break
                else:
                    work.pop()
                    ending = self.ending = self.frame  # as end_frame(), inline
                    self.offset = ending.offset if work else offset
                    frame = self.pop_ctrl()
                    self.ending = None
                    self.vals.extend(frame.end_types)
        except ValidationError as error:
            if error.instr < 0:
                culprit = instr if self.ending is None else self.ending.instr
                error.instr = preorder_index(body, culprit)
            raise


def preorder_index(body: Expr, target: Optional[Instr]) -> int:
    """The index of ``target`` in ``body``, nested instructions counted right
    after their block's (as :meth:`CodeValidator.run` visits them); -1 if absent."""
    for index, instr in enumerate(preorder(body)):
        if instr is target:
            return index
    return -1


__all__ = ["CodeValidator", "Frame", "Rule", "preorder_index"]
