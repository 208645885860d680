"""Hand-picked cases of the scalar numerics: the corners the spec pins down."""

from __future__ import annotations

import math
import random
import struct
from typing import Callable

import pytest

from wasmport import numerics as n
from wasmport.errors import Trap, TrapCode

F32_MAX = 3.4028234663852886e38
INT32_MIN = 0x80000000
INT64_MIN = 0x8000000000000000
M32 = 0xFFFFFFFF
M64 = 0xFFFFFFFFFFFFFFFF


def f32(bits: int) -> float:
    return n.f32_from_bits(bits)


def f64(bits: int) -> float:
    return n.f64_from_bits(bits)


def traps(code: TrapCode, function: Callable[..., object], *args: object) -> None:
    with pytest.raises(Trap) as raised:
        function(*args)
    assert raised.value.code is code
    assert raised.value.message == code.message


# --------------------------------------------------------------------------
# Bits


@pytest.mark.parametrize(
    "bits",
    [0, 0x80000000, 1, 0x7F7FFFFF, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000,
     0x7FA00000, 0x7F800001, 0xFF800001, 0x7FFFFFFF, 0x7FC00001, 0x3F800000],
)  # fmt: skip
def test_f32_bits_round_trip(bits: int) -> None:
    assert n.f32_to_bits(n.f32_from_bits(bits)) == bits


def test_f32_bits_round_trip_random() -> None:
    rng = random.Random(32)
    for _ in range(20000):
        bits = rng.getrandbits(32)
        assert n.f32_to_bits(n.f32_from_bits(bits)) == bits


def test_f32_nan_payload_convention() -> None:
    # A signalling f32 NaN is the f64 NaN with the mantissa shifted up by 29.
    value = f32(0xFFA00001)
    assert n.f64_to_bits(value) == 0xFFF4000020000000
    # A NaN whose payload would vanish in f32 becomes quiet rather than infinite.
    assert n.f32_to_bits(f64(0x7FF0000000000001)) == 0x7FC00000


def test_f64_bits_round_trip() -> None:
    rng = random.Random(64)
    for bits in [0x7FF0000000000001, 0xFFF4000000000000, 0x8000000000000000] + [
        rng.getrandbits(64) for _ in range(20000)
    ]:
        assert n.f64_to_bits(n.f64_from_bits(bits)) == bits


def test_f32_round() -> None:
    assert n.f32_round(0.1) == struct.unpack("<f", struct.pack("<f", 0.1))[0]
    assert n.f32_round(F32_MAX) == F32_MAX
    halfway = f64(0x47EFFFFFF0000000)  # between F32_MAX and 2**128: ties to even
    assert n.f32_round(halfway) == math.inf
    assert n.f32_round(-halfway) == -math.inf
    assert n.f32_round(f64(0x47EFFFFFEFFFFFFF)) == F32_MAX
    assert n.f32_round(1e300) == math.inf
    assert n.f32_round(2.0**-150) == 0.0  # half the least subnormal: ties to even
    assert n.f32_round(f64(0x36A0000000000001)) == 2.0**-149
    assert n.f64_to_bits(n.f32_round(-1e-50)) == 0x8000000000000000
    assert n.f64_to_bits(n.f32_round(math.nan)) == n.F64_CANONICAL_NAN_BITS


def test_reinterpret_is_exact() -> None:
    assert n.i32_reinterpret_f32(n.f32_reinterpret_i32(0x7FA00001)) == 0x7FA00001
    assert n.i64_reinterpret_f64(n.f64_reinterpret_i64(0xFFF0000000000001)) == 0xFFF0000000000001


# --------------------------------------------------------------------------
# Integers


def test_integer_division_traps() -> None:
    traps(TrapCode.INTEGER_DIVISION_BY_ZERO, n.i32_div_s, 1, 0)
    traps(TrapCode.INTEGER_DIVISION_BY_ZERO, n.i32_div_u, 1, 0)
    traps(TrapCode.INTEGER_DIVISION_BY_ZERO, n.i32_rem_s, 1, 0)
    traps(TrapCode.INTEGER_DIVISION_BY_ZERO, n.i64_rem_u, 1, 0)
    traps(TrapCode.INTEGER_OVERFLOW, n.i32_div_s, INT32_MIN, M32)
    traps(TrapCode.INTEGER_OVERFLOW, n.i64_div_s, INT64_MIN, M64)
    assert n.i32_rem_s(INT32_MIN, M32) == 0
    assert n.i64_rem_s(INT64_MIN, M64) == 0


