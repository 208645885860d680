"""Decoding of types: value, heap, reference, storage, composite and recursive
types, limits, and the types of tables, memories, globals and tags.

Type constructors are one-byte signed LEB128s; where the reference
interpreter tries several alternatives (a value type is a number, vector or
reference type; a storage type is a value or packed type) the message of a
failure is the one its last alternative gives.
"""

from __future__ import annotations

from typing import Dict, Optional, Tuple

from ..errors import DecodeError
from ..syntax.ast import BlockType
from ..syntax.types import (
    AbsHeapType,
    AddrType,
    ArrayType,
    CompositeType,
    FieldType,
    FuncType,
    GlobalType,
    HeapType,
    Limits,
    MemoryType,
    NumType,
    PackedType,
    RecType,
    RefType,
    StorageType,
    StructType,
    SubType,
    TableType,
    TagType,
    ValType,
)
from .reader import Reader

#: One-byte value types by their encoding: numbers, v128, and the abbreviated
#: nullable reference types (``funcref`` is ``0x70``...).
VALTYPE_BY_BYTE: Dict[int, ValType] = {t.value: t for t in NumType}
VALTYPE_BY_BYTE.update({h.value: RefType(True, h) for h in AbsHeapType})

ABSTRACT_BY_BYTE: Dict[int, AbsHeapType] = {h.value: h for h in AbsHeapType}
PACKED_BY_BYTE: Dict[int, PackedType] = {t.value: t for t in PackedType}

REF_NULL_PREFIX = 0x63  # (ref null ht)
REF_PREFIX = 0x64  # (ref ht)
EXACT_PREFIX = 0x62  # (exact typeidx), custom-descriptors

FUNC_FORM = 0x60
STRUCT_FORM = 0x5F
ARRAY_FORM = 0x5E
SUB_FORM = 0x50
SUB_FINAL_FORM = 0x4F
REC_FORM = 0x4E
DESCRIPTOR_FORM = 0x4D
DESCRIBES_FORM = 0x4C

EMPTY_BLOCK = 0x40

LIMITS_HAS_MAX = 0x01
LIMITS_SHARED = 0x02
LIMITS_64 = 0x04
LIMITS_PAGE_SIZE = 0x08
#: log2 of the largest page size the binary format can express (2**64 does not fit a u64).
MAX_PAGE_SIZE_LOG2 = 63


def heap_type(reader: Reader) -> Tuple[HeapType, bool]:
    """A heap type and whether it was marked ``exact`` (custom-descriptors)."""
    start = reader.pos
    if reader.peek() == EXACT_PREFIX:
        reader.pos += 1
        index = reader.s33()  # as the reference interpreter (wasm-tools 1.262 writes a u32)
        if index < 0:
            raise DecodeError("malformed heap type", start)
        return index, True
    value = reader.s33()
    if value >= 0:
        return value, False
    abstract = ABSTRACT_BY_BYTE.get(value + 0x80) if value >= -0x40 else None
    if abstract is None:
        raise DecodeError("malformed heap type", start)
    return abstract, False


def ref_type(reader: Reader) -> RefType:
    start = reader.pos
    code = reader.s7()
    byte = code & 0x7F
    if byte == REF_NULL_PREFIX or byte == REF_PREFIX:
        heap, exact = heap_type(reader)
        return RefType(byte == REF_NULL_PREFIX, heap, exact)
    abstract = ABSTRACT_BY_BYTE.get(byte) if code < 0 else None
    if abstract is None:
        raise DecodeError("malformed reference type", start)
    return RefType(True, abstract)


def val_type(reader: Reader) -> ValType:
    pos = reader.pos
    if pos < reader.length:
        byte = reader.data[pos]
        if byte < 0x80 and byte not in (REF_NULL_PREFIX, REF_PREFIX):
            simple = VALTYPE_BY_BYTE.get(byte)
            if simple is not None:
                reader.pos = pos + 1
                return simple
    return ref_type(reader)


def val_types(reader: Reader) -> Tuple[ValType, ...]:
    count = reader.length32()
    return tuple(val_type(reader) for _ in range(count))


def storage_type(reader: Reader) -> StorageType:
    start = reader.pos
    packed = PACKED_BY_BYTE.get(reader.peek())
    if packed is not None:
        reader.pos += 1
        return packed
    try:
        return val_type(reader)
    except DecodeError:
        reader.pos = start
        reader.s7()  # fails the way the reference's last alternative does
        raise DecodeError("malformed storage type", start) from None


