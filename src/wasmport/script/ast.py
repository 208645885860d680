"""The WAST script AST: one immutable object per script command.

A script (spec ``interpreter/README``, "Scripts") is a sequence of commands:
module definitions, actions (``invoke``/``get``), ``register`` and the
assertions. Modules are kept in their *source* form (:class:`TextModule`,
:class:`BinaryModule`, :class:`QuoteModule`) and only turned into a
:class:`wasmport.syntax.ast.Module` when the runner checks the command, so a
malformed module inside ``assert_malformed`` never stops a script from parsing.

Values follow the module AST's conventions: integer constants hold the signed
value, float constants the raw bit pattern, ``v128`` constants 16 bytes.
Every command keeps the 1-based ``line`` and ``column`` of its opening
parenthesis (not part of equality).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional, Tuple, Union

from ..syntax.types import AbsHeapType, NumType

if TYPE_CHECKING:
    from ..text.sexpr import SList


# --------------------------------------------------------------------------
# Module sources


@dataclass(frozen=True)
class TextModule:
    """An inline text module: the ``(module ...)`` S-expression, not yet parsed.

    ``node`` is the module form without the script-only ``definition`` keyword,
    ready for :func:`wasmport.text.module_from_sexpr`.
    """

    node: SList = field(compare=False)


@dataclass(frozen=True)
class BinaryModule:
    """``(module binary "...")``: the concatenated bytes of the strings."""

    data: bytes


@dataclass(frozen=True)
class QuoteModule:
    """``(module quote "...")``: the strings' bytes joined by spaces.

    The bytes are decoded as UTF-8 only when the module is parsed: malformed
    UTF-8 is then a :class:`~wasmport.errors.ParseError` of that command.
    ``line``/``column`` locate the first string (for positions in messages).
    """

    source: bytes
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


ModuleSource = Union[TextModule, BinaryModule, QuoteModule]


# --------------------------------------------------------------------------
# Values: arguments of actions and plain constants


@dataclass(frozen=True)
class NumValue:
    """``(i32.const n)`` and friends: signed integer value or raw float bits."""

    type: NumType
    value: int


@dataclass(frozen=True)
class V128Value:
    """``(v128.const shape lanes...)`` as 16 little-endian bytes."""

    data: bytes


@dataclass(frozen=True)
class RefNullValue:
    """``(ref.null heaptype)``."""

    heap: AbsHeapType


@dataclass(frozen=True)
class RefExternValue:
    """``(ref.extern n)``: an external reference the host made up, numbered ``n``."""

    payload: int


@dataclass(frozen=True)
class RefHostValue:
    """``(ref.host n)``: a host reference (an ``anyref`` the host made up)."""

    payload: int


Value = Union[NumValue, V128Value, RefNullValue, RefExternValue, RefHostValue]


# --------------------------------------------------------------------------
# Result patterns of assert_return


class NanKind(enum.Enum):
    """``nan:canonical`` (only the canonical NaNs) or ``nan:arithmetic`` (quiet bit set)."""

    CANONICAL = "nan:canonical"
    ARITHMETIC = "nan:arithmetic"


@dataclass(frozen=True)
class ValuePattern:
    """A result that must equal ``value`` exactly (floats compare bit for bit)."""

    value: Value


@dataclass(frozen=True)
class NanPattern:
    """``(f32.const nan:canonical)`` / ``(f64.const nan:arithmetic)``."""

    type: NumType
    kind: NanKind


class LaneShape(enum.Enum):
    """The lane interpretation of a ``v128`` literal; value is ``(lane type, bits)``."""

    I8X16 = ("i8x16", 8)
    I16X8 = ("i16x8", 16)
    I32X4 = ("i32x4", 32)
    I64X2 = ("i64x2", 64)
    F32X4 = ("f32x4", 32)
    F64X2 = ("f64x2", 64)

    @property
    def text(self) -> str:
        return self.value[0]

    @property
    def lane_bits(self) -> int:
        return self.value[1]

    @property
    def lanes(self) -> int:
        return 128 // self.value[1]

    @property
    def is_float(self) -> bool:
        return self.value[0][0] == "f"


#: One lane of a vector pattern: its raw unsigned bits, or a NaN class.
LanePattern = Union[int, NanKind]


@dataclass(frozen=True)
class V128Pattern:
    """``(v128.const f32x4 ...)`` with per-lane ``nan:canonical``/``nan:arithmetic``."""

    shape: LaneShape
    lanes: Tuple[LanePattern, ...]


@dataclass(frozen=True)
class RefNullPattern:
    """``(ref.null)`` (any null: ``heap`` None) or ``(ref.null heaptype)``."""

    heap: Optional[AbsHeapType]


@dataclass(frozen=True)
class RefExternPattern:
    """``(ref.extern)`` (any non-null extern reference) or ``(ref.extern n)``."""

    payload: Optional[int]


@dataclass(frozen=True)
class RefHostPattern:
    """``(ref.host n)``."""

    payload: int


@dataclass(frozen=True)
class RefKindPattern:
    """A non-null reference of an abstract heap type: ``(ref.func)``, ``(ref.any)``,
    ``(ref.eq)``, ``(ref.i31)``, ``(ref.struct)``, ``(ref.array)``, ``(ref.exn)``."""

    heap: AbsHeapType


@dataclass(frozen=True)
class EitherPattern:
    """``(either r1 r2 ...)``: the result must match one of the alternatives."""

    alternatives: Tuple[ResultPattern, ...]


ResultPattern = Union[
    ValuePattern,
    NanPattern,
    V128Pattern,
    RefNullPattern,
    RefExternPattern,
    RefHostPattern,
    RefKindPattern,
    EitherPattern,
]


# --------------------------------------------------------------------------
# Actions


@dataclass(frozen=True)
class Invoke:
    """``(invoke $module? "name" args...)``; ``module`` None means the latest module."""

    module: Optional[str]
    name: str
    args: Tuple[Value, ...]
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Get:
    """``(get $module? "name")``: read an exported global."""

    module: Optional[str]
    name: str
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)


Action = Union[Invoke, Get]


# --------------------------------------------------------------------------
# Commands


@dataclass(frozen=True)
class ModuleCommand:
    """``(module $id? ...)``; ``definition`` for ``(module definition ...)``, which
    defines a module without instantiating it."""

    source: ModuleSource
    id: Optional[str] = None
    definition: bool = False
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    kind = "module"


@dataclass(frozen=True)
class InstanceCommand:
    """``(module instance $instance? $definition?)``."""

    instance: Optional[str]
    module: Optional[str]
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    kind = "module instance"


@dataclass(frozen=True)
class Register:
    """``(register "name" $module?)``: make a module's exports importable as ``name``."""

    name: str
    module: Optional[str]
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    kind = "register"


