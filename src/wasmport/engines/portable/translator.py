"""The translator shared by both control strategies: the walk over a
function body (explicit stack, any nesting depth), control frames, the
symbolic operand stack and the source being built. The subclasses in
:mod:`.structured` and :mod:`.flat` decide how control flow becomes Python.
"""

from __future__ import annotations

import enum
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from ...errors import InternalError
from ...numerics import f32_from_bits, f64_from_bits
from ...syntax import opcodes
from ...syntax.ast import BlockType, Catch, CatchKind, Expr, Func, Instr, Module
from ...syntax.types import FuncType, NumType, TagType, ValType
from .analysis import STRUCTURED, Analysis, nested_bodies
from .metering import ENTRY_COST, EPOCH_CHECK, RUN_MARK, cost, expand_runs, offset_tag
from .stackmodel import Entry, Kind, OperandStack, moves


class FrameKind(enum.Enum):
    FUNC = "func"
    BLOCK = "block"
    LOOP = "loop"
    IF = "if"
    TRY = "try_table"


class Frame:
    """A control frame (a label) during translation."""

    def __init__(self, kind: FrameKind, instr: Optional[Instr], base: int, params: int,
                 results: int, targeted: bool, ident: int) -> None:
        self.kind = kind
        self.instr = instr
        self.base = base
        self.params = params
        self.results = results
        self.targeted = targeted
        self.ident = ident
        #: Whether some path reaches the end of the frame's body (or bodies, for if).
        self.fell = False
        self.snapshot: List[Entry] = []
        # structured strategy
        self.py_loop = False
        self.crossed: set[int] = set()
        self.indent = 0
        #: A branch to this block left through a loop that ends its body.
        self.exited_by_tail = False
        # flat strategy
        self.continuation = -1
        self.handler = -1
        self.outer_handler = -1

    @property
    def arity(self) -> int:
        """How many values a branch to this label carries."""
        return self.params if self.kind is FrameKind.LOOP else self.results


_ZERO: Dict[Any, str] = {
    NumType.I32: "0", NumType.I64: "0", NumType.F32: "0.0", NumType.F64: "0.0",
    NumType.V128: "0",
}


def zero_of(t: ValType) -> str:
    return _ZERO.get(t, "None")


def float_literal(value: float) -> Optional[str]:
    """A Python literal for ``value`` if ``repr`` round-trips it exactly."""
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return repr(value)


#: Functions with more non-parameter locals than this keep them in a list.
LIST_LOCALS_ABOVE = 1000

OpHandler = Callable[["Translator", Instr], None]

#: Handlers of non-structured instructions, filled by :mod:`.ops` and friends.
HANDLERS: Dict[opcodes.Op, OpHandler] = {}


class FunctionSource:
    """What translation produces: chunk-level definitions and the function."""

    def __init__(self) -> None:
        self.header: List[str] = []
        self.lines: List[str] = []


