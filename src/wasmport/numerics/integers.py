"""Integer instructions on the runtime form: unsigned ``int`` (``0 <= v < 2**N``).

Signed views use the XOR trick: ``(v ^ 0x80000000) - 0x80000000`` is the signed
value of an unsigned i32, and comparing ``v ^ 0x80000000`` values compares the
signed values. Masks are literals so each function is a handful of bytecodes.
Division and remainder trap with :class:`~wasmport.errors.Trap`.
"""

from __future__ import annotations

from typing import Callable

from ..errors import Trap, TrapCode


def _divide_by_zero() -> Trap:
    return Trap(TrapCode.INTEGER_DIVISION_BY_ZERO)


def _overflow() -> Trap:
    return Trap(TrapCode.INTEGER_OVERFLOW)


_bit_count: Callable[[int], int]
if hasattr(int, "bit_count"):  # Python 3.10+
    _bit_count = int.bit_count  # type: ignore[attr-defined]
else:  # pragma: no cover - Python 3.9

    def _bit_count(value: int) -> int:
        return bin(value).count("1")


# --------------------------------------------------------------------------
# i32


def i32_eqz(a: int) -> int:
    return 1 if a == 0 else 0


def i32_eq(a: int, b: int) -> int:
    return 1 if a == b else 0


def i32_ne(a: int, b: int) -> int:
    return 1 if a != b else 0


def i32_lt_s(a: int, b: int) -> int:
    return 1 if (a ^ 0x80000000) < (b ^ 0x80000000) else 0


def i32_lt_u(a: int, b: int) -> int:
    return 1 if a < b else 0


def i32_gt_s(a: int, b: int) -> int:
    return 1 if (a ^ 0x80000000) > (b ^ 0x80000000) else 0


def i32_gt_u(a: int, b: int) -> int:
    return 1 if a > b else 0


def i32_le_s(a: int, b: int) -> int:
    return 1 if (a ^ 0x80000000) <= (b ^ 0x80000000) else 0


def i32_le_u(a: int, b: int) -> int:
    return 1 if a <= b else 0


def i32_ge_s(a: int, b: int) -> int:
    return 1 if (a ^ 0x80000000) >= (b ^ 0x80000000) else 0


def i32_ge_u(a: int, b: int) -> int:
    return 1 if a >= b else 0


def i32_clz(a: int) -> int:
    return 32 - a.bit_length()


def i32_ctz(a: int) -> int:
    return (a & -a).bit_length() - 1 if a else 32


def i32_popcnt(a: int) -> int:
    return _bit_count(a)


def i32_add(a: int, b: int) -> int:
    return (a + b) & 0xFFFFFFFF


def i32_sub(a: int, b: int) -> int:
    return (a - b) & 0xFFFFFFFF


def i32_mul(a: int, b: int) -> int:
    return (a * b) & 0xFFFFFFFF


def i32_div_s(a: int, b: int) -> int:
    if b == 0:
        raise _divide_by_zero()
    if (a | b) < 0x80000000:  # both non-negative
        return a // b
    a = (a ^ 0x80000000) - 0x80000000
    b = (b ^ 0x80000000) - 0x80000000
    quotient = a // b if (a < 0) == (b < 0) else -(-a // b)
    if quotient == 0x80000000:
        raise _overflow()
    return quotient & 0xFFFFFFFF


def i32_div_u(a: int, b: int) -> int:
    if b == 0:
        raise _divide_by_zero()
    return a // b


def i32_rem_s(a: int, b: int) -> int:
    if b == 0:
        raise _divide_by_zero()
    if (a | b) < 0x80000000:  # both non-negative
        return a % b
    a = (a ^ 0x80000000) - 0x80000000
    b = (b ^ 0x80000000) - 0x80000000
    remainder = abs(a) % abs(b)
    return (-remainder if a < 0 else remainder) & 0xFFFFFFFF


def i32_rem_u(a: int, b: int) -> int:
    if b == 0:
        raise _divide_by_zero()
    return a % b


def i32_and(a: int, b: int) -> int:
    return a & b


def i32_or(a: int, b: int) -> int:
    return a | b


