"""Integer lane arithmetic of ``v128``: add/sub/mul, saturation, min/max, comparisons,
shifts, narrowing, extension, extended multiplication, dot products, bit counts.

Most operations work on the whole 128-bit ``int`` at once (SWAR): add/sub cut
the carries at lane boundaries, a comparison is the borrow out of each lane's
top bit of ``a - b`` spread over the lane, min/max/saturation select lanes with
such masks, shifts mask off the bits crossing lanes. The rest (multiplications,
narrowing, extension) unpack lanes with a precompiled :class:`struct.Struct`,
map over them and pack back.
"""

from __future__ import annotations

import operator
import struct
from typing import Callable, Dict, Tuple

from .simd_lanes import (
    HIGH,
    LOW,
    MASK128,
    ONES,
    S8,
    S16,
    S32,
    S64,
    U8,
    U16,
    U32,
    U64,
    nonzero_lanes,
)

Binary = Callable[[int, int], int]
Unary = Callable[[int], int]

#: (signed format, unsigned format) per lane width.
_FORMATS: Dict[int, Tuple[struct.Struct, struct.Struct]] = {
    8: (S8, U8),
    16: (S16, U16),
    32: (S32, U32),
    64: (S64, U64),
}


# --------------------------------------------------------------------------
# Wrapping add, sub, neg (SWAR on the whole int)


def _add(width: int) -> Binary:
    high, low = HIGH[width], LOW[width]

    def add(a: int, b: int) -> int:
        return ((a & low) + (b & low)) ^ ((a ^ b) & high)

    return add


def _sub(width: int) -> Binary:
    high, low = HIGH[width], LOW[width]

    def sub(a: int, b: int) -> int:
        return (((a | high) - (b & low)) ^ ((a ^ b ^ MASK128) & high)) & MASK128

    return sub


def _neg(width: int) -> Unary:
    sub = _sub(width)

    def neg(a: int) -> int:
        return sub(0, a)

    return neg


i8x16_add, i16x8_add, i32x4_add, i64x2_add = (_add(w) for w in (8, 16, 32, 64))
i8x16_sub, i16x8_sub, i32x4_sub, i64x2_sub = (_sub(w) for w in (8, 16, 32, 64))
i8x16_neg, i16x8_neg, i32x4_neg, i64x2_neg = (_neg(w) for w in (8, 16, 32, 64))


# --------------------------------------------------------------------------
# Generic lane-wise maps


def _lanewise(fmt_in: struct.Struct, fmt_out: struct.Struct, function: Binary) -> Binary:
    """``fmt_out.pack(*map(function, lanes(a), lanes(b)))``: results must fit ``fmt_out``."""
    unpack, pack = fmt_in.unpack, fmt_out.pack

    def op(a: int, b: int) -> int:
        return int.from_bytes(
            pack(
                *map(function, unpack(a.to_bytes(16, "little")), unpack(b.to_bytes(16, "little")))
            ),
            "little",
        )

    return op


def _lanewise_unary(fmt_in: struct.Struct, fmt_out: struct.Struct, function: Unary) -> Unary:
    unpack, pack = fmt_in.unpack, fmt_out.pack

    def op(a: int) -> int:
        return int.from_bytes(pack(*map(function, unpack(a.to_bytes(16, "little")))), "little")

    return op


def _mask_of(width: int) -> int:
    return (1 << width) - 1


def _wrapping(width: int, function: Binary) -> Binary:
    mask = _mask_of(width)
    fmt = _FORMATS[width][1]

    def lane(x: int, y: int) -> int:
        return function(x, y) & mask

    return _lanewise(fmt, fmt, lane)


i16x8_mul = _wrapping(16, operator.mul)
i32x4_mul = _wrapping(32, operator.mul)
i64x2_mul = _wrapping(64, operator.mul)


# --------------------------------------------------------------------------
# Comparisons (SWAR: the borrow out of each lane's top bit of ``a - b``)


