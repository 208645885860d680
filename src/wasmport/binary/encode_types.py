"""Encoding of types (the inverse of :mod:`wasmport.binary.types`)."""

from __future__ import annotations

from typing import Any, Optional

from ..syntax.types import (
    AbsHeapType,
    ArrayType,
    CompositeType,
    FieldType,
    FuncType,
    GlobalType,
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
from .types import (
    ARRAY_FORM,
    DESCRIBES_FORM,
    DESCRIPTOR_FORM,
    EMPTY_BLOCK,
    EXACT_PREFIX,
    FUNC_FORM,
    LIMITS_64,
    LIMITS_HAS_MAX,
    LIMITS_PAGE_SIZE,
    LIMITS_SHARED,
    REC_FORM,
    REF_NULL_PREFIX,
    REF_PREFIX,
    STRUCT_FORM,
    SUB_FINAL_FORM,
    SUB_FORM,
)
from .writer import sleb, uleb, uleb64


def heap_type(out: bytearray, heap: Any, exact: bool = False) -> None:
    """A heap type: abstract, a type index (s33), or exact (also a ``RefType`` immediate)."""
    if isinstance(heap, RefType):
        heap_type(out, heap.heap, heap.exact or exact)
        return
    if isinstance(heap, AbsHeapType):
        sleb(out, heap.value - 0x80)  # one byte, unless a layout spells it wider
        return
    if exact:
        out.append(EXACT_PREFIX)
    sleb(out, heap)


def ref_type(out: bytearray, ref: RefType) -> None:
    if ref.nullable and isinstance(ref.heap, AbsHeapType) and not ref.exact:
        out.append(ref.heap.value)
        return
    out.append(REF_NULL_PREFIX if ref.nullable else REF_PREFIX)
    heap_type(out, ref.heap, ref.exact)


def val_type(out: bytearray, value: ValType) -> None:
    if isinstance(value, NumType):
        out.append(value.value)
    else:
        ref_type(out, value)


def val_types(out: bytearray, values: tuple[ValType, ...]) -> None:
    uleb(out, len(values))
    for value in values:
        val_type(out, value)


def storage_type(out: bytearray, storage: StorageType) -> None:
    if isinstance(storage, PackedType):
        out.append(storage.value)
    else:
        val_type(out, storage)


def field_type(out: bytearray, field: FieldType) -> None:
    storage_type(out, field.storage)
    out.append(1 if field.mutable else 0)


def composite_type(out: bytearray, composite: CompositeType) -> None:
    if isinstance(composite, FuncType):
        out.append(FUNC_FORM)
        val_types(out, composite.params)
        val_types(out, composite.results)
    elif isinstance(composite, StructType):
        out.append(STRUCT_FORM)
        uleb(out, len(composite.fields))
        for field in composite.fields:
            field_type(out, field)
    elif isinstance(composite, ArrayType):
        out.append(ARRAY_FORM)
        field_type(out, composite.field)
    else:
        raise TypeError(f"not a composite type: {composite!r}")


def sub_type(out: bytearray, sub: SubType) -> None:
    if sub.explicit or not sub.final or sub.supertypes:
        out.append(SUB_FINAL_FORM if sub.final else SUB_FORM)
        uleb(out, len(sub.supertypes))
        for index in sub.supertypes:
            uleb(out, index)
    if sub.describes is not None:
        out.append(DESCRIBES_FORM)
        uleb(out, sub.describes)
    if sub.descriptor is not None:
        out.append(DESCRIPTOR_FORM)
        uleb(out, sub.descriptor)
    composite_type(out, sub.composite)


def rec_type(out: bytearray, group: RecType) -> None:
    if group.explicit or len(group.subtypes) != 1:
        out.append(REC_FORM)
        uleb(out, len(group.subtypes))
    for sub in group.subtypes:
        sub_type(out, sub)


def limits(out: bytearray, lim: Limits, page_size_log2: Optional[int] = None) -> None:
    flags = 0
    if lim.maximum is not None:
        flags |= LIMITS_HAS_MAX
    if lim.shared:
        flags |= LIMITS_SHARED
    if lim.address.name == "I64":
        flags |= LIMITS_64
    if page_size_log2 is not None:
        flags |= LIMITS_PAGE_SIZE
    out.append(flags)
    uleb64(out, lim.minimum)
    if lim.maximum is not None:
        uleb64(out, lim.maximum)
    if page_size_log2 is not None:
        uleb(out, page_size_log2)


def table_type(out: bytearray, table: TableType) -> None:
    ref_type(out, table.element)
    limits(out, table.limits)


def memory_type(out: bytearray, memory: MemoryType) -> None:
    limits(out, memory.limits, memory.page_size_log2)


def global_type(out: bytearray, value: GlobalType) -> None:
    val_type(out, value.value)
    out.append(1 if value.mutable else 0)


def tag_type(out: bytearray, tag: TagType) -> None:
    out.append(tag.attribute)
    uleb(out, tag.type_index)


def block_type(out: bytearray, block: Any) -> None:
    if block is None:
        out.append(EMPTY_BLOCK)
    elif isinstance(block, int):
        sleb(out, block)
    else:
        val_type(out, block)


__all__ = [
    "block_type",
    "composite_type",
    "global_type",
    "heap_type",
    "memory_type",
    "rec_type",
    "ref_type",
    "table_type",
    "tag_type",
    "val_type",
    "val_types",
]
