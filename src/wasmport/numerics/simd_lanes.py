"""Vector plumbing: lane formats, splats, lane access, shuffles, bitwise ops, load helpers.

A ``v128`` is an unsigned 128-bit ``int`` with lane 0 in the least significant
bits. Lanes are taken apart with ``int.to_bytes`` plus a precompiled
:class:`struct.Struct` and put back with ``Struct.pack`` plus ``int.from_bytes``;
whole-vector bitwise operations work on the ``int`` directly. f32 lanes always go
through their bit patterns (``<4I``) and the scalar f32 bit helpers, never
through ``<f`` on a NaN (see :mod:`wasmport.numerics.simd_float`).

The memory helpers here are pure: the engine reads the bytes (bounds checked)
and passes them as a little-endian ``int``; the helper builds the vector. For
stores, the helper returns the ``int`` whose little-endian bytes are written.
"""

from __future__ import annotations

import struct
from typing import Callable, Dict, Sequence, Tuple

#: All 128 bits set.
MASK128 = (1 << 128) - 1

#: Lane formats, signed (lower case) and unsigned (upper case).
S8 = struct.Struct("<16b")
U8 = struct.Struct("<16B")
S16 = struct.Struct("<8h")
U16 = struct.Struct("<8H")
S32 = struct.Struct("<4i")
U32 = struct.Struct("<4I")
S64 = struct.Struct("<2q")
U64 = struct.Struct("<2Q")
F64 = struct.Struct("<2d")
#: Half-vector formats (the 64-bit operand of the extending loads).
_HALF: Dict[Tuple[int, bool], struct.Struct] = {
    (8, True): struct.Struct("<8b"),
    (8, False): struct.Struct("<8B"),
    (16, True): struct.Struct("<4h"),
    (16, False): struct.Struct("<4H"),
    (32, True): struct.Struct("<2i"),
    (32, False): struct.Struct("<2I"),
}