def _less(width: int, signed: bool) -> Binary:
    """The top bit of each lane of the result is set iff that lane has ``a < b``."""
    high, low = HIGH[width], LOW[width]
    flip = high if signed else 0

    def less(a: int, b: int) -> int:
        a ^= flip
        b ^= flip
        difference = ((a | high) - (b & low)) ^ ((a ^ b ^ MASK128) & high)
        return ((~a & b) | (~(a ^ b) & difference)) & high

    return less


def _spread(width: int) -> Unary:
    """All ones in the lanes whose top bit is set, zeros elsewhere."""
    lane_mask = _mask_of(width)
    shift = width - 1

    def spread(top_bits: int) -> int:
        return (top_bits >> shift) * lane_mask

    return spread


def _ordered(width: int, signed: bool, swap: bool, negate: bool) -> Binary:
    less, spread = _less(width, signed), _spread(width)
    invert = MASK128 if negate else 0
    if swap:

        def greater(a: int, b: int) -> int:
            return spread(less(b, a)) ^ invert

        return greater

    def lower(a: int, b: int) -> int:
        return spread(less(a, b)) ^ invert

    return lower


def _eq(width: int) -> Binary:
    ones = ONES[width]
    all_ones = _mask_of(width)
    shift = width - 1

    def eq(a: int, b: int) -> int:
        return ((nonzero_lanes(a ^ b, width) >> shift) ^ ones) * all_ones

    return eq


def _ne(width: int) -> Binary:
    all_ones = _mask_of(width)
    shift = width - 1

    def ne(a: int, b: int) -> int:
        return (nonzero_lanes(a ^ b, width) >> shift) * all_ones

    return ne


i8x16_eq, i16x8_eq, i32x4_eq, i64x2_eq = (_eq(w) for w in (8, 16, 32, 64))
i8x16_ne, i16x8_ne, i32x4_ne, i64x2_ne = (_ne(w) for w in (8, 16, 32, 64))
# (swap, negate): lt = a < b, gt = b < a, le = not (b < a), ge = not (a < b)
i8x16_lt_s, i16x8_lt_s, i32x4_lt_s, i64x2_lt_s = (
    _ordered(w, True, False, False) for w in (8, 16, 32, 64)
)
i8x16_gt_s, i16x8_gt_s, i32x4_gt_s, i64x2_gt_s = (
    _ordered(w, True, True, False) for w in (8, 16, 32, 64)
)
i8x16_le_s, i16x8_le_s, i32x4_le_s, i64x2_le_s = (
    _ordered(w, True, True, True) for w in (8, 16, 32, 64)
)
i8x16_ge_s, i16x8_ge_s, i32x4_ge_s, i64x2_ge_s = (
    _ordered(w, True, False, True) for w in (8, 16, 32, 64)
)
i8x16_lt_u, i16x8_lt_u, i32x4_lt_u = (_ordered(w, False, False, False) for w in (8, 16, 32))
i8x16_gt_u, i16x8_gt_u, i32x4_gt_u = (_ordered(w, False, True, False) for w in (8, 16, 32))
i8x16_le_u, i16x8_le_u, i32x4_le_u = (_ordered(w, False, True, True) for w in (8, 16, 32))
i8x16_ge_u, i16x8_ge_u, i32x4_ge_u = (_ordered(w, False, False, True) for w in (8, 16, 32))


# --------------------------------------------------------------------------
# Min, max, average, saturating arithmetic


def _minmax(width: int, signed: bool, is_min: bool) -> Binary:
    less, spread = _less(width, signed), _spread(width)

    def minimum(a: int, b: int) -> int:
        take_a = spread(less(a, b))
        return (a & take_a) | (b & (take_a ^ MASK128))

    def maximum(a: int, b: int) -> int:
        take_a = spread(less(b, a))
        return (a & take_a) | (b & (take_a ^ MASK128))

    return minimum if is_min else maximum


