"""Wasm types (spec section "Types"), as immutable values.

Value types are :class:`NumType` members (numbers and ``v128``) or
:class:`RefType` instances. Heap types are :class:`AbsHeapType` members or a
type index (``int``) into the module's type space. Type indices in the AST are
always resolved numbers; the text parser resolves ``$names`` before building
these objects.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Optional, Tuple, Union


class NumType(enum.Enum):
    """Number and vector types. The value is the binary encoding byte."""

    I32 = 0x7F
    I64 = 0x7E
    F32 = 0x7D
    F64 = 0x7C
    V128 = 0x7B

    @property
    def text(self) -> str:
        return self.name.lower()

    def __repr__(self) -> str:
        return self.text


class PackedType(enum.Enum):
    """Packed storage types of GC struct and array fields."""

    I8 = 0x78
    I16 = 0x77

    @property
    def text(self) -> str:
        return self.name.lower()

    def __repr__(self) -> str:
        return self.text


class AbsHeapType(enum.Enum):
    """Abstract heap types. The value is the binary encoding byte."""

    FUNC = 0x70
    EXTERN = 0x6F
    ANY = 0x6E
    EQ = 0x6D
    I31 = 0x6C
    STRUCT = 0x6B
    ARRAY = 0x6A
    EXN = 0x69
    NONE = 0x71
    NOEXTERN = 0x72
    NOFUNC = 0x73
    NOEXN = 0x74

    @property
    def text(self) -> str:
        return self.name.lower()

    def __repr__(self) -> str:
        return self.text


#: A heap type: abstract, or a concrete type index.
HeapType = Union[AbsHeapType, int]


@dataclass(frozen=True)
class RefType:
    """``(ref null? exact? heaptype)``."""

    nullable: bool
    heap: HeapType
    exact: bool = False

    def __repr__(self) -> str:
        heap = self.heap.text if isinstance(self.heap, AbsHeapType) else str(self.heap)
        if self.exact:
            heap = f"(exact {heap})"
        return f"(ref {'null ' if self.nullable else ''}{heap})"


#: The short-hand reference types of Wasm 2.0.
FUNCREF = RefType(True, AbsHeapType.FUNC)
EXTERNREF = RefType(True, AbsHeapType.EXTERN)
EXNREF = RefType(True, AbsHeapType.EXN)

ValType = Union[NumType, RefType]
StorageType = Union[NumType, RefType, PackedType]

I32 = NumType.I32
I64 = NumType.I64
F32 = NumType.F32
F64 = NumType.F64
V128 = NumType.V128


@dataclass(frozen=True)
class FuncType:
    params: Tuple[ValType, ...] = ()
    results: Tuple[ValType, ...] = ()


@dataclass(frozen=True)
class FieldType:
    storage: StorageType
    mutable: bool = False


@dataclass(frozen=True)
class StructType:
    fields: Tuple[FieldType, ...] = ()


@dataclass(frozen=True)
class ArrayType:
    field: FieldType


CompositeType = Union[FuncType, StructType, ArrayType]


@dataclass(frozen=True)
class SubType:
    """A defined type: a composite type with its place in the subtype hierarchy.

    ``explicit`` records whether the binary/text form spelled ``sub`` out
    (``0x50``/``0x4F``); a bare composite type is final with no supertypes.
    ``descriptor``/``describes`` belong to the custom-descriptors proposal.
    """

    composite: CompositeType
    final: bool = True
    supertypes: Tuple[int, ...] = ()
    descriptor: Optional[int] = None
    describes: Optional[int] = None
    explicit: bool = False


@dataclass(frozen=True)
class RecType:
    """A recursion group. ``explicit`` is False for a lone type written without ``rec``."""

    subtypes: Tuple[SubType, ...]
    explicit: bool = True


class AddrType(enum.Enum):
    """The index type of a memory or table (memory64 / table64)."""

    I32 = 0x7F
    I64 = 0x7E


@dataclass(frozen=True)
class Limits:
    minimum: int
    maximum: Optional[int] = None
    address: AddrType = AddrType.I32
    shared: bool = False


@dataclass(frozen=True)
class MemoryType:
    limits: Limits
    #: log2 of the page size (custom-page-sizes); None means the default 64 KiB page.
    page_size_log2: Optional[int] = None

    @property
    def page_size(self) -> int:
        return 1 << (16 if self.page_size_log2 is None else self.page_size_log2)


@dataclass(frozen=True)
class TableType:
    limits: Limits
    element: RefType


@dataclass(frozen=True)
class GlobalType:
    value: ValType
    mutable: bool = False


@dataclass(frozen=True)
class TagType:
    """An exception tag: ``attribute`` is always 0; ``type_index`` names a function type."""

    type_index: int
    attribute: int = 0


#: The type of an import or export.
ExternType = Union[int, TableType, MemoryType, GlobalType, TagType]
"""``int`` is a function's type index."""


def is_num(t: StorageType) -> bool:
    return isinstance(t, NumType) and t is not NumType.V128


def unpacked(t: StorageType) -> ValType:
    """The value type a storage type is read as (packed types read as ``i32``)."""
    return NumType.I32 if isinstance(t, PackedType) else t


__all__ = [
    "EXNREF",
    "EXTERNREF",
    "F32",
    "F64",
    "FUNCREF",
    "I32",
    "I64",
    "V128",
    "AbsHeapType",
    "AddrType",
    "ArrayType",
    "CompositeType",
    "ExternType",
    "FieldType",
    "FuncType",
    "GlobalType",
    "HeapType",
    "Limits",
    "MemoryType",
    "NumType",
    "PackedType",
    "RecType",
    "RefType",
    "StorageType",
    "StructType",
    "SubType",
    "TableType",
    "TagType",
    "ValType",
    "is_num",
    "unpacked",
]