def _repeat(lane: int, width: int) -> int:
    """The vector whose every ``width``-bit lane holds ``lane``."""
    value = 0
    for _ in range(128 // width):
        value = (value << width) | lane
    return value


#: Per lane width: a 1 in the lowest bit of every lane.
ONES = {width: _repeat(1, width) for width in (8, 16, 32, 64)}
#: Per lane width: the top (sign) bit of every lane.
HIGH = {width: ONES[width] << (width - 1) for width in (8, 16, 32, 64)}
#: Per lane width: every bit but the top bit of every lane.
LOW = {width: MASK128 ^ HIGH[width] for width in (8, 16, 32, 64)}


def to_bytes(v: int) -> bytes:
    return v.to_bytes(16, "little")


def from_bytes(data: bytes) -> int:
    return int.from_bytes(data, "little")


# --------------------------------------------------------------------------
# Bitwise operations (whole vector)


def v128_not(a: int) -> int:
    return a ^ MASK128


def v128_and(a: int, b: int) -> int:
    return a & b


def v128_andnot(a: int, b: int) -> int:
    return a & (b ^ MASK128)


def v128_or(a: int, b: int) -> int:
    return a | b


def v128_xor(a: int, b: int) -> int:
    return a ^ b


def v128_bitselect(a: int, b: int, mask: int) -> int:
    """Bits of ``a`` where ``mask`` is 1, bits of ``b`` where it is 0."""
    return (a & mask) | (b & (mask ^ MASK128))


def v128_any_true(a: int) -> int:
    return 1 if a else 0


def nonzero_lanes(v: int, width: int) -> int:
    """The top bit of each ``width``-bit lane of the result is set iff that lane of ``v`` is nonzero."""
    low = LOW[width]
    return (((v & low) + low) | v) & HIGH[width]


# --------------------------------------------------------------------------
# Splats


def i8x16_splat(x: int) -> int:
    return (x & 0xFF) * ONES[8]


def i16x8_splat(x: int) -> int:
    return (x & 0xFFFF) * ONES[16]


def i32x4_splat(x: int) -> int:
    return (x & 0xFFFFFFFF) * ONES[32]


def i64x2_splat(x: int) -> int:
    return (x & 0xFFFFFFFFFFFFFFFF) * ONES[64]


# --------------------------------------------------------------------------
# Integer lane access (``lane`` is the instruction's immediate, already validated)


def i8x16_extract_lane_s(v: int, lane: int) -> int:
    x = (v >> (lane << 3)) & 0xFF
    return x | 0xFFFFFF00 if x & 0x80 else x


def i8x16_extract_lane_u(v: int, lane: int) -> int:
    return (v >> (lane << 3)) & 0xFF


def i16x8_extract_lane_s(v: int, lane: int) -> int:
    x = (v >> (lane << 4)) & 0xFFFF
    return x | 0xFFFF0000 if x & 0x8000 else x


def i16x8_extract_lane_u(v: int, lane: int) -> int:
    return (v >> (lane << 4)) & 0xFFFF


def i32x4_extract_lane(v: int, lane: int) -> int:
    return (v >> (lane << 5)) & 0xFFFFFFFF


def i64x2_extract_lane(v: int, lane: int) -> int:
    return (v >> (lane << 6)) & 0xFFFFFFFFFFFFFFFF


def _replace(v: int, x: int, shift: int, mask: int) -> int:
    return (v & ~(mask << shift)) | ((x & mask) << shift)


def i8x16_replace_lane(v: int, x: int, lane: int) -> int:
    return _replace(v, x, lane << 3, 0xFF)


def i16x8_replace_lane(v: int, x: int, lane: int) -> int:
    return _replace(v, x, lane << 4, 0xFFFF)


def i32x4_replace_lane(v: int, x: int, lane: int) -> int:
    return _replace(v, x, lane << 5, 0xFFFFFFFF)


def i64x2_replace_lane(v: int, x: int, lane: int) -> int:
    return _replace(v, x, lane << 6, 0xFFFFFFFFFFFFFFFF)


# --------------------------------------------------------------------------
# Shuffle and swizzle

_ZEROS_240 = bytes(240)


def i8x16_shuffle(a: int, b: int, lanes: Sequence[int]) -> int:
    """Byte ``i`` of the result is byte ``lanes[i]`` of ``a ++ b`` (indices < 32, validated)."""
    both = a.to_bytes(16, "little") + b.to_bytes(16, "little")
    return int.from_bytes(bytes(map(both.__getitem__, lanes)), "little")


def i8x16_swizzle(a: int, s: int) -> int:
    """Byte ``i`` of the result is byte ``s[i]`` of ``a``, or 0 when ``s[i] >= 16``."""
    table = a.to_bytes(16, "little") + _ZEROS_240
    return int.from_bytes(bytes(map(table.__getitem__, s.to_bytes(16, "little"))), "little")


# --------------------------------------------------------------------------
# Pure helpers of the vector loads and stores. ``raw`` is the little-endian
# int of the bytes read; store helpers return the int to write.


_WIDE_LANE = {8: "h", 16: "i", 32: "q"}


def _extend_load(width: int, signed: bool) -> Callable[[int], int]:
    source = _HALF[(width, signed)]
    code = _WIDE_LANE[width] if signed else _WIDE_LANE[width].upper()
    target = struct.Struct(f"<{64 // width}{code}")

    def load(raw: int) -> int:
        return int.from_bytes(target.pack(*source.unpack(raw.to_bytes(8, "little"))), "little")

    kind = "signed" if signed else "unsigned"
    load.__doc__ = f"Extend the {64 // width} {width}-bit lanes of 8 loaded bytes ({kind})."
    return load


v128_load8x8_s_extend = _extend_load(8, True)
v128_load8x8_u_extend = _extend_load(8, False)
v128_load16x4_s_extend = _extend_load(16, True)
v128_load16x4_u_extend = _extend_load(16, False)
v128_load32x2_s_extend = _extend_load(32, True)
v128_load32x2_u_extend = _extend_load(32, False)


def v128_load8_splat(raw: int) -> int:
    return raw * ONES[8]


def v128_load16_splat(raw: int) -> int:
    return raw * ONES[16]


def v128_load32_splat(raw: int) -> int:
    return raw * ONES[32]


def v128_load64_splat(raw: int) -> int:
    return raw * ONES[64]


def v128_load_zero_extend(raw: int) -> int:
    """``v128.load32_zero``/``load64_zero``: the loaded bits in lane 0, zeros above."""
    return raw


def v128_load8_lane(v: int, raw: int, lane: int) -> int:
    return _replace(v, raw, lane << 3, 0xFF)


def v128_load16_lane(v: int, raw: int, lane: int) -> int:
    return _replace(v, raw, lane << 4, 0xFFFF)


def v128_load32_lane(v: int, raw: int, lane: int) -> int:
    return _replace(v, raw, lane << 5, 0xFFFFFFFF)


def v128_load64_lane(v: int, raw: int, lane: int) -> int:
    return _replace(v, raw, lane << 6, 0xFFFFFFFFFFFFFFFF)


v128_store8_lane = i8x16_extract_lane_u
v128_store16_lane = i16x8_extract_lane_u
v128_store32_lane = i32x4_extract_lane
v128_store64_lane = i64x2_extract_lane


__all__ = [
    "from_bytes",
    "i16x8_extract_lane_s",
    "i16x8_extract_lane_u",
    "i16x8_replace_lane",
    "i16x8_splat",
    "i32x4_extract_lane",
    "i32x4_replace_lane",
    "i32x4_splat",
    "i64x2_extract_lane",
    "i64x2_replace_lane",
    "i64x2_splat",
    "i8x16_extract_lane_s",
    "i8x16_extract_lane_u",
    "i8x16_replace_lane",
    "i8x16_shuffle",
    "i8x16_splat",
    "i8x16_swizzle",
    "nonzero_lanes",
    "to_bytes",
    "v128_and",
    "v128_andnot",
    "v128_any_true",
    "v128_bitselect",
    "v128_load16_lane",
    "v128_load16_splat",
    "v128_load16x4_s_extend",
    "v128_load16x4_u_extend",
    "v128_load32_lane",
    "v128_load32_splat",
    "v128_load32x2_s_extend",
    "v128_load32x2_u_extend",
    "v128_load64_lane",
    "v128_load64_splat",
    "v128_load8_lane",
    "v128_load8_splat",
    "v128_load8x8_s_extend",
    "v128_load8x8_u_extend",
    "v128_load_zero_extend",
    "v128_not",
    "v128_or",
    "v128_store16_lane",
    "v128_store32_lane",
    "v128_store64_lane",
    "v128_store8_lane",
    "v128_xor",
]
