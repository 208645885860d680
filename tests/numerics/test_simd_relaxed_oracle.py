"""The results the spec allows for each relaxed SIMD row, lane by lane.

For every relaxed row, :data:`RELAXED_ALLOWED` gives the lane width of the
result and a function from one lane's inputs to the list of allowed lane
results, the deterministic profile's choice first (the spec's
``relaxed(R)[A0, ..., An]``, deterministic profile ``A0``). :data:`ANY_NAN`
stands for "any NaN" in float lanes. The differential tests check our result
against the first entry and Wasmtime's (native, non-deterministic) against all.

The tests at the bottom check the oracle itself on hand-picked lanes.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Callable, Dict, List, NamedTuple, Sequence, Tuple

from wasmport.numerics import (
    f32_add,
    f32_from_bits,
    f32_mul,
    f32_to_bits,
    f64_add,
    f64_from_bits,
    f64_max,
    f64_min,
    f64_mul,
    f64_to_bits,
    i32_trunc_sat_f32_s,
    i32_trunc_sat_f32_u,
)

#: A float-lane candidate meaning "any NaN".
ANY_NAN = -1

Lane = Tuple[int, ...]


class Relaxed(NamedTuple):
    width: int  #: result lane width in bits
    inputs: Callable[[Sequence[int]], List[Lane]]  #: operands -> per-lane inputs
    choices: Callable[[Lane], List[int]]  #: one lane's inputs -> allowed results
    is_float: bool = False


def _split(value: int, width: int) -> List[int]:
    return [(value >> shift) & ((1 << width) - 1) for shift in range(0, 128, width)]


def _signed(value: int, width: int) -> int:
    return value - (1 << width) if value >> (width - 1) else value


def _zip_lanes(width: int) -> Callable[[Sequence[int]], List[Lane]]:
    def inputs(operands: Sequence[int]) -> List[Lane]:
        return list(zip(*(_split(operand, width) for operand in operands)))

    return inputs


# --------------------------------------------------------------------------
# Float helpers

_FORMATS = {
    32: (f32_from_bits, f32_to_bits, 24, -126, 3.4028234663852886e38),
    64: (f64_from_bits, f64_to_bits, 53, -1022, 1.7976931348623157e308),
}


def _bits_or_nan(value: float, width: int) -> int:
    return ANY_NAN if value != value else _FORMATS[width][1](value)


def _round_exact(x: Fraction, width: int) -> float:
    """The exact rational ``x`` rounded to the nearest float of ``width`` bits (ties to even)."""
    _, _, precision, emin, largest = _FORMATS[width]
    sign = -1.0 if x < 0 else 1.0
    x = abs(x)
    exponent = x.numerator.bit_length() - x.denominator.bit_length()
    if Fraction(2) ** exponent > x:
        exponent -= 1
    exponent = max(exponent, emin)
    scale = precision - 1 - exponent
    mantissa = round(x * Fraction(2) ** scale)
    if mantissa > Fraction(largest) * Fraction(2) ** scale:
        return sign * math.inf
    return sign * math.ldexp(mantissa, -scale)


def fused_multiply_add(a: float, b: float, c: float, width: int) -> float:
    """``a * b + c`` with one rounding to ``width`` bits."""
    if not all(math.isfinite(v) for v in (a, b, c)):
        return a * b + c  # infinities and NaNs: the same as unfused, no rounding involved
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    if exact == 0:
        product_negative = math.copysign(1.0, a) * math.copysign(1.0, b) < 0
        both_zero = (a == 0 or b == 0) and c == 0
        negative = both_zero and product_negative and math.copysign(1.0, c) < 0
        return -0.0 if negative else 0.0
    return _round_exact(exact, width)


def _madd(width: int, negate: bool) -> Callable[[Lane], List[int]]:
    from_bits = _FORMATS[width][0]
    mul, add = (f32_mul, f32_add) if width == 32 else (f64_mul, f64_add)

    def choices(lane: Lane) -> List[int]:
        a, b, c = (from_bits(bits) for bits in lane)
        if negate:
            a = -a
        unfused = add(mul(a, b), c)
        return [
            _bits_or_nan(unfused, width),
            _bits_or_nan(fused_multiply_add(a, b, c, width), width),
        ]

    return choices


def _minmax(width: int, is_min: bool) -> Callable[[Lane], List[int]]:
    from_bits = _FORMATS[width][0]
    regular = f64_min if is_min else f64_max  # the f32 versions are the same functions

    def choices(lane: Lane) -> List[int]:
        x, y = (from_bits(bits) for bits in lane)
        first = _bits_or_nan(regular(x, y), width)
        if x != x:
            return [first, ANY_NAN, lane[1]]
        if y != y:
            return [first, lane[0], ANY_NAN]
        if x == 0 and y == 0 and math.copysign(1.0, x) != math.copysign(1.0, y):
            zero = (1 << (width - 1)) if is_min else 0
            return [first, lane[0], lane[1], zero]
        return [first]

    return choices


# --------------------------------------------------------------------------
# Integer helpers


def _swizzle_inputs(operands: Sequence[int]) -> List[Lane]:
    table = tuple(_split(operands[0], 8))
    return [(index,) + table for index in _split(operands[1], 8)]


def _swizzle(lane: Lane) -> List[int]:
    index, table = lane[0], lane[1:]
    if index < 16:
        return [table[index]]
    if index >= 128:
        return [0]
    return [0, table[index % 16]]


def _trunc_f32(signed: bool) -> Callable[[Lane], List[int]]:
    def choices(lane: Lane) -> List[int]:
        value = f32_from_bits(lane[0])
        saturated = (i32_trunc_sat_f32_s if signed else i32_trunc_sat_f32_u)(value)
        return _trunc_choices(value, saturated, signed)

    return choices


def _trunc_choices(value: float, saturated: int, signed: bool) -> List[int]:
    low, high = (-(2**31), 2**31) if signed else (0, 2**32)
    if value == value and math.isfinite(value) and low <= math.trunc(value) < high:
        return [saturated]
    if signed:
        return [saturated, 0x80000000]
    return [saturated, 0xFFFFFFFF, 0xFFFFFFFE, 0x80000000]


def _trunc_f64_inputs(operands: Sequence[int]) -> List[Lane]:
    low, high = _split(operands[0], 64)
    return [(low, 1), (high, 1), (0, 0), (0, 0)]


def _trunc_f64(signed: bool) -> Callable[[Lane], List[int]]:
    def choices(lane: Lane) -> List[int]:
        if not lane[1]:
            return [0]
        value = f64_from_bits(lane[0])
        saturated = (i32_trunc_sat_f32_s if signed else i32_trunc_sat_f32_u)(value)
        return _trunc_choices(value, saturated, signed)

    return choices


def _laneselect(width: int) -> Callable[[Lane], List[int]]:
    mask = (1 << width) - 1

    def choices(lane: Lane) -> List[int]:
        a, b, m = lane
        bitwise = (a & m) | (b & (m ^ mask))
        top = a if m >> (width - 1) else b
        return [bitwise, top]

    return choices


def _q15mulr(lane: Lane) -> List[int]:
    x, y = _signed(lane[0], 16), _signed(lane[1], 16)
    if x == y == -0x8000:
        return [0x7FFF, 0x8000]
    return [min(max((x * y + 0x4000) >> 15, -0x8000), 0x7FFF) & 0xFFFF]


def _saturate16(value: int) -> int:
    return min(max(value, -0x8000), 0x7FFF)


def _dot_inputs(group: int) -> Callable[[Sequence[int]], List[Lane]]:
    def inputs(operands: Sequence[int]) -> List[Lane]:
        a, b = _split(operands[0], 8), _split(operands[1], 8)
        lanes = []
        for index in range(16 // group):
            span = slice(index * group, (index + 1) * group)
            extra = (_split(operands[2], 32)[index],) if len(operands) > 2 else ()
            lanes.append(tuple(a[span]) + tuple(b[span]) + extra)
        return lanes

    return inputs


def _products(lane: Lane, count: int, unsigned_b: bool) -> List[int]:
    return [
        _signed(lane[i], 8) * (lane[count + i] if unsigned_b else _signed(lane[count + i], 8))
        for i in range(count)
    ]


def _dot16(lane: Lane) -> List[int]:
    out = []
    for unsigned_b in (False, True):
        total = sum(_products(lane, 2, unsigned_b))
        out += [_saturate16(total) & 0xFFFF, total & 0xFFFF]
    return [out[0], out[2], out[1], out[3]]


def _dot32_add(lane: Lane) -> List[int]:
    out = []
    for unsigned_b in (False, True):
        p = _products(lane, 4, unsigned_b)
        for saturate in (True, False):
            pairs = [p[0] + p[1], p[2] + p[3]]
            if saturate:
                pairs = [_saturate16(pair) for pair in pairs]
            out.append((sum(pairs) + lane[8]) & 0xFFFFFFFF)
    return out


RELAXED_ALLOWED: Dict[str, Relaxed] = {
    "i8x16.relaxed_swizzle": Relaxed(8, _swizzle_inputs, _swizzle),
    "i32x4.relaxed_trunc_f32x4_s": Relaxed(32, _zip_lanes(32), _trunc_f32(True)),
    "i32x4.relaxed_trunc_f32x4_u": Relaxed(32, _zip_lanes(32), _trunc_f32(False)),
    "i32x4.relaxed_trunc_f64x2_s_zero": Relaxed(32, _trunc_f64_inputs, _trunc_f64(True)),
    "i32x4.relaxed_trunc_f64x2_u_zero": Relaxed(32, _trunc_f64_inputs, _trunc_f64(False)),
    "f32x4.relaxed_madd": Relaxed(32, _zip_lanes(32), _madd(32, False), True),
    "f32x4.relaxed_nmadd": Relaxed(32, _zip_lanes(32), _madd(32, True), True),
    "f64x2.relaxed_madd": Relaxed(64, _zip_lanes(64), _madd(64, False), True),
    "f64x2.relaxed_nmadd": Relaxed(64, _zip_lanes(64), _madd(64, True), True),
    "i8x16.relaxed_laneselect": Relaxed(8, _zip_lanes(8), _laneselect(8)),
    "i16x8.relaxed_laneselect": Relaxed(16, _zip_lanes(16), _laneselect(16)),
    "i32x4.relaxed_laneselect": Relaxed(32, _zip_lanes(32), _laneselect(32)),
    "i64x2.relaxed_laneselect": Relaxed(64, _zip_lanes(64), _laneselect(64)),
    "f32x4.relaxed_min": Relaxed(32, _zip_lanes(32), _minmax(32, True), True),
    "f32x4.relaxed_max": Relaxed(32, _zip_lanes(32), _minmax(32, False), True),
    "f64x2.relaxed_min": Relaxed(64, _zip_lanes(64), _minmax(64, True), True),
    "f64x2.relaxed_max": Relaxed(64, _zip_lanes(64), _minmax(64, False), True),
    "i16x8.relaxed_q15mulr_s": Relaxed(16, _zip_lanes(16), _q15mulr),
    "i16x8.relaxed_dot_i8x16_i7x16_s": Relaxed(16, _dot_inputs(2), _dot16),
    "i32x4.relaxed_dot_i8x16_i7x16_add_s": Relaxed(32, _dot_inputs(4), _dot32_add),
}

_EXPONENT = {32: 0x7F800000, 64: 0x7FF0000000000000}
_QUIET = {32: 0x00400000, 64: 0x0008000000000000}


def _lane_matches(candidate: int, actual: int, relaxed: Relaxed) -> bool:
    if not relaxed.is_float:
        return candidate == actual
    width = relaxed.width
    magnitude = actual & ((1 << (width - 1)) - 1)
    actual_is_nan = magnitude > _EXPONENT[width]
    if candidate == ANY_NAN:
        return actual_is_nan
    return not actual_is_nan and candidate == actual


def lanes_allowed(relaxed: Relaxed, operands: Sequence[int], result: int, first_only: bool) -> bool:
    """Whether every lane of ``result`` is allowed (or is the deterministic choice)."""
    for lane_inputs, actual in zip(relaxed.inputs(operands), _split(result, relaxed.width)):
        choices = relaxed.choices(lane_inputs)
        if first_only:
            choices = choices[:1]
            if relaxed.is_float and choices[0] == ANY_NAN:
                # Ours must moreover be an arithmetic NaN.
                if actual & (_EXPONENT[relaxed.width] | _QUIET[relaxed.width]) != (
                    _EXPONENT[relaxed.width] | _QUIET[relaxed.width]
                ):
                    return False
        if not any(_lane_matches(choice, actual, relaxed) for choice in choices):
            return False
    return True


# --------------------------------------------------------------------------
# Checks of the oracle itself


def test_fused_multiply_add_rounds_once() -> None:
    # (1 + 2**-23) * (1 - 2**-23) = 1 - 2**-46: unfused rounds to 1.0 first, fused keeps it.
    a, b, c = 1.0 + 2.0**-23, 1.0 - 2.0**-23, -1.0
    assert fused_multiply_add(a, b, c, 32) == -(2.0**-46)
    assert f32_add(f32_mul(a, b), c) == 0.0
    assert fused_multiply_add(0.1, 10.0, -1.0, 64) == 5.551115123125783e-17
    assert fused_multiply_add(3.0, 4.0, 5.0, 32) == 17.0


def test_fused_multiply_add_zero_signs() -> None:
    assert math.copysign(1.0, fused_multiply_add(-0.0, 1.0, -0.0, 64)) < 0
    assert math.copysign(1.0, fused_multiply_add(2.0, 3.0, -6.0, 64)) > 0


def test_round_exact_subnormal_and_overflow() -> None:
    assert _round_exact(Fraction(1, 2**149), 32) == 2.0**-149
    assert _round_exact(Fraction(3, 2**151), 32) == 2.0**-149
    assert _round_exact(Fraction(2**128), 32) == math.inf
    assert _round_exact(Fraction(2**1024), 64) == math.inf
    assert _round_exact(-Fraction(2**1023), 64) == -(2.0**1023)


def test_first_choice_is_deterministic_profile() -> None:
    assert _swizzle((20,) + tuple(range(16))) == [0, 4]
    assert _q15mulr((0x8000, 0x8000)) == [0x7FFF, 0x8000]
    assert _laneselect(8)((0xF0, 0x0F, 0x80)) == [0x8F, 0xF0]
    assert _dot16((0x80, 0x80, 0x81, 0x81))[0] == 32512
