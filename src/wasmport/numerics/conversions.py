"""Conversions between the integer and float types.

Truncations check the range on the float before converting: each bound is an
exactly representable f64, and ``int(x)`` truncates toward zero. An f32 is held
exactly in a float, so the f32 and f64 truncations are the same functions.

Integer-to-f32 conversion is correctly rounded (ties to even) with a single
rounding: values that fit in 53 bits convert to f64 exactly and are rounded to
f32 once; wider values are rounded in integer arithmetic (converting to f64
first would round twice and can land on the wrong f32).
"""

from __future__ import annotations

import struct
from math import copysign, inf, ldexp

from ..errors import Trap, TrapCode
from .bits import CANONICAL_NAN

_F32 = struct.Struct("<f")
_f32_pack = _F32.pack
_f32_unpack = _F32.unpack


def _invalid(a: float) -> Trap:
    if a != a:
        return Trap(TrapCode.BAD_CONVERSION_TO_INTEGER)
    return Trap(TrapCode.INTEGER_OVERFLOW)


# --------------------------------------------------------------------------
# Trapping truncation


def i32_trunc_f64_s(a: float) -> int:
    if -2147483649.0 < a < 2147483648.0:
        return int(a) & 0xFFFFFFFF
    raise _invalid(a)


def i32_trunc_f64_u(a: float) -> int:
    if -1.0 < a < 4294967296.0:
        return int(a)
    raise _invalid(a)


def i64_trunc_f64_s(a: float) -> int:
    if -9223372036854775808.0 <= a < 9223372036854775808.0:
        return int(a) & 0xFFFFFFFFFFFFFFFF
    raise _invalid(a)


def i64_trunc_f64_u(a: float) -> int:
    if -1.0 < a < 18446744073709551616.0:
        return int(a)
    raise _invalid(a)


i32_trunc_f32_s = i32_trunc_f64_s
i32_trunc_f32_u = i32_trunc_f64_u
i64_trunc_f32_s = i64_trunc_f64_s
i64_trunc_f32_u = i64_trunc_f64_u


# --------------------------------------------------------------------------
# Saturating truncation


def i32_trunc_sat_f64_s(a: float) -> int:
    if -2147483649.0 < a < 2147483648.0:
        return int(a) & 0xFFFFFFFF
    if a != a:
        return 0
    return 0x7FFFFFFF if a > 0.0 else 0x80000000


def i32_trunc_sat_f64_u(a: float) -> int:
    if -1.0 < a < 4294967296.0:
        return int(a)
    return 0xFFFFFFFF if a > 0.0 else 0


def i64_trunc_sat_f64_s(a: float) -> int:
    if -9223372036854775808.0 <= a < 9223372036854775808.0:
        return int(a) & 0xFFFFFFFFFFFFFFFF
    if a != a:
        return 0
    return 0x7FFFFFFFFFFFFFFF if a > 0.0 else 0x8000000000000000


def i64_trunc_sat_f64_u(a: float) -> int:
    if -1.0 < a < 18446744073709551616.0:
        return int(a)
    return 0xFFFFFFFFFFFFFFFF if a > 0.0 else 0


i32_trunc_sat_f32_s = i32_trunc_sat_f64_s
i32_trunc_sat_f32_u = i32_trunc_sat_f64_u
i64_trunc_sat_f32_s = i64_trunc_sat_f64_s
i64_trunc_sat_f32_u = i64_trunc_sat_f64_u


# --------------------------------------------------------------------------
# Integer to float


def _magnitude_to_f32(value: int) -> float:
    """A non-negative int below 2**64 rounded to the nearest f32, ties to even."""
    width = value.bit_length()
    if width <= 53:
        return _f32_unpack(_f32_pack(float(value)))[0]  # type: ignore[no-any-return]
    shift = width - 24
    mantissa = value >> shift
    rest = value - (mantissa << shift)
    half = 1 << (shift - 1)
    if rest > half or (rest == half and mantissa & 1):
        mantissa += 1
    return ldexp(float(mantissa), shift)


def f32_convert_i32_s(a: int) -> float:
    return _f32_unpack(_f32_pack(float((a ^ 0x80000000) - 0x80000000)))[0]  # type: ignore[no-any-return]


def f32_convert_i32_u(a: int) -> float:
    return _f32_unpack(_f32_pack(float(a)))[0]  # type: ignore[no-any-return]


def f32_convert_i64_s(a: int) -> float:
    if a & 0x8000000000000000:
        return -_magnitude_to_f32(0x10000000000000000 - a)
    return _magnitude_to_f32(a)


def f32_convert_i64_u(a: int) -> float:
    return _magnitude_to_f32(a)


def f64_convert_i32_s(a: int) -> float:
    return float((a ^ 0x80000000) - 0x80000000)


def f64_convert_i32_u(a: int) -> float:
    return float(a)


def f64_convert_i64_s(a: int) -> float:
    # int -> float is correctly rounded (ties to even) in Python.
    return float((a ^ 0x8000000000000000) - 0x8000000000000000)


def f64_convert_i64_u(a: int) -> float:
    return float(a)


# --------------------------------------------------------------------------
# Between the float types


def f32_demote_f64(a: float) -> float:
    if a != a:
        return CANONICAL_NAN
    try:
        return _f32_unpack(_f32_pack(a))[0]  # type: ignore[no-any-return]
    except OverflowError:
        return copysign(inf, a)


def f64_promote_f32(a: float) -> float:
    return a if a == a else CANONICAL_NAN


__all__ = [
    "f32_convert_i32_s",
    "f32_convert_i32_u",
    "f32_convert_i64_s",
    "f32_convert_i64_u",
    "f32_demote_f64",
    "f64_convert_i32_s",
    "f64_convert_i32_u",
    "f64_convert_i64_s",
    "f64_convert_i64_u",
    "f64_promote_f32",
    "i32_trunc_f32_s",
    "i32_trunc_f32_u",
    "i32_trunc_f64_s",
    "i32_trunc_f64_u",
    "i32_trunc_sat_f32_s",
    "i32_trunc_sat_f32_u",
    "i32_trunc_sat_f64_s",
    "i32_trunc_sat_f64_u",
    "i64_trunc_f32_s",
    "i64_trunc_f32_u",
    "i64_trunc_f64_s",
    "i64_trunc_f64_u",
    "i64_trunc_sat_f32_s",
    "i64_trunc_sat_f32_u",
    "i64_trunc_sat_f64_s",
    "i64_trunc_sat_f64_u",
]