i8x16_min_s, i16x8_min_s, i32x4_min_s = (_minmax(w, True, True) for w in (8, 16, 32))
i8x16_min_u, i16x8_min_u, i32x4_min_u = (_minmax(w, False, True) for w in (8, 16, 32))
i8x16_max_s, i16x8_max_s, i32x4_max_s = (_minmax(w, True, False) for w in (8, 16, 32))
i8x16_max_u, i16x8_max_u, i32x4_max_u = (_minmax(w, False, False) for w in (8, 16, 32))


def _avgr(width: int) -> Binary:
    """``(a + b + 1) >> 1`` per lane, as ``(a | b) - ((a ^ b) >> 1)`` (never borrows)."""
    low = LOW[width]

    def avgr(a: int, b: int) -> int:
        return (a | b) - (((a ^ b) >> 1) & low)

    return avgr


i8x16_avgr_u = _avgr(8)
i16x8_avgr_u = _avgr(16)


def _add_sat_u(width: int) -> Binary:
    add, spread, high = _add(width), _spread(width), HIGH[width]

    def add_sat_u(a: int, b: int) -> int:
        total = add(a, b)
        carry = ((a & b) | ((a | b) & ~total)) & high
        return total | spread(carry)

    return add_sat_u


def _sub_sat_u(width: int) -> Binary:
    sub, less, spread = _sub(width), _less(width, False), _spread(width)

    def sub_sat_u(a: int, b: int) -> int:
        return sub(a, b) & (spread(less(a, b)) ^ MASK128)

    return sub_sat_u


def _signed_saturating(width: int, subtract: bool) -> Binary:
    """Signed add/sub: a lane that overflows becomes the limit of ``a``'s sign."""
    operation = _sub(width) if subtract else _add(width)
    spread, high, low = _spread(width), HIGH[width], LOW[width]
    same_signs = 0 if subtract else MASK128  # add overflows when a, b agree; sub when they differ

    def saturating(a: int, b: int) -> int:
        result = operation(a, b)
        overflow = spread(((a ^ b ^ same_signs) & (a ^ result)) & high)
        limit = low ^ spread(a & high)
        return (limit & overflow) | (result & (overflow ^ MASK128))

    return saturating


i8x16_add_sat_u, i16x8_add_sat_u = _add_sat_u(8), _add_sat_u(16)
i8x16_sub_sat_u, i16x8_sub_sat_u = _sub_sat_u(8), _sub_sat_u(16)
i8x16_add_sat_s, i16x8_add_sat_s = _signed_saturating(8, False), _signed_saturating(16, False)
i8x16_sub_sat_s, i16x8_sub_sat_s = _signed_saturating(8, True), _signed_saturating(16, True)


def _saturating(width: int, function: Binary) -> Binary:
    """Signed lanes of ``function(x, y)`` clamped to the lane range."""
    low, high = -(1 << (width - 1)), (1 << (width - 1)) - 1
    fmt = _FORMATS[width][0]

    def lane(x: int, y: int) -> int:
        r = function(x, y)
        return low if r < low else high if r > high else r

    return _lanewise(fmt, fmt, lane)


def _q15mulr(x: int, y: int) -> int:
    return (x * y + 0x4000) >> 15


i16x8_q15mulr_sat_s = _saturating(16, _q15mulr)


# --------------------------------------------------------------------------
# Unary: abs, popcnt, all_true, bitmask


def _abs(width: int) -> Unary:
    sub, spread, high = _sub(width), _spread(width), HIGH[width]

    def abs_(a: int) -> int:
        negative = spread(a & high)
        return sub(a ^ negative, negative)

    return abs_


i8x16_abs, i16x8_abs, i32x4_abs, i64x2_abs = (_abs(w) for w in (8, 16, 32, 64))

_POPCOUNT = bytes(bin(i).count("1") for i in range(256))


def i8x16_popcnt(a: int) -> int:
    return int.from_bytes(a.to_bytes(16, "little").translate(_POPCOUNT), "little")


def _all_true(width: int) -> Unary:
    high = HIGH[width]

    def all_true(a: int) -> int:
        return 1 if nonzero_lanes(a, width) == high else 0

    return all_true


