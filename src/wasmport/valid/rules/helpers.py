"""Small helpers shared by the rule modules."""

from __future__ import annotations

from typing import Iterator, Optional

from ...syntax.ast import Instr
from ...syntax.types import I32, I64, AddrType, Limits, NumType

#: What a rule returns: the nested instructions to walk next, if any.
Nested = Optional[Iterator[Instr]]


def address_of(limits: Limits) -> NumType:
    """The address (index) type of a memory or table: ``i64`` under memory64/table64."""
    return I64 if limits.address is AddrType.I64 else I32


def min_address(a: NumType, b: NumType) -> NumType:
    """The type of a length operand spanning two memories or tables."""
    return I32 if I32 in (a, b) else I64


__all__ = ["Nested", "address_of", "min_address"]
