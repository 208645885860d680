"""Float instructions on the runtime form (see :mod:`.bits`).

NaN results follow the spec's *deterministic profile*: every arithmetic
instruction whose result is a NaN returns the positive canonical NaN. That is
an arithmetic NaN always and a canonical NaN whenever the inputs are canonical,
so it satisfies the non-deterministic rules too, and it does not depend on the
host CPU (x86 and ARM produce different NaNs for the same operation).

``abs``, ``neg`` and ``copysign`` are bit operations: Python's unary minus,
``abs`` and ``math.copysign`` flip/clear/copy the sign bit and keep NaN payloads.

f32 arithmetic is done in f64 and rounded once to f32: for ``+ - * / sqrt`` the
f64 result rounded to f32 equals the correctly rounded f32 result (f64 has more
than ``2 * 24 + 2`` significand bits). Rounding to an integral value, ``min``,
``max`` and the comparisons give the same answer for an f32 held exactly in an
f64, so the f32 versions of those are the f64 functions.
"""

from __future__ import annotations

import struct
from math import ceil, copysign, floor, inf, sqrt, trunc

from .bits import CANONICAL_NAN

_F32 = struct.Struct("<f")
_f32_pack = _F32.pack
_f32_unpack = _F32.unpack

#: 2**52: every f64 at least this large in magnitude is an integer.
_TWO_52 = 4503599627370496.0


# --------------------------------------------------------------------------
# f64


def f64_add(a: float, b: float) -> float:
    r = a + b
    return r if r == r else CANONICAL_NAN


def f64_sub(a: float, b: float) -> float:
    r = a - b
    return r if r == r else CANONICAL_NAN


def f64_mul(a: float, b: float) -> float:
    r = a * b
    return r if r == r else CANONICAL_NAN


def _divide_by_zero(a: float, b: float) -> float:
    if a != a or a == 0.0:
        return CANONICAL_NAN
    return inf if copysign(1.0, a) == copysign(1.0, b) else -inf


def f64_div(a: float, b: float) -> float:
    try:
        r = a / b
    except ZeroDivisionError:
        return _divide_by_zero(a, b)
    return r if r == r else CANONICAL_NAN


def f64_sqrt(a: float) -> float:
    if a < 0.0 or a != a:
        return CANONICAL_NAN
    return sqrt(a)


def f64_min(a: float, b: float) -> float:
    if a < b:
        return a
    if b < a:
        return b
    if a == b:
        # Equal zeros of either sign: the result is -0 if either is -0.
        return a if a else -(-a - b)
    return CANONICAL_NAN


def f64_max(a: float, b: float) -> float:
    if a > b:
        return a
    if b > a:
        return b
    if a == b:
        # Equal zeros of either sign: the result is +0 if either is +0.
        return a if a else a + b
    return CANONICAL_NAN


def f64_copysign(a: float, b: float) -> float:
    return copysign(a, b)


def f64_abs(a: float) -> float:
    return abs(a)


def f64_neg(a: float) -> float:
    return -a


def f64_ceil(a: float) -> float:
    if -_TWO_52 < a < _TWO_52:
        return copysign(float(ceil(a)), a)
    return a if a == a else CANONICAL_NAN


def f64_floor(a: float) -> float:
    if -_TWO_52 < a < _TWO_52:
        return copysign(float(floor(a)), a)
    return a if a == a else CANONICAL_NAN


def f64_trunc(a: float) -> float:
    if -_TWO_52 < a < _TWO_52:
        return copysign(float(trunc(a)), a)
    return a if a == a else CANONICAL_NAN


def f64_nearest(a: float) -> float:
    if -_TWO_52 < a < _TWO_52:
        # Adding 2**52 leaves no fraction bits: the addition itself rounds to
        # the nearest integer, ties to even.
        return copysign((abs(a) + _TWO_52) - _TWO_52, a)
    return a if a == a else CANONICAL_NAN


def f64_eq(a: float, b: float) -> int:
    return 1 if a == b else 0


def f64_ne(a: float, b: float) -> int:
    return 1 if a != b else 0


def f64_lt(a: float, b: float) -> int:
    return 1 if a < b else 0


def f64_gt(a: float, b: float) -> int:
    return 1 if a > b else 0


def f64_le(a: float, b: float) -> int:
    return 1 if a <= b else 0


def f64_ge(a: float, b: float) -> int:
    return 1 if a >= b else 0


# --------------------------------------------------------------------------
# f32: computed in f64, rounded once


def _overflowed(r: float) -> float:
    return inf if r > 0.0 else -inf


def f32_add(a: float, b: float) -> float:
    r = a + b
    if r != r:
        return CANONICAL_NAN
    try:
        return _f32_unpack(_f32_pack(r))[0]  # type: ignore[no-any-return]
    except OverflowError:
        return _overflowed(r)


def f32_sub(a: float, b: float) -> float:
    r = a - b
    if r != r:
        return CANONICAL_NAN
    try:
        return _f32_unpack(_f32_pack(r))[0]  # type: ignore[no-any-return]
    except OverflowError:
        return _overflowed(r)


def f32_mul(a: float, b: float) -> float:
    r = a * b
    if r != r:
        return CANONICAL_NAN
    try:
        return _f32_unpack(_f32_pack(r))[0]  # type: ignore[no-any-return]
    except OverflowError:
        return _overflowed(r)


def f32_div(a: float, b: float) -> float:
    try:
        r = a / b
    except ZeroDivisionError:
        return _divide_by_zero(a, b)
    if r != r:
        return CANONICAL_NAN
    try:
        return _f32_unpack(_f32_pack(r))[0]  # type: ignore[no-any-return]
    except OverflowError:
        return _overflowed(r)


def f32_sqrt(a: float) -> float:
    if a < 0.0 or a != a:
        return CANONICAL_NAN
    return _f32_unpack(_f32_pack(sqrt(a)))[0]  # type: ignore[no-any-return]


f32_min = f64_min
f32_max = f64_max
f32_copysign = f64_copysign
f32_abs = f64_abs
f32_neg = f64_neg
f32_ceil = f64_ceil
f32_floor = f64_floor
f32_trunc = f64_trunc
f32_nearest = f64_nearest
f32_eq = f64_eq
f32_ne = f64_ne
f32_lt = f64_lt
f32_gt = f64_gt
f32_le = f64_le
f32_ge = f64_ge


__all__ = [
    "f32_abs",
    "f32_add",
    "f32_ceil",
    "f32_copysign",
    "f32_div",
    "f32_eq",
    "f32_floor",
    "f32_ge",
    "f32_gt",
    "f32_le",
    "f32_lt",
    "f32_max",
    "f32_min",
    "f32_mul",
    "f32_ne",
    "f32_nearest",
    "f32_neg",
    "f32_sqrt",
    "f32_sub",
    "f32_trunc",
    "f64_abs",
    "f64_add",
    "f64_ceil",
    "f64_copysign",
    "f64_div",
    "f64_eq",
    "f64_floor",
    "f64_ge",
    "f64_gt",
    "f64_le",
    "f64_lt",
    "f64_max",
    "f64_min",
    "f64_mul",
    "f64_ne",
    "f64_nearest",
    "f64_neg",
    "f64_sqrt",
    "f64_sub",
    "f64_trunc",
]
