"""The wide-arithmetic proposal: 128-bit add/sub on i64 pairs and widening multiply.

A 128-bit value is the pair ``(low, high)`` of unsigned i64 halves; each
function returns its two results in stack order (low first).
"""

from __future__ import annotations

from typing import Tuple


def i64_add128(low1: int, high1: int, low2: int, high2: int) -> Tuple[int, int]:
    total = ((high1 << 64) | low1) + ((high2 << 64) | low2)
    return total & 0xFFFFFFFFFFFFFFFF, (total >> 64) & 0xFFFFFFFFFFFFFFFF


def i64_sub128(low1: int, high1: int, low2: int, high2: int) -> Tuple[int, int]:
    difference = ((high1 << 64) | low1) - ((high2 << 64) | low2)
    return difference & 0xFFFFFFFFFFFFFFFF, (difference >> 64) & 0xFFFFFFFFFFFFFFFF


def i64_mul_wide_s(a: int, b: int) -> Tuple[int, int]:
    product = ((a ^ 0x8000000000000000) - 0x8000000000000000) * (
        (b ^ 0x8000000000000000) - 0x8000000000000000
    )
    return product & 0xFFFFFFFFFFFFFFFF, (product >> 64) & 0xFFFFFFFFFFFFFFFF


def i64_mul_wide_u(a: int, b: int) -> Tuple[int, int]:
    product = a * b
    return product & 0xFFFFFFFFFFFFFFFF, product >> 64


__all__ = [
    "i64_add128",
    "i64_mul_wide_s",
    "i64_mul_wide_u",
    "i64_sub128",
]