i8x16_all_true, i16x8_all_true, i32x4_all_true, i64x2_all_true = (
    _all_true(w) for w in (8, 16, 32, 64)
)


def _bitmask(width: int) -> Unary:
    def bitmask(a: int) -> int:
        # Every ``width``-th binary digit from the top is a lane's sign bit, lane 0 last.
        return int(format(a, "0128b")[::width], 2)

    return bitmask


i8x16_bitmask, i16x8_bitmask, i32x4_bitmask, i64x2_bitmask = (_bitmask(w) for w in (8, 16, 32, 64))


# --------------------------------------------------------------------------
# Shifts (the count is taken modulo the lane width)


def _shl(width: int) -> Binary:
    lane_mask = _mask_of(width)

    def shl(a: int, count: int) -> int:
        count &= width - 1
        return (a << count) & (((lane_mask << count) & lane_mask) * ONES[width])

    return shl


def _shr_u(width: int) -> Binary:
    lane_mask = _mask_of(width)

    def shr_u(a: int, count: int) -> int:
        count &= width - 1
        return (a >> count) & ((lane_mask >> count) * ONES[width])

    return shr_u


def _shr_s(width: int) -> Binary:
    lane_mask = _mask_of(width)
    high = HIGH[width]

    def shr_s(a: int, count: int) -> int:
        count &= width - 1
        shifted = (a >> count) & ((lane_mask >> count) * ONES[width])
        fill = lane_mask ^ (lane_mask >> count)  # the top ``count`` bits of a lane
        return shifted | (((a & high) >> (width - 1)) * fill)

    return shr_s


i8x16_shl, i16x8_shl, i32x4_shl, i64x2_shl = (_shl(w) for w in (8, 16, 32, 64))
i8x16_shr_u, i16x8_shr_u, i32x4_shr_u, i64x2_shr_u = (_shr_u(w) for w in (8, 16, 32, 64))
i8x16_shr_s, i16x8_shr_s, i32x4_shr_s, i64x2_shr_s = (_shr_s(w) for w in (8, 16, 32, 64))


# --------------------------------------------------------------------------
# Narrowing (signed input lanes, saturated), extension, pairwise add, extmul, dot


def _narrow(width: int, signed: bool) -> Binary:
    source = _FORMATS[width][0].unpack
    narrow = width // 2
    pack = _FORMATS[narrow][0 if signed else 1].pack
    if signed:
        low, high = -(1 << (narrow - 1)), (1 << (narrow - 1)) - 1
    else:
        low, high = 0, (1 << narrow) - 1

    def op(a: int, b: int) -> int:
        lanes = source(a.to_bytes(16, "little")) + source(b.to_bytes(16, "little"))
        return int.from_bytes(
            pack(*[low if x < low else high if x > high else x for x in lanes]), "little"
        )

    return op


i8x16_narrow_i16x8_s = _narrow(16, True)
i8x16_narrow_i16x8_u = _narrow(16, False)
i16x8_narrow_i32x4_s = _narrow(32, True)
i16x8_narrow_i32x4_u = _narrow(32, False)


def _wide_format(width: int, signed: bool) -> struct.Struct:
    return _FORMATS[width * 2][0 if signed else 1]


def _extend(width: int, signed: bool, high: bool) -> Unary:
    unpack = _FORMATS[width][0 if signed else 1].unpack
    pack = _wide_format(width, signed).pack
    half = 64 // width
    start, stop = (half, 2 * half) if high else (0, half)

    def extend(a: int) -> int:
        return int.from_bytes(pack(*unpack(a.to_bytes(16, "little"))[start:stop]), "little")

    return extend


