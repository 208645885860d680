"""Relaxed SIMD with one fixed choice per instruction: the spec's deterministic profile.

The Wasm 3.0 spec gives each relaxed instruction a set of allowed results
``relaxed(R)[A0, ..., An]`` and fixes the deterministic profile to ``A0``.
wasmport always computes ``A0``, so results never depend on the host:

=================================  ==============================================
instruction                        behaviour
=================================  ==============================================
``i8x16.relaxed_swizzle``          ``i8x16.swizzle`` (indices >= 16 give 0)
``i32x4.relaxed_trunc_*``          the matching ``trunc_sat`` (NaN -> 0, saturate)
``f32x4/f64x2.relaxed_madd``       unfused ``a * b + c`` (two roundings)
``f32x4/f64x2.relaxed_nmadd``      unfused ``(-a) * b + c``
``*.relaxed_laneselect``           ``v128.bitselect`` (the mask is used bit-wise)
``f32x4/f64x2.relaxed_min/max``    ``min``/``max`` (NaN in -> canonical NaN out,
                                   ``-0 < +0``)
``i16x8.relaxed_q15mulr_s``        ``i16x8.q15mulr_sat_s``
``i16x8.relaxed_dot_i8x16_i7x16_s``  signed x signed 8-bit products, adjacent
                                   pairs added with signed 16-bit saturation
``i32x4.relaxed_dot_..._add_s``    the 16-bit dot above, adjacent pairs
                                   sign-extended and added, plus the accumulator
                                   (wrapping 32-bit)
=================================  ==============================================

Wasmtime on x86-64 differs from this choice where the hardware does (pshufb
swizzle, cvttps2dq truncation, blendv lane select, minps/maxps, pmulhrsw,
pmaddubsw: b unsigned), and its ``relaxed_simd_deterministic`` mode fuses
``madd`` and wraps the 16-bit dot sum; every one of those results is among the
spec's allowed ones, and so is ours (the tests check both against the allowed
sets).
"""

from __future__ import annotations

import operator

from . import floats as _fl
from .simd_float import (
    f32x4_from_lanes,
    f32x4_lanes,
    f32x4_max,
    f32x4_min,
    f64x2_from_lanes,
    f64x2_lanes,
    f64x2_max,
    f64x2_min,
    i32x4_trunc_sat_f32x4_s,
    i32x4_trunc_sat_f32x4_u,
    i32x4_trunc_sat_f64x2_s_zero,
    i32x4_trunc_sat_f64x2_u_zero,
)
from .simd_integer import i16x8_q15mulr_sat_s, i32x4_add, i32x4_extadd_pairwise_i16x8_s
from .simd_lanes import S8, S16, i8x16_swizzle, v128_bitselect

i8x16_relaxed_swizzle = i8x16_swizzle
i32x4_relaxed_trunc_f32x4_s = i32x4_trunc_sat_f32x4_s
i32x4_relaxed_trunc_f32x4_u = i32x4_trunc_sat_f32x4_u
i32x4_relaxed_trunc_f64x2_s_zero = i32x4_trunc_sat_f64x2_s_zero
i32x4_relaxed_trunc_f64x2_u_zero = i32x4_trunc_sat_f64x2_u_zero
i8x16_relaxed_laneselect = v128_bitselect
i16x8_relaxed_laneselect = v128_bitselect
i32x4_relaxed_laneselect = v128_bitselect
i64x2_relaxed_laneselect = v128_bitselect
f32x4_relaxed_min = f32x4_min
f32x4_relaxed_max = f32x4_max
f64x2_relaxed_min = f64x2_min
f64x2_relaxed_max = f64x2_max
i16x8_relaxed_q15mulr_s = i16x8_q15mulr_sat_s


def f32x4_relaxed_madd(a: int, b: int, c: int) -> int:
    products = map(_fl.f32_mul, f32x4_lanes(a), f32x4_lanes(b))
    return f32x4_from_lanes(list(map(_fl.f32_add, products, f32x4_lanes(c))))


def f32x4_relaxed_nmadd(a: int, b: int, c: int) -> int:
    negated = map(_fl.f32_neg, f32x4_lanes(a))
    products = map(_fl.f32_mul, negated, f32x4_lanes(b))
    return f32x4_from_lanes(list(map(_fl.f32_add, products, f32x4_lanes(c))))


def f64x2_relaxed_madd(a: int, b: int, c: int) -> int:
    products = map(_fl.f64_mul, f64x2_lanes(a), f64x2_lanes(b))
    return f64x2_from_lanes(list(map(_fl.f64_add, products, f64x2_lanes(c))))


def f64x2_relaxed_nmadd(a: int, b: int, c: int) -> int:
    negated = map(_fl.f64_neg, f64x2_lanes(a))
    products = map(_fl.f64_mul, negated, f64x2_lanes(b))
    return f64x2_from_lanes(list(map(_fl.f64_add, products, f64x2_lanes(c))))


def _saturate16(x: int) -> int:
    return -0x8000 if x < -0x8000 else 0x7FFF if x > 0x7FFF else x


def i16x8_relaxed_dot_i8x16_i7x16_s(a: int, b: int) -> int:
    products = list(
        map(operator.mul, S8.unpack(a.to_bytes(16, "little")), S8.unpack(b.to_bytes(16, "little")))
    )
    sums = map(operator.add, products[0::2], products[1::2])
    return int.from_bytes(S16.pack(*map(_saturate16, sums)), "little")


def i32x4_relaxed_dot_i8x16_i7x16_add_s(a: int, b: int, c: int) -> int:
    return i32x4_add(i32x4_extadd_pairwise_i16x8_s(i16x8_relaxed_dot_i8x16_i7x16_s(a, b)), c)


__all__ = [
    "f32x4_relaxed_madd",
    "f32x4_relaxed_max",
    "f32x4_relaxed_min",
    "f32x4_relaxed_nmadd",
    "f64x2_relaxed_madd",
    "f64x2_relaxed_max",
    "f64x2_relaxed_min",
    "f64x2_relaxed_nmadd",
    "i16x8_relaxed_dot_i8x16_i7x16_s",
    "i16x8_relaxed_laneselect",
    "i16x8_relaxed_q15mulr_s",
    "i32x4_relaxed_dot_i8x16_i7x16_add_s",
    "i32x4_relaxed_laneselect",
    "i32x4_relaxed_trunc_f32x4_s",
    "i32x4_relaxed_trunc_f32x4_u",
    "i32x4_relaxed_trunc_f64x2_s_zero",
    "i32x4_relaxed_trunc_f64x2_u_zero",
    "i64x2_relaxed_laneselect",
    "i8x16_relaxed_laneselect",
    "i8x16_relaxed_swizzle",
]