def mutability(reader: Reader) -> bool:
    flag = reader.byte()
    if flag > 1:
        raise DecodeError("malformed mutability", reader.pos - 1)
    return flag == 1


def field_type(reader: Reader) -> FieldType:
    storage = storage_type(reader)
    return FieldType(storage, mutability(reader))


def composite_type(reader: Reader) -> CompositeType:
    form = reader.s7() & 0x7F
    if form == FUNC_FORM:
        params = val_types(reader)
        return FuncType(params, val_types(reader))
    if form == STRUCT_FORM:
        count = reader.length32()
        return StructType(tuple(field_type(reader) for _ in range(count)))
    if form == ARRAY_FORM:
        return ArrayType(field_type(reader))
    raise DecodeError("malformed definition type", reader.pos - 1)


def type_indices(reader: Reader) -> Tuple[int, ...]:
    count = reader.length32()
    return tuple(reader.u32() for _ in range(count))


def sub_type(reader: Reader) -> SubType:
    form = reader.peek()
    final = True
    supertypes: Tuple[int, ...] = ()
    explicit = form in (SUB_FORM, SUB_FINAL_FORM)
    if explicit:
        reader.pos += 1
        final = form == SUB_FINAL_FORM
        supertypes = type_indices(reader)
    describes: Optional[int] = None
    descriptor: Optional[int] = None
    if reader.peek() == DESCRIBES_FORM:
        reader.pos += 1
        describes = reader.u32()
    if reader.peek() == DESCRIPTOR_FORM:
        reader.pos += 1
        descriptor = reader.u32()
    composite = composite_type(reader)
    return SubType(composite, final, supertypes, descriptor, describes, explicit)


def rec_type(reader: Reader) -> RecType:
    if reader.peek() == REC_FORM:
        reader.pos += 1
        count = reader.length32()
        return RecType(tuple(sub_type(reader) for _ in range(count)), True)
    return RecType((sub_type(reader),), False)


def limits(reader: Reader, allowed: int) -> Tuple[Limits, Optional[int]]:
    """Limits and, if the flags say so, the log2 page size that follows them."""
    flags = reader.byte()
    if flags & ~allowed:
        raise DecodeError("malformed limits flags", reader.pos - 1)
    minimum = reader.u64()
    maximum = reader.u64() if flags & LIMITS_HAS_MAX else None
    page_size_log2: Optional[int] = None
    if flags & LIMITS_PAGE_SIZE:
        start = reader.pos
        page_size_log2 = reader.u32()
        if page_size_log2 > MAX_PAGE_SIZE_LOG2:
            raise DecodeError("invalid custom page size", start)
    address = AddrType.I64 if flags & LIMITS_64 else AddrType.I32
    shared = bool(flags & LIMITS_SHARED)
    return Limits(minimum, maximum, address, shared), page_size_log2


TABLE_LIMIT_FLAGS = LIMITS_HAS_MAX | LIMITS_64
MEMORY_LIMIT_FLAGS = LIMITS_HAS_MAX | LIMITS_SHARED | LIMITS_64 | LIMITS_PAGE_SIZE


def table_type(reader: Reader) -> TableType:
    element = ref_type(reader)
    table_limits, _ = limits(reader, TABLE_LIMIT_FLAGS)
    return TableType(table_limits, element)


def memory_type(reader: Reader) -> MemoryType:
    memory_limits, page_size_log2 = limits(reader, MEMORY_LIMIT_FLAGS & reader.memory_flags)
    return MemoryType(memory_limits, page_size_log2)


def global_type(reader: Reader) -> GlobalType:
    value = val_type(reader)
    return GlobalType(value, mutability(reader))


def tag_type(reader: Reader) -> TagType:
    reader.expect(0x00, "zero byte expected")
    return TagType(reader.u32())


def block_type(reader: Reader) -> BlockType:
    """``None`` (empty), a value type, or a non-negative type index (s33)."""
    pos = reader.pos
    byte = reader.peek()
    if byte == EMPTY_BLOCK:
        reader.pos = pos + 1
        return None
    if 0x40 <= byte < 0x80:
        return val_type(reader)
    index = reader.s33()
    if index >= 0:
        return index
    reader.pos = pos
    return val_type(reader)


__all__ = [
    "block_type",
    "composite_type",
    "field_type",
    "global_type",
    "heap_type",
    "limits",
    "memory_type",
    "rec_type",
    "ref_type",
    "storage_type",
    "sub_type",
    "table_type",
    "tag_type",
    "val_type",
    "val_types",
]
