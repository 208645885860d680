"""Float lanes of ``v128``: f32x4 and f64x2 arithmetic, comparisons, conversions.

Each lane follows the scalar Wasm semantics of :mod:`wasmport.numerics.floats`
and :mod:`wasmport.numerics.conversions` (NaN propagation, min/max, nearest,
saturating truncation): this module only moves lanes in and out of vectors.

f32 lanes: ``struct '<f'`` converts exactly in both directions for every
non-NaN value, but C's float/double conversion quiets signalling NaNs. So
lanes are read with ``<4f`` only when none of them is a NaN (checked on the
bits), otherwise through ``<4I`` and :func:`f32_from_bits`; results are written
with ``<4f`` only when no result is a NaN, otherwise through :func:`f32_to_bits`.
Comparisons never expose a NaN's bits and may read ``<4f`` directly.
f64 lanes use ``<2d``, which keeps NaN payloads.

Sign-bit operations (``abs``, ``neg``) work on the bits of the whole vector.
"""

from __future__ import annotations

import operator
import struct
from typing import Callable, Sequence, Tuple

from . import conversions as _conv
from . import floats as _fl
from .bits import f32_from_bits, f32_to_bits, f64_from_bits, f64_to_bits
from .simd_lanes import F64, HIGH, MASK128, S32, U32

Binary = Callable[[int, int], int]
Unary = Callable[[int], int]
FloatBinary = Callable[[float, float], float]
FloatUnary = Callable[[float], float]

_F4 = struct.Struct("<4f")
_I2 = struct.Struct("<2I")

_VECTOR_MAGNITUDE_32 = MASK128 ^ HIGH[32]
_VECTOR_MAGNITUDE_64 = MASK128 ^ HIGH[64]


def f32x4_lanes(v: int) -> Tuple[float, ...]:
    """The four f32 lanes as runtime f32 values (NaN payloads kept)."""
    raw = v.to_bytes(16, "little")
    lanes: Tuple[float, ...] = _F4.unpack(raw)
    for x in lanes:
        if x != x:
            return tuple(map(f32_from_bits, U32.unpack(raw)))
    return lanes


def f32x4_from_lanes(lanes: Sequence[float]) -> int:
    """A vector of four runtime f32 values (each exactly representable in f32, or a NaN)."""
    for x in lanes:
        if x != x:
            return int.from_bytes(U32.pack(*map(f32_to_bits, lanes)), "little")
    return int.from_bytes(_F4.pack(*lanes), "little")


def f64x2_lanes(v: int) -> Tuple[float, ...]:
    lanes: Tuple[float, ...] = F64.unpack(v.to_bytes(16, "little"))
    return lanes


def f64x2_from_lanes(lanes: Sequence[float]) -> int:
    return int.from_bytes(F64.pack(*lanes), "little")


# --------------------------------------------------------------------------
# Splat and lane access


def f32x4_splat(x: float) -> int:
    return f32_to_bits(x) * 0x00000001_00000001_00000001_00000001


def f64x2_splat(x: float) -> int:
    return f64_to_bits(x) * 0x0000000000000001_0000000000000001


def f32x4_extract_lane(v: int, lane: int) -> float:
    return f32_from_bits((v >> (lane << 5)) & 0xFFFFFFFF)


def f64x2_extract_lane(v: int, lane: int) -> float:
    return f64_from_bits((v >> (lane << 6)) & 0xFFFFFFFFFFFFFFFF)


def f32x4_replace_lane(v: int, x: float, lane: int) -> int:
    shift = lane << 5
    return (v & ~(0xFFFFFFFF << shift)) | (f32_to_bits(x) << shift)


def f64x2_replace_lane(v: int, x: float, lane: int) -> int:
    shift = lane << 6
    return (v & ~(0xFFFFFFFFFFFFFFFF << shift)) | (f64_to_bits(x) << shift)


# --------------------------------------------------------------------------
# Sign-bit operations


def f32x4_abs(a: int) -> int:
    return a & _VECTOR_MAGNITUDE_32


def f32x4_neg(a: int) -> int:
    return a ^ HIGH[32]


def f64x2_abs(a: int) -> int:
    return a & _VECTOR_MAGNITUDE_64


def f64x2_neg(a: int) -> int:
    return a ^ HIGH[64]


# --------------------------------------------------------------------------
# Lane-wise arithmetic through the scalar semantics


def _f32_binary(function: FloatBinary) -> Binary:
    def op(a: int, b: int) -> int:
        return f32x4_from_lanes(list(map(function, f32x4_lanes(a), f32x4_lanes(b))))

    return op


def _f32_unary(function: FloatUnary) -> Unary:
    def op(a: int) -> int:
        return f32x4_from_lanes(list(map(function, f32x4_lanes(a))))

    return op