def i32_xor(a: int, b: int) -> int:
    return a ^ b


def i32_shl(a: int, b: int) -> int:
    return (a << (b & 31)) & 0xFFFFFFFF


def i32_shr_s(a: int, b: int) -> int:
    return (((a ^ 0x80000000) - 0x80000000) >> (b & 31)) & 0xFFFFFFFF


def i32_shr_u(a: int, b: int) -> int:
    return a >> (b & 31)


def i32_rotl(a: int, b: int) -> int:
    b &= 31
    return ((a << b) | (a >> (32 - b))) & 0xFFFFFFFF


def i32_rotr(a: int, b: int) -> int:
    b &= 31
    return ((a >> b) | (a << (32 - b))) & 0xFFFFFFFF


def i32_extend8_s(a: int) -> int:
    return (((a & 0xFF) ^ 0x80) - 0x80) & 0xFFFFFFFF


def i32_extend16_s(a: int) -> int:
    return (((a & 0xFFFF) ^ 0x8000) - 0x8000) & 0xFFFFFFFF


# --------------------------------------------------------------------------
# i64


def i64_eqz(a: int) -> int:
    return 1 if a == 0 else 0


def i64_eq(a: int, b: int) -> int:
    return 1 if a == b else 0


def i64_ne(a: int, b: int) -> int:
    return 1 if a != b else 0


def i64_lt_s(a: int, b: int) -> int:
    return 1 if (a ^ 0x8000000000000000) < (b ^ 0x8000000000000000) else 0


def i64_lt_u(a: int, b: int) -> int:
    return 1 if a < b else 0


def i64_gt_s(a: int, b: int) -> int:
    return 1 if (a ^ 0x8000000000000000) > (b ^ 0x8000000000000000) else 0


def i64_gt_u(a: int, b: int) -> int:
    return 1 if a > b else 0


def i64_le_s(a: int, b: int) -> int:
    return 1 if (a ^ 0x8000000000000000) <= (b ^ 0x8000000000000000) else 0


def i64_le_u(a: int, b: int) -> int:
    return 1 if a <= b else 0


def i64_ge_s(a: int, b: int) -> int:
    return 1 if (a ^ 0x8000000000000000) >= (b ^ 0x8000000000000000) else 0


def i64_ge_u(a: int, b: int) -> int:
    return 1 if a >= b else 0


def i64_clz(a: int) -> int:
    return 64 - a.bit_length()


def i64_ctz(a: int) -> int:
    return (a & -a).bit_length() - 1 if a else 64


def i64_popcnt(a: int) -> int:
    return _bit_count(a)


def i64_add(a: int, b: int) -> int:
    return (a + b) & 0xFFFFFFFFFFFFFFFF


def i64_sub(a: int, b: int) -> int:
    return (a - b) & 0xFFFFFFFFFFFFFFFF


def i64_mul(a: int, b: int) -> int:
    return (a * b) & 0xFFFFFFFFFFFFFFFF


def i64_div_s(a: int, b: int) -> int:
    if b == 0:
        raise _divide_by_zero()
    if (a | b) < 0x8000000000000000:  # both non-negative
        return a // b
    a = (a ^ 0x8000000000000000) - 0x8000000000000000
    b = (b ^ 0x8000000000000000) - 0x8000000000000000
    quotient = a // b if (a < 0) == (b < 0) else -(-a // b)
    if quotient == 0x8000000000000000:
        raise _overflow()
    return quotient & 0xFFFFFFFFFFFFFFFF


def i64_div_u(a: int, b: int) -> int:
    if b == 0:
        raise _divide_by_zero()
    return a // b


def i64_rem_s(a: int, b: int) -> int:
    if b == 0:
        raise _divide_by_zero()
    if (a | b) < 0x8000000000000000:  # both non-negative
        return a % b
    a = (a ^ 0x8000000000000000) - 0x8000000000000000
    b = (b ^ 0x8000000000000000) - 0x8000000000000000
    remainder = abs(a) % abs(b)
    return (-remainder if a < 0 else remainder) & 0xFFFFFFFFFFFFFFFF