@dataclass(frozen=True)
class ActionCommand:
    """A bare action at top level: performed, its results ignored."""

    action: Action
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    kind = "action"


@dataclass(frozen=True)
class AssertReturn:
    action: Action
    results: Tuple[ResultPattern, ...]
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    kind = "assert_return"


@dataclass(frozen=True)
class AssertTrap:
    """``(assert_trap action "msg")``, or ``(assert_trap (module ...) "msg")``: the
    module's instantiation (its start function) traps."""

    target: Union[Action, ModuleCommand]
    message: str
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    kind = "assert_trap"


@dataclass(frozen=True)
class AssertExhaustion:
    action: Action
    message: str
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    kind = "assert_exhaustion"


@dataclass(frozen=True)
class AssertException:
    """``(assert_exception action)``: the action throws a Wasm exception."""

    action: Action
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    kind = "assert_exception"


@dataclass(frozen=True)
class AssertMalformed:
    module: ModuleCommand
    message: str
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    kind = "assert_malformed"


@dataclass(frozen=True)
class AssertInvalid:
    module: ModuleCommand
    message: str
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    kind = "assert_invalid"


@dataclass(frozen=True)
class AssertUnlinkable:
    module: ModuleCommand
    message: str
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    kind = "assert_unlinkable"


@dataclass(frozen=True)
class AssertUninstantiable:
    module: ModuleCommand
    message: str
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    kind = "assert_uninstantiable"


@dataclass(frozen=True)
class AssertMalformedCustom:
    """A module whose custom annotations or sections are malformed (the core
    module itself is well formed); see the runner for how it is checked."""

    module: ModuleCommand
    message: str
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    kind = "assert_malformed_custom"


@dataclass(frozen=True)
class AssertInvalidCustom:
    """A module whose custom annotations or sections are invalid."""

    module: ModuleCommand
    message: str
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    kind = "assert_invalid_custom"


@dataclass(frozen=True)
class Thread:
    """``(thread $name (shared (module $m))* command*)`` of the threads proposal."""

    name: Optional[str]
    shared: Tuple[str, ...]
    commands: Tuple[Command, ...]
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    kind = "thread"


@dataclass(frozen=True)
class Wait:
    """``(wait $name)``: wait for a thread to finish."""

    thread: Optional[str]
    line: int = field(default=0, compare=False)
    column: int = field(default=0, compare=False)

    kind = "wait"


#: Assertions about a module that must fail to load.
ModuleAssertion = Union[
    AssertMalformed,
    AssertInvalid,
    AssertUnlinkable,
    AssertUninstantiable,
    AssertMalformedCustom,
    AssertInvalidCustom,
]

Command = Union[
    ModuleCommand,
    InstanceCommand,
    Register,
    ActionCommand,
    AssertReturn,
    AssertTrap,
    AssertExhaustion,
    AssertException,
    AssertMalformed,
    AssertInvalid,
    AssertUnlinkable,
    AssertUninstantiable,
    AssertMalformedCustom,
    AssertInvalidCustom,
    Thread,
    Wait,
]


@dataclass(frozen=True)
class Script:
    filename: str
    commands: Tuple[Command, ...]


__all__ = [
    "Action",
    "ActionCommand",
    "AssertException",
    "AssertExhaustion",
    "AssertInvalid",
    "AssertInvalidCustom",
    "AssertMalformed",
    "AssertMalformedCustom",
    "AssertReturn",
    "AssertTrap",
    "AssertUninstantiable",
    "AssertUnlinkable",
    "BinaryModule",
    "Command",
    "EitherPattern",
    "Get",
    "InstanceCommand",
    "Invoke",
    "LaneShape",
    "LanePattern",
    "ModuleAssertion",
    "ModuleCommand",
    "ModuleSource",
    "NanKind",
    "NanPattern",
    "NumValue",
    "QuoteModule",
    "RefExternPattern",
    "RefExternValue",
    "RefHostPattern",
    "RefHostValue",
    "RefKindPattern",
    "RefNullPattern",
    "RefNullValue",
    "ResultPattern",
    "Register",
    "Script",
    "TextModule",
    "Thread",
    "V128Pattern",
    "V128Value",
    "Value",
    "ValuePattern",
    "Wait",
]