def _f64_binary(function: FloatBinary) -> Binary:
    unpack, pack = F64.unpack, F64.pack

    def op(a: int, b: int) -> int:
        return int.from_bytes(
            pack(
                *map(function, unpack(a.to_bytes(16, "little")), unpack(b.to_bytes(16, "little")))
            ),
            "little",
        )

    return op


def _f64_unary(function: FloatUnary) -> Unary:
    unpack, pack = F64.unpack, F64.pack

    def op(a: int) -> int:
        return int.from_bytes(pack(*map(function, unpack(a.to_bytes(16, "little")))), "little")

    return op


f32x4_add = _f32_binary(_fl.f32_add)
f32x4_sub = _f32_binary(_fl.f32_sub)
f32x4_mul = _f32_binary(_fl.f32_mul)
f32x4_div = _f32_binary(_fl.f32_div)
f32x4_min = _f32_binary(_fl.f32_min)
f32x4_max = _f32_binary(_fl.f32_max)
f32x4_sqrt = _f32_unary(_fl.f32_sqrt)
f32x4_ceil = _f32_unary(_fl.f32_ceil)
f32x4_floor = _f32_unary(_fl.f32_floor)
f32x4_trunc = _f32_unary(_fl.f32_trunc)
f32x4_nearest = _f32_unary(_fl.f32_nearest)

f64x2_add = _f64_binary(_fl.f64_add)
f64x2_sub = _f64_binary(_fl.f64_sub)
f64x2_mul = _f64_binary(_fl.f64_mul)
f64x2_div = _f64_binary(_fl.f64_div)
f64x2_min = _f64_binary(_fl.f64_min)
f64x2_max = _f64_binary(_fl.f64_max)
f64x2_sqrt = _f64_unary(_fl.f64_sqrt)
f64x2_ceil = _f64_unary(_fl.f64_ceil)
f64x2_floor = _f64_unary(_fl.f64_floor)
f64x2_trunc = _f64_unary(_fl.f64_trunc)
f64x2_nearest = _f64_unary(_fl.f64_nearest)


# --------------------------------------------------------------------------
# Pseudo-min/max: pick one operand's bits (``b < a ? b : a`` and ``a < b ? b : a``)


def _f32_pick(relation: Callable[[float, float], bool]) -> Binary:
    def op(a: int, b: int) -> int:
        xs = _F4.unpack(a.to_bytes(16, "little"))
        ys = _F4.unpack(b.to_bytes(16, "little"))
        xbits = U32.unpack(a.to_bytes(16, "little"))
        ybits = U32.unpack(b.to_bytes(16, "little"))
        lanes = [yb if relation(x, y) else xb for x, y, xb, yb in zip(xs, ys, xbits, ybits)]
        return int.from_bytes(U32.pack(*lanes), "little")

    return op


def _f64_pick(relation: Callable[[float, float], bool]) -> Binary:
    def op(a: int, b: int) -> int:
        xs = F64.unpack(a.to_bytes(16, "little"))
        ys = F64.unpack(b.to_bytes(16, "little"))
        return int.from_bytes(
            F64.pack(*[y if relation(x, y) else x for x, y in zip(xs, ys)]), "little"
        )

    return op


def _greater(x: float, y: float) -> bool:
    """``y < x``: pmin takes ``b`` when it is below ``a``."""
    return y < x


f32x4_pmin = _f32_pick(_greater)
f32x4_pmax = _f32_pick(operator.lt)
f64x2_pmin = _f64_pick(_greater)
f64x2_pmax = _f64_pick(operator.lt)


# --------------------------------------------------------------------------
# Comparisons (all ones where the relation holds; any NaN compares unequal)


def _compare(
    fmt: struct.Struct, pack: Callable[..., bytes], relation: Callable[[float, float], bool]
) -> Binary:
    unpack = fmt.unpack
    neg = operator.neg

    def op(a: int, b: int) -> int:
        lanes = map(relation, unpack(a.to_bytes(16, "little")), unpack(b.to_bytes(16, "little")))
        return int.from_bytes(pack(*map(neg, lanes)), "little")

    return op


_S64 = struct.Struct("<2q")
f32x4_eq = _compare(_F4, S32.pack, operator.eq)
f32x4_ne = _compare(_F4, S32.pack, operator.ne)
f32x4_lt = _compare(_F4, S32.pack, operator.lt)
f32x4_gt = _compare(_F4, S32.pack, operator.gt)
f32x4_le = _compare(_F4, S32.pack, operator.le)
f32x4_ge = _compare(_F4, S32.pack, operator.ge)
f64x2_eq = _compare(F64, _S64.pack, operator.eq)
f64x2_ne = _compare(F64, _S64.pack, operator.ne)
f64x2_lt = _compare(F64, _S64.pack, operator.lt)
f64x2_gt = _compare(F64, _S64.pack, operator.gt)
f64x2_le = _compare(F64, _S64.pack, operator.le)
f64x2_ge = _compare(F64, _S64.pack, operator.ge)