def i64_rem_u(a: int, b: int) -> int:
    if b == 0:
        raise _divide_by_zero()
    return a % b


def i64_and(a: int, b: int) -> int:
    return a & b


def i64_or(a: int, b: int) -> int:
    return a | b


def i64_xor(a: int, b: int) -> int:
    return a ^ b


def i64_shl(a: int, b: int) -> int:
    return (a << (b & 63)) & 0xFFFFFFFFFFFFFFFF


def i64_shr_s(a: int, b: int) -> int:
    return (((a ^ 0x8000000000000000) - 0x8000000000000000) >> (b & 63)) & 0xFFFFFFFFFFFFFFFF


def i64_shr_u(a: int, b: int) -> int:
    return a >> (b & 63)


def i64_rotl(a: int, b: int) -> int:
    b &= 63
    return ((a << b) | (a >> (64 - b))) & 0xFFFFFFFFFFFFFFFF


def i64_rotr(a: int, b: int) -> int:
    b &= 63
    return ((a >> b) | (a << (64 - b))) & 0xFFFFFFFFFFFFFFFF


def i64_extend8_s(a: int) -> int:
    return (((a & 0xFF) ^ 0x80) - 0x80) & 0xFFFFFFFFFFFFFFFF


def i64_extend16_s(a: int) -> int:
    return (((a & 0xFFFF) ^ 0x8000) - 0x8000) & 0xFFFFFFFFFFFFFFFF


def i64_extend32_s(a: int) -> int:
    return (((a & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000) & 0xFFFFFFFFFFFFFFFF


# --------------------------------------------------------------------------
# Width changes between the integer types


def i32_wrap_i64(a: int) -> int:
    return a & 0xFFFFFFFF


def i64_extend_i32_s(a: int) -> int:
    return ((a ^ 0x80000000) - 0x80000000) & 0xFFFFFFFFFFFFFFFF


def i64_extend_i32_u(a: int) -> int:
    return a


# --------------------------------------------------------------------------
# Signed views, for hosts and engines


def i32_signed(a: int) -> int:
    """The signed value of an unsigned i32."""
    return (a ^ 0x80000000) - 0x80000000


def i64_signed(a: int) -> int:
    """The signed value of an unsigned i64."""
    return (a ^ 0x8000000000000000) - 0x8000000000000000


__all__ = [
    "i32_add",
    "i32_and",
    "i32_clz",
    "i32_ctz",
    "i32_div_s",
    "i32_div_u",
    "i32_eq",
    "i32_eqz",
    "i32_extend16_s",
    "i32_extend8_s",
    "i32_ge_s",
    "i32_ge_u",
    "i32_gt_s",
    "i32_gt_u",
    "i32_le_s",
    "i32_le_u",
    "i32_lt_s",
    "i32_lt_u",
    "i32_mul",
    "i32_ne",
    "i32_or",
    "i32_popcnt",
    "i32_rem_s",
    "i32_rem_u",
    "i32_rotl",
    "i32_rotr",
    "i32_shl",
    "i32_shr_s",
    "i32_shr_u",
    "i32_signed",
    "i32_sub",
    "i32_wrap_i64",
    "i32_xor",
    "i64_add",
    "i64_and",
    "i64_clz",
    "i64_ctz",
    "i64_div_s",
    "i64_div_u",
    "i64_eq",
    "i64_eqz",
    "i64_extend16_s",
    "i64_extend32_s",
    "i64_extend8_s",
    "i64_extend_i32_s",
    "i64_extend_i32_u",
    "i64_ge_s",
    "i64_ge_u",
    "i64_gt_s",
    "i64_gt_u",
    "i64_le_s",
    "i64_le_u",
    "i64_lt_s",
    "i64_lt_u",
    "i64_mul",
    "i64_ne",
    "i64_or",
    "i64_popcnt",
    "i64_rem_s",
    "i64_rem_u",
    "i64_rotl",
    "i64_rotr",
    "i64_shl",
    "i64_shr_s",
    "i64_shr_u",
    "i64_signed",
    "i64_sub",
    "i64_xor",
]
