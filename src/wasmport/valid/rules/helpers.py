"""Small helpers shared by the rule modules."""

from __future__ import annotations

from typing import Any, Iterator, Optional, Tuple

from ...syntax.ast import Instr
from ...syntax.types import I32, I64, AddrType, HeapType, Limits, NumType, RefType

#: What a rule returns: the nested instructions to walk next, if any.
Nested = Optional[Iterator[Instr]]


def address_of(limits: Limits) -> NumType:
    """The address (index) type of a memory or table: ``i64`` under memory64/table64."""
    return I64 if limits.address is AddrType.I64 else I32


def heap_immediate(arg: Any) -> Tuple[HeapType, bool]:
    """A heap-type immediate as (heap type, exact): a plain heap type, or
    ``RefType(False, index, True)`` for an exact one (custom-descriptors)."""
    if isinstance(arg, RefType):
        return arg.heap, arg.exact
    return arg, False


def min_address(a: NumType, b: NumType) -> NumType:
    """The type of a length operand spanning two memories or tables."""
    return I32 if I32 in (a, b) else I64


__all__ = ["Nested", "address_of", "heap_immediate", "min_address"]
