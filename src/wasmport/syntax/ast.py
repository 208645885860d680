"""The module AST: immutable, shared by the binary decoder and the text parser.

Both front ends produce exactly these objects, so that a module written as
text and the same module decoded from its binary compare equal. Positions
(``offset``: a byte offset for decoded input, -1 where unknown) never take
part in equality.

Instructions are :class:`Instr` nodes. ``Instr.op`` is a row of the opcode
table (:mod:`wasmport.syntax.opcodes`) and ``Instr.args`` holds, first, the
immediates in the order that row's ``imms`` lists them (binary order), each
already decoded into its Python form (see :class:`~wasmport.syntax.opcodes.Imm`).
Structured instructions then append their nested bodies:

==============  ==========================================================
``block``       ``(blocktype, body)``
``loop``        ``(blocktype, body)``
``if``          ``(blocktype, then_body, else_body_or_None)``
``try_table``   ``(blocktype, catches, body)``
``try``         ``(blocktype, body, legacy_catches, delegate_label_or_None)``
==============  ==========================================================

Bodies are tuples of :class:`Instr` without their closing ``end``. An ``if``
written without ``else`` has ``None`` as its else body (an empty ``else`` is
``()``), so that binaries re-encode byte for byte.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, List, Mapping, Optional, Tuple, Union

from .types import (
    FuncType,
    GlobalType,
    MemoryType,
    NumType,
    RecType,
    RefType,
    SubType,
    TableType,
    TagType,
    ValType,
)

if TYPE_CHECKING:
    from .opcodes import Op


@dataclass(frozen=True, eq=False)
class Instr:
    op: Op
    args: Tuple[Any, ...] = ()
    offset: int = field(default=-1, compare=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Instr):
            return NotImplemented
        return _deep_equal(self, other)

    def __hash__(self) -> int:
        # Shallow on purpose: bodies can nest deeper than Python may recurse.
        return hash((self.op, len(self.args)))

    def __repr__(self) -> str:
        if not self.args:
            return self.op.mnemonic
        return f"{self.op.mnemonic} {' '.join(map(_short_repr, self.args))}"


def _short_repr(value: Any) -> str:
    if isinstance(value, tuple) and value and isinstance(value[0], Instr):
        return f"<{len(value)} instructions>"
    return repr(value)


def _deep_equal(left: Instr, right: Instr) -> bool:
    """Structural equality of two instructions with an explicit stack, so that
    bodies nested thousands deep compare without recursion."""
    pending: List[Tuple[Any, Any]] = [(left, right)]
    while pending:
        a, b = pending.pop()
        if a is b:
            continue
        if isinstance(a, Instr):
            if not isinstance(b, Instr) or a.op is not b.op:
                return False
            pending.append((a.args, b.args))
        elif isinstance(a, tuple):
            if not isinstance(b, tuple) or len(a) != len(b):
                return False
            pending.extend(zip(a, b))
        elif isinstance(a, LegacyCatch):
            if not isinstance(b, LegacyCatch) or a.tag != b.tag:
                return False
            pending.append((a.body, b.body))
        elif type(a) is not type(b) or a != b:
            return False
    return True


#: An expression or body: instructions without the closing ``end``.
Expr = Tuple[Instr, ...]

#: A block type: ``None`` (no results), one value type, or a type index.
BlockType = Union[None, NumType, RefType, int]


@dataclass(frozen=True)
class MemArg:
    """A memory immediate. ``align`` is the log2 of the alignment hint.

    ``explicit_memory`` records that a binary spelled out memory index 0 (the
    multi-memory form) where the index could have been left implicit; it only
    chooses the binary encoding (a non-zero ``memory`` is always explicit).
    """

    align: int
    offset: int
    memory: int = 0
    explicit_memory: bool = field(default=False, compare=False)


class CatchKind(enum.Enum):
    """The four catch clauses of ``try_table``; the value is the binary byte."""

    CATCH = 0
    CATCH_REF = 1
    CATCH_ALL = 2
    CATCH_ALL_REF = 3


@dataclass(frozen=True)
class Catch:
    """A ``try_table`` catch clause. ``tag`` is None for the ``catch_all`` forms."""

    kind: CatchKind
    tag: Optional[int]
    label: int


@dataclass(frozen=True)
class LegacyCatch:
    """A handler of the legacy ``try``: ``catch tag`` or, with ``tag`` None, ``catch_all``."""

    tag: Optional[int]
    body: Expr


@dataclass(frozen=True)
class CastFlags:
    """The flags byte of ``br_on_cast``/``br_on_cast_fail``: nullability of each type."""

    source_nullable: bool
    target_nullable: bool


class ExternKind(enum.Enum):
    """Kinds of import and export; the value is the binary byte."""

    FUNC = 0
    TABLE = 1
    MEMORY = 2
    GLOBAL = 3
    TAG = 4


@dataclass(frozen=True)
class FuncImportType:
    """A function import's type: a type index, ``exact`` for custom-descriptors."""

    type_index: int
    exact: bool = False