# --------------------------------------------------------------------------
# Conversions


def _trunc_sat_f32(function: Callable[[float], int]) -> Unary:
    def op(a: int) -> int:
        return int.from_bytes(U32.pack(*map(function, f32x4_lanes(a))), "little")

    return op


def _trunc_sat_f64_zero(function: Callable[[float], int]) -> Unary:
    def op(a: int) -> int:
        return int.from_bytes(_I2.pack(*map(function, f64x2_lanes(a))), "little")

    return op


i32x4_trunc_sat_f32x4_s = _trunc_sat_f32(_conv.i32_trunc_sat_f32_s)
i32x4_trunc_sat_f32x4_u = _trunc_sat_f32(_conv.i32_trunc_sat_f32_u)
i32x4_trunc_sat_f64x2_s_zero = _trunc_sat_f64_zero(_conv.i32_trunc_sat_f64_s)
i32x4_trunc_sat_f64x2_u_zero = _trunc_sat_f64_zero(_conv.i32_trunc_sat_f64_u)


def _convert_i32(function: Callable[[int], float]) -> Unary:
    def op(a: int) -> int:
        return f32x4_from_lanes(list(map(function, U32.unpack(a.to_bytes(16, "little")))))

    return op


f32x4_convert_i32x4_s = _convert_i32(_conv.f32_convert_i32_s)
f32x4_convert_i32x4_u = _convert_i32(_conv.f32_convert_i32_u)


def _convert_low_i32(function: Callable[[int], float]) -> Unary:
    def op(a: int) -> int:
        low = (a & 0xFFFFFFFF, (a >> 32) & 0xFFFFFFFF)
        return int.from_bytes(F64.pack(*map(function, low)), "little")

    return op


f64x2_convert_low_i32x4_s = _convert_low_i32(_conv.f64_convert_i32_s)
f64x2_convert_low_i32x4_u = _convert_low_i32(_conv.f64_convert_i32_u)


def f32x4_demote_f64x2_zero(a: int) -> int:
    low, high = map(_conv.f32_demote_f64, f64x2_lanes(a))
    return f32_to_bits(low) | (f32_to_bits(high) << 32)


def f64x2_promote_low_f32x4(a: int) -> int:
    lanes = (f32_from_bits(a & 0xFFFFFFFF), f32_from_bits((a >> 32) & 0xFFFFFFFF))
    return int.from_bytes(F64.pack(*map(_conv.f64_promote_f32, lanes)), "little")


__all__ = [
    "f32x4_abs",
    "f32x4_add",
    "f32x4_ceil",
    "f32x4_convert_i32x4_s",
    "f32x4_convert_i32x4_u",
    "f32x4_demote_f64x2_zero",
    "f32x4_div",
    "f32x4_eq",
    "f32x4_extract_lane",
    "f32x4_floor",
    "f32x4_from_lanes",
    "f32x4_ge",
    "f32x4_gt",
    "f32x4_lanes",
    "f32x4_le",
    "f32x4_lt",
    "f32x4_max",
    "f32x4_min",
    "f32x4_mul",
    "f32x4_ne",
    "f32x4_nearest",
    "f32x4_neg",
    "f32x4_pmax",
    "f32x4_pmin",
    "f32x4_replace_lane",
    "f32x4_splat",
    "f32x4_sqrt",
    "f32x4_sub",
    "f32x4_trunc",
    "f64x2_abs",
    "f64x2_add",
    "f64x2_ceil",
    "f64x2_convert_low_i32x4_s",
    "f64x2_convert_low_i32x4_u",
    "f64x2_div",
    "f64x2_eq",
    "f64x2_extract_lane",
    "f64x2_floor",
    "f64x2_from_lanes",
    "f64x2_ge",
    "f64x2_gt",
    "f64x2_lanes",
    "f64x2_le",
    "f64x2_lt",
    "f64x2_max",
    "f64x2_min",
    "f64x2_mul",
    "f64x2_ne",
    "f64x2_nearest",
    "f64x2_neg",
    "f64x2_pmax",
    "f64x2_pmin",
    "f64x2_promote_low_f32x4",
    "f64x2_replace_lane",
    "f64x2_splat",
    "f64x2_sqrt",
    "f64x2_sub",
    "f64x2_trunc",
    "i32x4_trunc_sat_f32x4_s",
    "i32x4_trunc_sat_f32x4_u",
    "i32x4_trunc_sat_f64x2_s_zero",
    "i32x4_trunc_sat_f64x2_u_zero",
]
