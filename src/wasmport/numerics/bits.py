"""Float bit patterns, f32 rounding and the NaN constants.

The runtime keeps an ``f64`` as a Python ``float`` and an ``f32`` as a Python
``float`` holding the exact f32 value (see ``docs/RUNTIME.md``). A NaN f32 with
bits ``s|e|m`` is the f64 NaN with the same sign and mantissa ``m << 29``, so
its payload (including the quiet bit) survives. Only the functions here move
between bits and floats: C's ``float``/``double`` conversion (what
``struct '<f'`` does) would quiet signalling NaNs.

The ``reinterpret`` instructions are these conversions.
"""

from __future__ import annotations

import struct
from math import copysign, inf

_F32 = struct.Struct("<f")
_U32 = struct.Struct("<I")
_F64 = struct.Struct("<d")
_U64 = struct.Struct("<Q")

_f32_pack = _F32.pack
_f32_unpack = _F32.unpack
_u32_pack = _U32.pack
_u32_unpack = _U32.unpack
_f64_pack = _F64.pack
_f64_unpack = _F64.unpack
_u64_pack = _U64.pack
_u64_unpack = _U64.unpack

#: Bits of the positive canonical NaNs.
F32_CANONICAL_NAN_BITS = 0x7FC00000
F64_CANONICAL_NAN_BITS = 0x7FF8000000000000


def f64_from_bits(bits: int) -> float:
    """The f64 with these 64 bits (NaN payloads kept)."""
    return _f64_unpack(_u64_pack(bits))[0]  # type: ignore[no-any-return]


def f64_to_bits(value: float) -> int:
    """The 64 bits of an f64 (NaN payloads kept)."""
    return _u64_unpack(_f64_pack(value))[0]  # type: ignore[no-any-return]


def f32_from_bits(bits: int) -> float:
    """The runtime f32 with these 32 bits (NaN payloads kept, see module doc)."""
    if bits & 0x7F800000 == 0x7F800000 and bits & 0x7FFFFF:
        return _f64_unpack(  # type: ignore[no-any-return]
            _u64_pack(((bits & 0x80000000) << 32) | 0x7FF0000000000000 | ((bits & 0x7FFFFF) << 29))
        )[0]
    return _f32_unpack(_u32_pack(bits))[0]  # type: ignore[no-any-return]


def f32_to_bits(value: float) -> int:
    """The 32 bits of a runtime f32.

    A NaN keeps its sign and the top 23 bits of its f64 mantissa (a NaN whose
    payload would vanish becomes quiet). A non-NaN is rounded to f32 first.
    """
    if value != value:
        bits: int = _u64_unpack(_f64_pack(value))[0]
        mantissa = (bits >> 29) & 0x7FFFFF
        return ((bits >> 32) & 0x80000000) | 0x7F800000 | (mantissa or 0x400000)
    try:
        return _u32_unpack(_f32_pack(value))[0]  # type: ignore[no-any-return]
    except OverflowError:
        return 0x7F800000 if value > 0 else 0xFF800000


#: The positive canonical NaN, as a runtime f64 and as a runtime f32 (the same float).
CANONICAL_NAN: float = f64_from_bits(F64_CANONICAL_NAN_BITS)


def f32_round(value: float) -> float:
    """``value`` rounded to the nearest f32 (ties to even); overflow gives
    infinity. A NaN gives the canonical NaN."""
    if value != value:
        return CANONICAL_NAN
    try:
        return _f32_unpack(_f32_pack(value))[0]  # type: ignore[no-any-return]
    except OverflowError:
        return copysign(inf, value)


def is_canonical_nan_bits(bits: int, width: int) -> bool:
    """Whether ``bits`` is a canonical NaN (either sign) of a ``width``-bit float."""
    if width == 32:
        return bits & 0x7FFFFFFF == F32_CANONICAL_NAN_BITS
    return bits & 0x7FFFFFFFFFFFFFFF == F64_CANONICAL_NAN_BITS


def is_arithmetic_nan_bits(bits: int, width: int) -> bool:
    """Whether ``bits`` is an arithmetic NaN (a NaN with the quiet bit set)."""
    if width == 32:
        return bits & 0x7FC00000 == 0x7FC00000
    return bits & 0x7FF8000000000000 == 0x7FF8000000000000


# The reinterpret instructions.
i32_reinterpret_f32 = f32_to_bits
i64_reinterpret_f64 = f64_to_bits
f32_reinterpret_i32 = f32_from_bits
f64_reinterpret_i64 = f64_from_bits


__all__ = [
    "CANONICAL_NAN",
    "F32_CANONICAL_NAN_BITS",
    "F64_CANONICAL_NAN_BITS",
    "f32_from_bits",
    "f32_reinterpret_i32",
    "f32_round",
    "f32_to_bits",
    "f64_from_bits",
    "f64_reinterpret_i64",
    "f64_to_bits",
    "i32_reinterpret_f32",
    "i64_reinterpret_f64",
    "is_arithmetic_nan_bits",
    "is_canonical_nan_bits",
]