ImportType = Union[FuncImportType, TableType, MemoryType, GlobalType, TagType]


@dataclass(frozen=True)
class Import:
    module: str
    name: str
    kind: ExternKind
    type: ImportType
    offset: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Export:
    name: str
    kind: ExternKind
    index: int
    offset: int = field(default=-1, compare=False)


#: Declared groups of locals, ``((count, type), ...)``, as the code section lists them.
LocalGroups = Tuple[Tuple[int, ValType], ...]


@dataclass(frozen=True)
class Func:
    """A function defined by the module. ``locals`` excludes the parameters.

    ``local_groups`` records how a binary declared the locals when that was not
    the canonical grouping (one group per run of equal types): groups of count
    zero, or adjacent groups of the same type. None means canonical. It only
    chooses the binary encoding, and only while it still spells out ``locals``.
    """

    type_index: int
    locals: Tuple[ValType, ...]
    body: Expr
    offset: int = field(default=-1, compare=False)
    local_groups: Optional[LocalGroups] = field(default=None, compare=False)


@dataclass(frozen=True)
class Table:
    """A table; ``init`` is the explicit initialiser expression (function-references)."""

    type: TableType
    init: Optional[Expr] = None
    offset: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Memory:
    type: MemoryType
    offset: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Global:
    type: GlobalType
    init: Expr
    offset: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Tag:
    type: TagType
    offset: int = field(default=-1, compare=False)


class SegmentMode(enum.Enum):
    ACTIVE = "active"
    PASSIVE = "passive"
    DECLARATIVE = "declarative"


@dataclass(frozen=True)
class Elem:
    """An element segment.

    ``items`` are constant expressions. ``func_indices`` records that the
    segment was written as a plain list of function indices (each item is then
    a single ``ref.func``); it only chooses the binary encoding. ``table`` is
    None for an active segment that did not name its table (table 0).
    """

    mode: SegmentMode
    type: RefType
    items: Tuple[Expr, ...]
    table: Optional[int] = None
    offset_expr: Optional[Expr] = None
    func_indices: bool = False
    offset: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Data:
    """A data segment. ``memory`` is None for an active segment that did not name its memory."""

    mode: SegmentMode
    data: bytes
    memory: Optional[int] = None
    offset_expr: Optional[Expr] = None
    offset: int = field(default=-1, compare=False)


class SectionId(enum.IntEnum):
    CUSTOM = 0
    TYPE = 1
    IMPORT = 2
    FUNCTION = 3
    TABLE = 4
    MEMORY = 5
    GLOBAL = 6
    EXPORT = 7
    START = 8
    ELEMENT = 9
    CODE = 10
    DATA = 11
    DATA_COUNT = 12
    TAG = 13


#: The order sections must appear in (the tag section sits between memory and
#: global; data count between element and code).
SECTION_ORDER: Tuple[SectionId, ...] = (
    SectionId.TYPE,
    SectionId.IMPORT,
    SectionId.FUNCTION,
    SectionId.TABLE,
    SectionId.MEMORY,
    SectionId.TAG,
    SectionId.GLOBAL,
    SectionId.EXPORT,
    SectionId.START,
    SectionId.ELEMENT,
    SectionId.DATA_COUNT,
    SectionId.CODE,
    SectionId.DATA,
)


@dataclass(frozen=True)
class CustomSection:
    """A custom section, kept verbatim. ``after`` is the id of the non-custom
    section it followed in the binary (``SectionId.CUSTOM``, i.e. 0, when it came
    first), so the encoder can put it back in the same place."""

    name: str
    data: bytes
    after: SectionId = SectionId.CUSTOM
    offset: int = field(default=-1, compare=False)