class Translator:
    """Translates one function. Subclasses implement the control hooks."""

    strategy = ""
    #: The indentation level of the next emitted line (set by each tier).
    level: int

    def __init__(self, module: Module, func_index: int, func: Func, func_type: FuncType,
                 analysis: Analysis, fuel: bool = False, epochs: bool = False) -> None:
        self.module = module
        self.func_index = func_index
        self.func = func
        self.type = func_type
        self.analysis = analysis
        self.stack = OperandStack()
        self.ctrl: List[Frame] = []
        self.dead = False
        self.uses_tail_calls = False
        #: The loop around the whole body that a self tail call restarts (if any).
        self.restart: Optional[Frame] = None
        self.header: List[str] = []
        self._constants: Dict[str, str] = {}
        self._next_ident = 1
        self.params = len(func_type.params)
        self.local_types: Tuple[ValType, ...] = tuple(func_type.params) + tuple(func.locals)
        self._local_names = self._make_local_names()
        self.imported_funcs = len(module.func_type_indices) - len(module.funcs)
        #: Whether to charge fuel and check epochs (see :mod:`.metering`).
        self.fuel = fuel
        self.epochs = epochs
        #: The cost of each run so far; the last is the run being translated.
        self.run_costs: List[int] = []
        #: Which runs check that fuel is left (those at entries and loop headers).
        self.run_checks: List[bool] = []
        #: The comment ending each line written: the byte offset of the instruction
        #: being translated (see :func:`.metering.offset_tag`), '' where unknown.
        self.tag = ""

    # ------------------------------------------------------------ output

    def write(self, line: str) -> None:
        """Append one line of code at the current position (subclass sink)."""
        raise NotImplementedError

    def retarget_last(self, old_target: str, new_target: str) -> bool:
        """If the last line written assigns ``old_target = ...``, make it assign
        ``new_target`` instead (saves a move); False if it does not."""
        raise NotImplementedError

    def emit(self, line: str) -> None:
        self.flush()
        self.write(line)

    def flush(self) -> None:
        pending = self.stack.pending
        if pending:
            self.stack.pending = []
            for line in pending:
                self.write(line)

    def constant(self, expression: str) -> str:
        """A chunk-level name bound to ``expression`` (evaluated once per instance)."""
        name = self._constants.get(expression)
        if name is None:
            name = f"K{self.func_index}_{len(self._constants)}"
            self._constants[expression] = name
            self.header.append(f"{name} = {expression}")
        return name

    # ------------------------------------------------------------ stack helpers

    def pop_value(self) -> str:
        return self.stack.pop().value

    def pop_values(self, count: int) -> List[str]:
        return [entry.value for entry in self.stack.pop_n(count)]

    def push_const(self, expression: str) -> None:
        self.stack.push(Entry(expression, Kind.CONST))

    def push_float(self, value: float, bits: int, from_bits: str) -> None:
        literal = float_literal(value)
        self.push_const(literal if literal is not None else self.constant(f"{from_bits}({bits})"))

    def push_results(self, count: int) -> str:
        """Push ``count`` canonical slots; the assignment target text ('' if none)."""
        return ", ".join(self.stack.push_slot() for _ in range(count))

    def assign(self, results: int, expression: str) -> None:
        """Emit ``expression`` and push its ``results`` values."""
        if results == 0:
            self.emit(expression)
            return
        targets = self.push_results(results)
        self.emit(f"{targets} = {expression}")

    def move_to(self, frame: Frame) -> None:
        """Emit the moves that put a branch's values where ``frame`` expects them."""
        line = moves(frame.base, self.stack.top(frame.arity))
        if line:
            self.emit(line)

    # ------------------------------------------------------------ types

    def block_arity(self, blocktype: BlockType) -> Tuple[int, int]:
        if blocktype is None:
            return 0, 0
        if isinstance(blocktype, int):
            func_type = self.module.func_type(blocktype)
            return len(func_type.params), len(func_type.results)
        return 0, 1

    def func_type_of(self, func_index: int) -> FuncType:
        return self.module.func_type(self.module.func_type_indices[func_index])

    def tag_arity(self, tag: int) -> int:
        """How many values the exception tag ``tag`` carries."""
        types = [imp.type.type_index for imp in self.module.imports
                 if isinstance(imp.type, TagType)]
        types.extend(defined.type.type_index for defined in self.module.tags)
        return len(self.module.func_type(types[tag]).params)

    def label(self, depth: int) -> Frame:
        return self.ctrl[len(self.ctrl) - 1 - depth]

    # ------------------------------------------------------------ the walk

    def new_frame(self, kind: FrameKind, instr: Optional[Instr], params: int,
                  results: int) -> Frame:
        targeted = instr is not None and id(instr) in self.analysis.targeted
        frame = Frame(kind, instr, len(self.stack) - params, params, results, targeted,
                      self._next_ident)
        self._next_ident += 1
        return frame

    def translate(self) -> None:
        root = self.new_frame(FrameKind.FUNC, None, 0, len(self.type.results))
        self.ctrl = [root]
        self.begin_function(root)
        work: List[Tuple[Frame, Iterator[Instr], Tuple[Expr, ...]]] = [
            (root, iter(self.func.body), ())
        ]
        while work:
            frame, items, rest = work[-1]
            instr = None if self.dead else next(items, None)
            if instr is None:
                work.pop()
                frame.fell = frame.fell or not self.dead
                if rest:
                    self.begin_else(frame)
                    work.append((frame, iter(rest[0]), rest[1:]))
                elif frame is root:
                    self.end_function(root)
                else:
                    self.ctrl.pop()
                    self.end_frame(frame)
                continue
            self.tag = offset_tag(instr.offset)
            if instr.op in STRUCTURED:
                if self.fuel:
                    self.run_costs[-1] += cost(instr.op)
                nested = self.begin_structured(instr)
                bodies = nested_bodies(instr)
                work.append((nested, iter(bodies[0]), bodies[1:]))
                continue
            handler = HANDLERS.get(instr.op)
            if handler is None:
                raise InternalError(f"the portable engine cannot run {instr.op.mnemonic}")
            if self.fuel:
                self.run_costs[-1] += cost(instr.op)
            handler(self, instr)
        if self.fuel:
            for lines in self.line_lists():
                expand_runs(lines, self.run_costs, self.run_checks)

    def begin_structured(self, instr: Instr) -> Frame:
        op = instr.op
        params, results = self.block_arity(instr.args[0])
        if op is opcodes.IF:
            condition = self.stack.pop().condition
            frame = self.new_frame(FrameKind.IF, instr, params, results)
            self.ctrl.append(frame)
            self.begin_if(frame, condition)
        elif op is opcodes.LOOP:
            frame = self.new_frame(FrameKind.LOOP, instr, params, results)
            self.ctrl.append(frame)
            self.begin_loop(frame)
        elif op is opcodes.TRY_TABLE:
            frame = self.new_frame(FrameKind.TRY, instr, params, results)
            self.begin_try(frame)
            self.ctrl.append(frame)
        else:
            frame = self.new_frame(FrameKind.BLOCK, instr, params, results)
            self.ctrl.append(frame)
            self.begin_block(frame)
        return frame

    def end_frame(self, frame: Frame) -> None:
        enders = {
            FrameKind.BLOCK: self.end_block,
            FrameKind.LOOP: self.end_loop,
            FrameKind.IF: self.end_if,
            FrameKind.TRY: self.end_try,
        }
        enders[frame.kind](frame)

    def after_merge(self, frame: Frame) -> None:
        """The stack and liveness after the end of a label others branch to."""
        self.stack.reset(frame.base, frame.results)
        self.dead = not (frame.fell or frame.targeted)

    # ------------------------------------------------------------ metering

    def line_lists(self) -> List[List[str]]:
        """Every list of generated lines (where run markers are expanded)."""
        raise NotImplementedError

    def start_run(self, checked: bool = False) -> None:
        """A run starts here (see :mod:`.metering`): mark where its fuel is charged
        (and, if ``checked``, where running out traps)."""
        if not self.fuel or self.dead:
            return
        self.run_costs.append(0)
        self.run_checks.append(checked)
        self.emit(f"{RUN_MARK}{len(self.run_costs) - 1}")

    def enter_checks(self) -> None:
        """The checks at a function's entry: its first run (with the entry's own
        cost) and the epoch deadline."""
        if self.fuel:
            self.start_run(checked=True)
            self.run_costs[-1] += ENTRY_COST
        self.epoch_check()

    def loop_header_checks(self) -> None:
        """The checks at the header of a loop some branch targets."""
        self.start_run(checked=True)
        self.epoch_check()

    def epoch_check(self) -> None:
        """Trap with ``INTERRUPT`` here if the store's epoch deadline has passed."""
        if self.epochs:
            self.emit(EPOCH_CHECK)

    # ------------------------------------------------------------ control hooks

    def begin_function(self, root: Frame) -> None:
        raise NotImplementedError

    def end_function(self, root: Frame) -> None:
        raise NotImplementedError

    def begin_block(self, frame: Frame) -> None:
        raise NotImplementedError

    def end_block(self, frame: Frame) -> None:
        raise NotImplementedError

    def begin_loop(self, frame: Frame) -> None:
        raise NotImplementedError

    def end_loop(self, frame: Frame) -> None:
        raise NotImplementedError

    def begin_if(self, frame: Frame, condition: str) -> None:
        raise NotImplementedError

    def begin_else(self, frame: Frame) -> None:
        raise NotImplementedError

    def end_if(self, frame: Frame) -> None:
        raise NotImplementedError

    def begin_try(self, frame: Frame) -> None:
        raise NotImplementedError

    def end_try(self, frame: Frame) -> None:
        raise NotImplementedError

    def restart_call(self, args: Sequence[str]) -> None:
        """``return_call`` of this very function: rebind the parameters and restart."""
        raise NotImplementedError

    def branch(self, frame: Frame) -> None:
        """An unconditional branch to ``frame`` (the values are on the stack)."""
        raise NotImplementedError

    def branch_if(self, condition: str, frame: Frame) -> None:
        raise NotImplementedError

    def branch_table(self, index: str, targets: Sequence[Frame], default: Frame) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------ shared pieces

    def return_line(self) -> str:
        values = [entry.value for entry in self.stack.top(len(self.type.results))]
        if not values:
            return "return"
        return f"return {', '.join(values)}"

    @property
    def locals_in_list(self) -> bool:
        """Whether non-parameter locals live in a list ``L`` (keeps huge frames small)."""
        return len(self.local_types) - self.params > LIST_LOCALS_ABOVE

    def local_name(self, index: int) -> str:
        return self._local_names[index]

    def _make_local_names(self) -> List[str]:
        if not self.locals_in_list:
            return [f"l{index}" for index in range(len(self.local_types))]
        return [f"l{index}" if index < self.params else f"L[{index - self.params}]"
                for index in range(len(self.local_types))]

    def local_init_lines(self) -> List[str]:
        """Lines giving every non-parameter local (that may be read first) its zero."""
        if self.locals_in_list:
            zeros = ", ".join(zero_of(t) for t in self.local_types[self.params:])
            return [f"L = list({self.constant(f'({zeros},)')})"]
        groups: Dict[str, List[str]] = {}
        for index in range(self.params, len(self.local_types)):
            if index not in self.analysis.needs_init:
                continue
            groups.setdefault(zero_of(self.local_types[index]), []).append(f"l{index}")
        lines: List[str] = []
        for zero, names in groups.items():
            for start in range(0, len(names), 200):
                lines.append(f"{' = '.join(names[start:start + 200])} = {zero}")
        return lines

    def signature(self, name: str) -> str:
        params = "".join(f", l{index}" for index in range(self.params))
        return f"def {name}(d{params}):"

    def prologue(self) -> List[str]:
        return ["if d > MAXD:", "    EXHAUST()", "e = d + 1", *self.local_init_lines()]

    def dispatch_catches(self, frame: Frame) -> bool:
        """Emit the tests of a ``try_table``'s catch clauses against the caught
        exception ``_x``, each branching to its label. True when a ``catch_all``
        clause ends the chain; False when the caller must emit what happens if
        no clause matched."""
        catches: Sequence[Catch] = frame.instr.args[1] if frame.instr is not None else ()
        self.dead = False
        for catch in catches:
            self.stack.reset(frame.base)
            if catch.kind in (CatchKind.CATCH_ALL, CatchKind.CATCH_ALL_REF):
                self.catch_branch(catch)
                return True
            self.emit(f"if _x.tag is TG{catch.tag}:")
            self.level += 1
            self.catch_branch(catch)
            self.level -= 1
        return False

    def catch_branch(self, catch: Catch) -> None:
        """Branch from a matched catch clause to its label (tier-specific)."""
        raise NotImplementedError


def float_bits_const(translator: Translator, bits: int, is_f32: bool) -> None:
    value = f32_from_bits(bits) if is_f32 else f64_from_bits(bits)
    translator.push_float(value, bits, "f32_from_bits" if is_f32 else "f64_from_bits")

__all__ = ["HANDLERS", "Frame", "FrameKind", "FunctionSource", "Translator", "zero_of"]
