"""Does an action's result match an ``assert_return`` pattern?

Floats compare bit for bit; ``nan:canonical`` accepts only the canonical NaNs
(either sign) and ``nan:arithmetic`` any NaN with the quiet bit set. Reference
patterns follow the abstract heap type hierarchy: ``(ref.eq)`` accepts an
``i31``, ``struct`` or ``array`` reference, ``(ref.any)`` any internal one.
"""

from __future__ import annotations

from typing import Callable, Dict, FrozenSet, Tuple

from ..syntax.types import AbsHeapType, NumType
from .ast import (
    EitherPattern,
    LaneShape,
    NanKind,
    NanPattern,
    NumValue,
    RefExternPattern,
    RefExternValue,
    RefHostPattern,
    RefHostValue,
    RefKindPattern,
    RefNullPattern,
    RefNullValue,
    ResultPattern,
    V128Pattern,
    V128Value,
    ValuePattern,
)
from .engine import OpaqueRef, Result

#: (exponent mask, quiet bit) of each float width.
_FLOAT_BITS: Dict[int, Tuple[int, int]] = {
    32: (0x7F800000, 0x00400000),
    64: (0x7FF0000000000000, 0x0008000000000000),
}
_WIDTH = {NumType.F32: 32, NumType.F64: 64}


def nan_matches(kind: NanKind, bits: int, width: int) -> bool:
    """Whether the float with raw ``bits`` of ``width`` is a NaN of class ``kind``."""
    exponent, quiet = _FLOAT_BITS[width]
    magnitude = bits & ~(1 << (width - 1))
    if kind is NanKind.CANONICAL:
        return magnitude == exponent | quiet
    return magnitude & (exponent | quiet) == exponent | quiet


#: Each abstract heap type with the abstract types of the references it accepts.
_ACCEPTS: Dict[AbsHeapType, FrozenSet[AbsHeapType]] = {
    AbsHeapType.ANY: frozenset(
        {AbsHeapType.ANY, AbsHeapType.EQ, AbsHeapType.I31, AbsHeapType.STRUCT, AbsHeapType.ARRAY}
    ),
    AbsHeapType.EQ: frozenset({AbsHeapType.EQ, AbsHeapType.I31, AbsHeapType.STRUCT, AbsHeapType.ARRAY}),
}

#: The top of each null's hierarchy: two nulls match when their tops agree.
_TOP = {
    AbsHeapType.FUNC: AbsHeapType.FUNC,
    AbsHeapType.NOFUNC: AbsHeapType.FUNC,
    AbsHeapType.EXTERN: AbsHeapType.EXTERN,
    AbsHeapType.NOEXTERN: AbsHeapType.EXTERN,
    AbsHeapType.EXN: AbsHeapType.EXN,
    AbsHeapType.NOEXN: AbsHeapType.EXN,
}


def _top(heap: AbsHeapType) -> AbsHeapType:
    return _TOP.get(heap, AbsHeapType.ANY)


def lanes_of(data: bytes, shape: LaneShape) -> Tuple[int, ...]:
    """The unsigned lanes of 16 little-endian bytes under ``shape``."""
    size = shape.lane_bits // 8
    return tuple(
        int.from_bytes(data[i : i + size], "little") for i in range(0, 16, size)
    )


def _value(pattern: ValuePattern, result: Result) -> bool:
    return pattern.value == result


def _nan(pattern: NanPattern, result: Result) -> bool:
    return (
        isinstance(result, NumValue)
        and result.type is pattern.type
        and nan_matches(pattern.kind, result.value, _WIDTH[pattern.type])
    )


def _v128(pattern: V128Pattern, result: Result) -> bool:
    if not isinstance(result, V128Value):
        return False
    width = pattern.shape.lane_bits
    for expected, actual in zip(pattern.lanes, lanes_of(result.data, pattern.shape)):
        if isinstance(expected, NanKind):
            if not nan_matches(expected, actual, width):
                return False
        elif expected != actual:
            return False
    return True


def _ref_null(pattern: RefNullPattern, result: Result) -> bool:
    if not isinstance(result, RefNullValue):
        return False
    return pattern.heap is None or _top(pattern.heap) is _top(result.heap)


def _ref_extern(pattern: RefExternPattern, result: Result) -> bool:
    if isinstance(result, RefExternValue):
        return pattern.payload is None or pattern.payload == result.payload
    return pattern.payload is None and result == OpaqueRef(AbsHeapType.EXTERN)


def _ref_host(pattern: RefHostPattern, result: Result) -> bool:
    return isinstance(result, RefHostValue) and result.payload == pattern.payload


def _ref_kind(pattern: RefKindPattern, result: Result) -> bool:
    if isinstance(result, RefHostValue):
        return pattern.heap is AbsHeapType.ANY
    if not isinstance(result, OpaqueRef):
        return False
    accepted = _ACCEPTS.get(pattern.heap, frozenset({pattern.heap}))
    return result.heap in accepted


def _either(pattern: EitherPattern, result: Result) -> bool:
    return any(matches(alternative, result) for alternative in pattern.alternatives)


_MATCHERS: Dict[type, Callable[..., bool]] = {
    ValuePattern: _value,
    NanPattern: _nan,
    V128Pattern: _v128,
    RefNullPattern: _ref_null,
    RefExternPattern: _ref_extern,
    RefHostPattern: _ref_host,
    RefKindPattern: _ref_kind,
    EitherPattern: _either,
}


def matches(pattern: ResultPattern, result: Result) -> bool:
    """Whether ``result`` satisfies ``pattern``."""
    return _MATCHERS[type(pattern)](pattern, result)


__all__ = ["lanes_of", "matches", "nan_matches"]