#: ``((index, name), ...)`` sorted by index.
NameMap = Tuple[Tuple[int, str], ...]
#: ``((outer index, NameMap), ...)`` sorted by outer index.
IndirectNameMap = Tuple[Tuple[int, NameMap], ...]


@dataclass(frozen=True)
class Names:
    """The decoded ``name`` custom section (including the extended-name subsections)."""

    module: Optional[str] = None
    funcs: NameMap = ()
    locals: IndirectNameMap = ()
    labels: IndirectNameMap = ()
    types: NameMap = ()
    tables: NameMap = ()
    memories: NameMap = ()
    globals: NameMap = ()
    elems: NameMap = ()
    datas: NameMap = ()
    fields: IndirectNameMap = ()
    tags: NameMap = ()
    #: Where the section sat in the binary, like :attr:`CustomSection.after`.
    after: SectionId = field(default=SectionId.DATA, compare=False)
    #: How many of :attr:`Module.customs` came before the name section in the
    #: binary (None: it goes before the custom sections that share its ``after``).
    customs_before: Optional[int] = field(default=None, compare=False)


@dataclass(frozen=True, eq=False)
class BinaryLayout:
    """How a binary spelled what the AST leaves out: ``widths`` maps the offset
    of each over-long LEB128 to its width in bytes; ``bases`` gives the offset
    of each part the encoder builds apart from the rest (key ``(id,)``: that
    section's contents; ``(0,)``: the name section's; ``(0, id)``: those of its
    subsection ``id``)."""

    widths: Mapping[int, int]
    bases: Mapping[Tuple[int, ...], int]


@dataclass(frozen=True)
class Module:
    types: Tuple[RecType, ...] = ()
    imports: Tuple[Import, ...] = ()
    funcs: Tuple[Func, ...] = ()
    tables: Tuple[Table, ...] = ()
    memories: Tuple[Memory, ...] = ()
    tags: Tuple[Tag, ...] = ()
    globals: Tuple[Global, ...] = ()
    exports: Tuple[Export, ...] = ()
    start: Optional[int] = None
    elems: Tuple[Elem, ...] = ()
    datas: Tuple[Data, ...] = ()
    #: The value of the data count section, or None if the module has none.
    data_count: Optional[int] = None
    customs: Tuple[CustomSection, ...] = ()
    names: Optional[Names] = None
    #: The sections a binary held with no entries (a vector of length zero), in
    #: section order; the encoder writes them again, empty. Custom sections that
    #: followed one name it in their ``after``.
    empty_sections: Tuple[SectionId, ...] = field(default=(), compare=False)
    #: Set by the decoder alone, for a binary with over-long LEB128s, so that
    #: it re-encodes byte for byte. Not part of equality, and never carried over
    #: (``dataclasses.replace`` leaves it None): a changed module encodes minimally.
    layout: Optional[BinaryLayout] = field(default=None, init=False, compare=False, repr=False)

    @cached_property
    def defined_types(self) -> Tuple[SubType, ...]:
        """The type index space: every recursion group's types, flattened."""
        return tuple(sub for group in self.types for sub in group.subtypes)

    def func_type(self, type_index: int) -> FuncType:
        """The function type at ``type_index`` (raises if it is not a function type)."""
        composite = self.defined_types[type_index].composite
        if not isinstance(composite, FuncType):
            raise TypeError(f"type {type_index} is not a function type")
        return composite

    def imports_of(self, kind: ExternKind) -> Tuple[Import, ...]:
        return tuple(imp for imp in self.imports if imp.kind is kind)

    @cached_property
    def func_type_indices(self) -> Tuple[int, ...]:
        """The type index of every function in the function index space."""
        imported = tuple(
            imp.type.type_index
            for imp in self.imports
            if isinstance(imp.type, FuncImportType)
        )
        return imported + tuple(func.type_index for func in self.funcs)


__all__ = [
    "SECTION_ORDER",
    "BinaryLayout",
    "BlockType",
    "CastFlags",
    "Catch",
    "CatchKind",
    "CustomSection",
    "Data",
    "Elem",
    "Export",
    "Expr",
    "ExternKind",
    "Func",
    "FuncImportType",
    "Global",
    "Import",
    "ImportType",
    "IndirectNameMap",
    "Instr",
    "LegacyCatch",
    "LocalGroups",
    "MemArg",
    "Memory",
    "Module",
    "NameMap",
    "Names",
    "SectionId",
    "SegmentMode",
    "Table",
    "Tag",
]