i16x8_extend_low_i8x16_s = _extend(8, True, False)
i16x8_extend_high_i8x16_s = _extend(8, True, True)
i16x8_extend_low_i8x16_u = _extend(8, False, False)
i16x8_extend_high_i8x16_u = _extend(8, False, True)
i32x4_extend_low_i16x8_s = _extend(16, True, False)
i32x4_extend_high_i16x8_s = _extend(16, True, True)
i32x4_extend_low_i16x8_u = _extend(16, False, False)
i32x4_extend_high_i16x8_u = _extend(16, False, True)
i64x2_extend_low_i32x4_s = _extend(32, True, False)
i64x2_extend_high_i32x4_s = _extend(32, True, True)
i64x2_extend_low_i32x4_u = _extend(32, False, False)
i64x2_extend_high_i32x4_u = _extend(32, False, True)


def _extadd_pairwise(width: int, signed: bool) -> Unary:
    unpack = _FORMATS[width][0 if signed else 1].unpack
    pack = _wide_format(width, signed).pack

    def extadd(a: int) -> int:
        lanes = unpack(a.to_bytes(16, "little"))
        return int.from_bytes(pack(*map(operator.add, lanes[0::2], lanes[1::2])), "little")

    return extadd


i16x8_extadd_pairwise_i8x16_s = _extadd_pairwise(8, True)
i16x8_extadd_pairwise_i8x16_u = _extadd_pairwise(8, False)
i32x4_extadd_pairwise_i16x8_s = _extadd_pairwise(16, True)
i32x4_extadd_pairwise_i16x8_u = _extadd_pairwise(16, False)


def _extmul(width: int, signed: bool, high: bool) -> Binary:
    unpack = _FORMATS[width][0 if signed else 1].unpack
    pack = _wide_format(width, signed).pack
    half = 64 // width
    start, stop = (half, 2 * half) if high else (0, half)

    def extmul(a: int, b: int) -> int:
        xs = unpack(a.to_bytes(16, "little"))[start:stop]
        ys = unpack(b.to_bytes(16, "little"))[start:stop]
        return int.from_bytes(pack(*map(operator.mul, xs, ys)), "little")

    return extmul


i16x8_extmul_low_i8x16_s = _extmul(8, True, False)
i16x8_extmul_high_i8x16_s = _extmul(8, True, True)
i16x8_extmul_low_i8x16_u = _extmul(8, False, False)
i16x8_extmul_high_i8x16_u = _extmul(8, False, True)
i32x4_extmul_low_i16x8_s = _extmul(16, True, False)
i32x4_extmul_high_i16x8_s = _extmul(16, True, True)
i32x4_extmul_low_i16x8_u = _extmul(16, False, False)
i32x4_extmul_high_i16x8_u = _extmul(16, False, True)
i64x2_extmul_low_i32x4_s = _extmul(32, True, False)
i64x2_extmul_high_i32x4_s = _extmul(32, True, True)
i64x2_extmul_low_i32x4_u = _extmul(32, False, False)
i64x2_extmul_high_i32x4_u = _extmul(32, False, True)


def i32x4_dot_i16x8_s(a: int, b: int) -> int:
    """Sums of adjacent signed 16-bit products, wrapped to 32 bits."""
    xs = S16.unpack(a.to_bytes(16, "little"))
    ys = S16.unpack(b.to_bytes(16, "little"))
    products = list(map(operator.mul, xs, ys))
    return int.from_bytes(
        U32.pack(*[(p + q) & 0xFFFFFFFF for p, q in zip(products[0::2], products[1::2])]),
        "little",
    )


