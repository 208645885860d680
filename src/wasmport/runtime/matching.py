"""Import matching (spec "Import Subtyping"): external values against the
types a module's imports declare."""

from __future__ import annotations

from typing import Optional, Sequence

from ..syntax.ast import FuncImportType, Import
from ..syntax.types import AbsHeapType, GlobalType, Limits, MemoryType, RefType, TableType, TagType
from .instances import (
    ExternValue,
    FuncInstance,
    GlobalInstance,
    TableInstance,
    TagInstance,
)
from .memory import MemoryInstance

#: The bottom type of each abstract heap-type hierarchy, and its top.
_BOTTOM_OF = {
    AbsHeapType.NOFUNC: AbsHeapType.FUNC,
    AbsHeapType.NOEXTERN: AbsHeapType.EXTERN,
    AbsHeapType.NOEXN: AbsHeapType.EXN,
    AbsHeapType.NONE: AbsHeapType.ANY,
}
_ANY_CHILDREN = {AbsHeapType.EQ, AbsHeapType.I31, AbsHeapType.STRUCT, AbsHeapType.ARRAY}


def _heap_subtype(sub: object, sup: object) -> bool:
    if sub == sup:
        return True
    if isinstance(sub, AbsHeapType) and _BOTTOM_OF.get(sub) is not None:
        top = _BOTTOM_OF[sub]
        return sup == top or (top is AbsHeapType.ANY and sup in _ANY_CHILDREN) or (
            isinstance(sup, int) and top is AbsHeapType.FUNC)
    if isinstance(sub, int):
        return sup is AbsHeapType.FUNC
    if sub in _ANY_CHILDREN:
        return sup is AbsHeapType.ANY or (sup is AbsHeapType.EQ and sub is not AbsHeapType.EQ)
    return False


def value_subtype(sub: object, sup: object) -> bool:
    """Whether value type ``sub`` matches ``sup`` (numbers: equality)."""
    if isinstance(sub, RefType) and isinstance(sup, RefType):
        if sub.nullable and not sup.nullable:
            return False
        return _heap_subtype(sub.heap, sup.heap)
    return sub == sup


def limits_match(actual_min: int, actual_max: Optional[int], expected: Limits) -> bool:
    if actual_min < expected.minimum:
        return False
    if expected.maximum is None:
        return True
    return actual_max is not None and actual_max <= expected.maximum


def _func(value: ExternValue, expected: object, type_ids: Sequence[int]) -> bool:
    if not isinstance(value, FuncInstance) or not isinstance(expected, FuncImportType):
        return False
    return value.type_id == type_ids[expected.type_index]


def _table(value: ExternValue, expected: object, type_ids: Sequence[int]) -> bool:
    if not isinstance(value, TableInstance) or not isinstance(expected, TableType):
        return False
    actual = value.type
    if actual.limits.address is not expected.limits.address:
        return False
    if actual.element != expected.element:
        return False
    return limits_match(len(value.elements), actual.limits.maximum, expected.limits)


def _memory(value: ExternValue, expected: object, type_ids: Sequence[int]) -> bool:
    if not isinstance(value, MemoryInstance) or not isinstance(expected, MemoryType):
        return False
    actual = value.type
    if actual.limits.address is not expected.limits.address:
        return False
    if actual.page_size != expected.page_size:
        return False
    if actual.limits.shared != expected.limits.shared:
        return False
    return limits_match(value.pages, actual.limits.maximum, expected.limits)


def _global(value: ExternValue, expected: object, type_ids: Sequence[int]) -> bool:
    if not isinstance(value, GlobalInstance) or not isinstance(expected, GlobalType):
        return False
    actual = value.type
    if actual.mutable != expected.mutable:
        return False
    if actual.mutable:
        return actual.value == expected.value
    return value_subtype(actual.value, expected.value)


def _tag(value: ExternValue, expected: object, type_ids: Sequence[int]) -> bool:
    if not isinstance(value, TagInstance) or not isinstance(expected, TagType):
        return False
    return value.type_id == type_ids[expected.type_index]


_MATCHERS = (_func, _table, _memory, _global, _tag)


def import_matches(value: ExternValue, imp: Import, type_ids: Sequence[int]) -> bool:
    """Whether ``value`` may be supplied for ``imp`` (kind and type)."""
    return _MATCHERS[imp.kind.value](value, imp.type, type_ids)


__all__ = ["import_matches", "limits_match", "value_subtype"]