def test_signed_division_truncates_toward_zero() -> None:
    assert n.i32_div_s(-7 & M32, 2) == -3 & M32
    assert n.i32_div_s(7, -2 & M32) == -3 & M32
    assert n.i32_div_s(-7 & M32, -2 & M32) == 3
    assert n.i32_rem_s(-7 & M32, 2) == -1 & M32
    assert n.i32_rem_s(7, -2 & M32) == 1
    assert n.i64_div_s(-(2**62) & M64, 3) == -(2**62 // 3) & M64


def test_shifts_and_rotations_take_the_count_modulo_width() -> None:
    assert n.i32_shl(1, 33) == 2
    assert n.i32_shr_s(INT32_MIN, 31) == M32
    assert n.i32_shr_u(INT32_MIN, 63) == 1
    assert n.i32_rotl(0x80000001, 1) == 3
    assert n.i32_rotr(3, 33) == 0x80000001
    assert n.i64_rotl(INT64_MIN, 64) == INT64_MIN
    assert n.i64_shr_s(INT64_MIN, 65) == 0xC000000000000000


def test_bit_counts() -> None:
    assert (n.i32_clz(0), n.i32_ctz(0), n.i32_popcnt(0)) == (32, 32, 0)
    assert (n.i64_clz(0), n.i64_ctz(0), n.i64_popcnt(M64)) == (64, 64, 64)
    assert (n.i32_clz(1), n.i32_ctz(INT32_MIN)) == (31, 31)


def test_sign_extension_and_comparisons() -> None:
    assert n.i32_extend8_s(0x80) == 0xFFFFFF80
    assert n.i64_extend32_s(0x80000000) == 0xFFFFFFFF80000000
    assert n.i64_extend_i32_s(M32) == M64
    assert n.i32_lt_s(M32, 0) == 1 and n.i32_lt_u(M32, 0) == 0
    assert type(n.i64_ge_s(0, 0)) is int
    assert type(n.f32_eq(1.0, 1.0)) is int


def test_wide_arithmetic() -> None:
    assert n.i64_add128(M64, 0, 1, 0) == (0, 1)
    assert n.i64_add128(M64, M64, 1, 0) == (0, 0)
    assert n.i64_sub128(0, 0, 1, 0) == (M64, M64)
    assert n.i64_mul_wide_u(M64, M64) == (1, M64 - 1)
    assert n.i64_mul_wide_s(M64, 1) == (M64, M64)  # -1 * 1
    assert n.i64_mul_wide_s(INT64_MIN, INT64_MIN) == (0, 0x4000000000000000)


# --------------------------------------------------------------------------
# Floats


def bits32(value: float) -> int:
    return n.f32_to_bits(value)


def bits64(value: float) -> int:
    return n.f64_to_bits(value)


def test_nan_results_are_the_canonical_nan() -> None:
    signalling = f32(0x7FA00000)
    for result in (n.f32_add(signalling, 1.0), n.f32_sqrt(-1.0), n.f32_nearest(signalling),
                   n.f32_min(signalling, 0.0), n.f32_demote_f64(f64(0xFFF4000000000000))):  # fmt: skip
        assert bits32(result) == 0x7FC00000
    assert bits64(n.f64_sub(math.inf, math.inf)) == 0x7FF8000000000000
    assert bits64(n.f64_div(0.0, 0.0)) == 0x7FF8000000000000
    assert bits64(n.f64_promote_f32(signalling)) == 0x7FF8000000000000


def test_sign_operations_keep_nan_payloads() -> None:
    nan = f32(0x7FA00001)
    assert bits32(n.f32_neg(nan)) == 0xFFA00001
    assert bits32(n.f32_abs(f32(0xFFA00001))) == 0x7FA00001
    assert bits32(n.f32_copysign(nan, -0.0)) == 0xFFA00001
    assert bits64(n.f64_copysign(1.0, f64(0xFFF0000000000001))) == bits64(-1.0)
    assert bits64(n.f64_neg(f64(0x7FF0000000000001))) == 0xFFF0000000000001


def test_division_by_zero() -> None:
    assert n.f64_div(1.0, -0.0) == -math.inf
    assert n.f32_div(-1.0, -0.0) == math.inf
    assert bits64(n.f64_div(math.nan, 0.0)) == 0x7FF8000000000000


def test_min_max_order_zeros() -> None:
    assert bits64(n.f64_min(0.0, -0.0)) == bits64(-0.0)
    assert bits64(n.f64_min(-0.0, 0.0)) == bits64(-0.0)
    assert bits64(n.f64_max(0.0, -0.0)) == bits64(0.0)
    assert bits64(n.f64_max(-0.0, 0.0)) == bits64(0.0)
    assert bits64(n.f64_max(-0.0, -0.0)) == bits64(-0.0)
    assert n.f32_max(-math.inf, 1.0) == 1.0


@pytest.mark.parametrize(
    "value, nearest, floor, ceil, trunc",
    [
        (0.5, 0.0, 0.0, 1.0, 0.0),
        (-0.5, -0.0, -1.0, -0.0, -0.0),
        (1.5, 2.0, 1.0, 2.0, 1.0),
        (2.5, 2.0, 2.0, 3.0, 2.0),
        (-2.5, -2.0, -3.0, -2.0, -2.0),
        (0.49999999999999994, 0.0, 0.0, 1.0, 0.0),
        (4503599627370495.5, 4503599627370496.0, 4503599627370495.0, 4503599627370496.0,
         4503599627370495.0),
        (2.0**60, 2.0**60, 2.0**60, 2.0**60, 2.0**60),
        (-math.inf, -math.inf, -math.inf, -math.inf, -math.inf),
    ],
)  # fmt: skip
def test_rounding_to_integral(
    value: float, nearest: float, floor: float, ceil: float, trunc: float
) -> None:
    assert bits64(n.f64_nearest(value)) == bits64(nearest)
    assert bits64(n.f64_floor(value)) == bits64(floor)
    assert bits64(n.f64_ceil(value)) == bits64(ceil)
    assert bits64(n.f64_trunc(value)) == bits64(trunc)


def test_f32_arithmetic_rounds_once() -> None:
    # 1 + 2**-24 is halfway between f32 1.0 and its successor: ties to even.
    assert n.f32_add(1.0, 2.0**-24) == 1.0
    assert n.f32_add(1.0 + 2.0**-23, 2.0**-24) == 1.0 + 2.0**-22
    assert n.f32_mul(F32_MAX, 2.0) == math.inf
    assert n.f32_sub(-F32_MAX, F32_MAX) == -math.inf
    assert n.f32_sqrt(2.0) == struct.unpack("<f", struct.pack("<f", math.sqrt(2.0)))[0]


# --------------------------------------------------------------------------
# Conversions


def test_truncation_traps() -> None:
    traps(TrapCode.BAD_CONVERSION_TO_INTEGER, n.i32_trunc_f32_s, math.nan)
    traps(TrapCode.INTEGER_OVERFLOW, n.i32_trunc_f64_s, 2147483648.0)
    traps(TrapCode.INTEGER_OVERFLOW, n.i32_trunc_f64_s, -2147483649.0)
    traps(TrapCode.INTEGER_OVERFLOW, n.i32_trunc_f64_u, -1.0)
    traps(TrapCode.INTEGER_OVERFLOW, n.i64_trunc_f64_s, 9223372036854775808.0)
    traps(TrapCode.INTEGER_OVERFLOW, n.i64_trunc_f32_u, math.inf)
    assert n.i32_trunc_f64_s(-2147483648.9) == INT32_MIN
    assert n.i32_trunc_f64_s(2147483647.9) == 0x7FFFFFFF
    assert n.i32_trunc_f64_u(-0.9) == 0
    assert n.i64_trunc_f64_s(-9223372036854775808.0) == INT64_MIN
    assert n.i64_trunc_f64_u(18446744073709549568.0) == 18446744073709549568


def test_saturating_truncation() -> None:
    assert n.i32_trunc_sat_f32_s(math.nan) == 0
    assert n.i32_trunc_sat_f64_s(1e10) == 0x7FFFFFFF
    assert n.i32_trunc_sat_f64_s(-1e10) == INT32_MIN
    assert n.i32_trunc_sat_f64_u(-1e10) == 0
    assert n.i64_trunc_sat_f64_u(math.inf) == M64
    assert n.i64_trunc_sat_f32_s(-math.inf) == INT64_MIN
    assert n.i64_trunc_sat_f64_s(-1.5) == -1 & M64


def test_integer_to_f32_rounds_once() -> None:
    # Through f64 this would round to 2**60 + 2**36 and then tie down to 2**60.
    assert n.f32_convert_i64_u(0x1000001000000001) == 2.0**60 + 2.0**37
    assert n.f32_convert_i64_s(-0x1000001000000001 & M64) == -(2.0**60 + 2.0**37)
    assert n.f32_convert_i64_u(M64) == 2.0**64
    assert n.f32_convert_i64_s(INT64_MIN) == -(2.0**63)
    assert n.f32_convert_i32_s(0x01000001) == 16777216.0
    assert n.f32_convert_i32_u(M32) == 4294967296.0
    assert n.f64_convert_i64_u(M64) == 2.0**64
    assert n.f64_convert_i64_s(0x20000000000001) == 9007199254740992.0
    assert n.f64_convert_i32_s(M32) == -1.0


def test_demotion_and_promotion() -> None:
    assert n.f32_demote_f64(1e300) == math.inf
    assert n.f32_demote_f64(-1e300) == -math.inf
    assert bits32(n.f32_demote_f64(-0.0)) == 0x80000000
    assert n.f64_promote_f32(f32(1)) == 2.0**-149