__all__ = [
    "i16x8_abs",
    "i16x8_add",
    "i16x8_add_sat_s",
    "i16x8_add_sat_u",
    "i16x8_all_true",
    "i16x8_avgr_u",
    "i16x8_bitmask",
    "i16x8_eq",
    "i16x8_extadd_pairwise_i8x16_s",
    "i16x8_extadd_pairwise_i8x16_u",
    "i16x8_extend_high_i8x16_s",
    "i16x8_extend_high_i8x16_u",
    "i16x8_extend_low_i8x16_s",
    "i16x8_extend_low_i8x16_u",
    "i16x8_extmul_high_i8x16_s",
    "i16x8_extmul_high_i8x16_u",
    "i16x8_extmul_low_i8x16_s",
    "i16x8_extmul_low_i8x16_u",
    "i16x8_ge_s",
    "i16x8_ge_u",
    "i16x8_gt_s",
    "i16x8_gt_u",
    "i16x8_le_s",
    "i16x8_le_u",
    "i16x8_lt_s",
    "i16x8_lt_u",
    "i16x8_max_s",
    "i16x8_max_u",
    "i16x8_min_s",
    "i16x8_min_u",
    "i16x8_mul",
    "i16x8_narrow_i32x4_s",
    "i16x8_narrow_i32x4_u",
    "i16x8_ne",
    "i16x8_neg",
    "i16x8_q15mulr_sat_s",
    "i16x8_shl",
    "i16x8_shr_s",
    "i16x8_shr_u",
    "i16x8_sub",
    "i16x8_sub_sat_s",
    "i16x8_sub_sat_u",
    "i32x4_abs",
    "i32x4_add",
    "i32x4_all_true",
    "i32x4_bitmask",
    "i32x4_dot_i16x8_s",
    "i32x4_eq",
    "i32x4_extadd_pairwise_i16x8_s",
    "i32x4_extadd_pairwise_i16x8_u",
    "i32x4_extend_high_i16x8_s",
    "i32x4_extend_high_i16x8_u",
    "i32x4_extend_low_i16x8_s",
    "i32x4_extend_low_i16x8_u",
    "i32x4_extmul_high_i16x8_s",
    "i32x4_extmul_high_i16x8_u",
    "i32x4_extmul_low_i16x8_s",
    "i32x4_extmul_low_i16x8_u",
    "i32x4_ge_s",
    "i32x4_ge_u",
    "i32x4_gt_s",
    "i32x4_gt_u",
    "i32x4_le_s",
    "i32x4_le_u",
    "i32x4_lt_s",
    "i32x4_lt_u",
    "i32x4_max_s",
    "i32x4_max_u",
    "i32x4_min_s",
    "i32x4_min_u",
    "i32x4_mul",
    "i32x4_ne",
    "i32x4_neg",
    "i32x4_shl",
    "i32x4_shr_s",
    "i32x4_shr_u",
    "i32x4_sub",
    "i64x2_abs",
    "i64x2_add",
    "i64x2_all_true",
    "i64x2_bitmask",
    "i64x2_eq",
    "i64x2_extend_high_i32x4_s",
    "i64x2_extend_high_i32x4_u",
    "i64x2_extend_low_i32x4_s",
    "i64x2_extend_low_i32x4_u",
    "i64x2_extmul_high_i32x4_s",
    "i64x2_extmul_high_i32x4_u",
    "i64x2_extmul_low_i32x4_s",
    "i64x2_extmul_low_i32x4_u",
    "i64x2_ge_s",
    "i64x2_gt_s",
    "i64x2_le_s",
    "i64x2_lt_s",
    "i64x2_mul",
    "i64x2_ne",
    "i64x2_neg",
    "i64x2_shl",
    "i64x2_shr_s",
    "i64x2_shr_u",
    "i64x2_sub",
    "i8x16_abs",
    "i8x16_add",
    "i8x16_add_sat_s",
    "i8x16_add_sat_u",
    "i8x16_all_true",
    "i8x16_avgr_u",
    "i8x16_bitmask",
    "i8x16_eq",
    "i8x16_ge_s",
    "i8x16_ge_u",
    "i8x16_gt_s",
    "i8x16_gt_u",
    "i8x16_le_s",
    "i8x16_le_u",
    "i8x16_lt_s",
    "i8x16_lt_u",
    "i8x16_max_s",
    "i8x16_max_u",
    "i8x16_min_s",
    "i8x16_min_u",
    "i8x16_narrow_i16x8_s",
    "i8x16_narrow_i16x8_u",
    "i8x16_ne",
    "i8x16_neg",
    "i8x16_popcnt",
    "i8x16_shl",
    "i8x16_shr_s",
    "i8x16_shr_u",
    "i8x16_sub",
    "i8x16_sub_sat_s",
    "i8x16_sub_sat_u",
]
