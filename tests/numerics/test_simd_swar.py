"""The whole-vector (SWAR) integer operations against a plain lane-by-lane reference.

These need neither wasmtime nor hypothesis, so they also run where those are
not installed (old Pythons, PyPy). Lanes come from seeded generators, half of
them at the carry and sign boundaries.
"""

from __future__ import annotations

import random
from typing import Callable, Dict, List, Tuple

import pytest

from wasmport.numerics import simd

Reference = Callable[[int, int, int], int]


def _lanes(value: int, width: int) -> List[int]:
    return [(value >> shift) & ((1 << width) - 1) for shift in range(0, 128, width)]


def _vector(lanes: List[int], width: int) -> int:
    return sum((lane & ((1 << width) - 1)) << (index * width) for index, lane in enumerate(lanes))


def _signed(value: int, width: int) -> int:
    return value - (1 << width) if value >> (width - 1) else value


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _binary_references(width: int) -> Dict[str, Reference]:
    top = 1 << width
    smin, smax = -(top >> 1), (top >> 1) - 1
    s = _signed
    return {
        "add": lambda x, y, w: x + y,
        "sub": lambda x, y, w: x - y,
        "eq": lambda x, y, w: -(x == y),
        "ne": lambda x, y, w: -(x != y),
        "lt_s": lambda x, y, w: -(s(x, w) < s(y, w)),
        "gt_s": lambda x, y, w: -(s(x, w) > s(y, w)),
        "le_s": lambda x, y, w: -(s(x, w) <= s(y, w)),
        "ge_s": lambda x, y, w: -(s(x, w) >= s(y, w)),
        "lt_u": lambda x, y, w: -(x < y),
        "gt_u": lambda x, y, w: -(x > y),
        "le_u": lambda x, y, w: -(x <= y),
        "ge_u": lambda x, y, w: -(x >= y),
        "min_s": lambda x, y, w: min(s(x, w), s(y, w)),
        "max_s": lambda x, y, w: max(s(x, w), s(y, w)),
        "min_u": lambda x, y, w: min(x, y),
        "max_u": lambda x, y, w: max(x, y),
        "avgr_u": lambda x, y, w: (x + y + 1) >> 1,
        "add_sat_s": lambda x, y, w: _clamp(s(x, w) + s(y, w), smin, smax),
        "sub_sat_s": lambda x, y, w: _clamp(s(x, w) - s(y, w), smin, smax),
        "add_sat_u": lambda x, y, w: _clamp(x + y, 0, top - 1),
        "sub_sat_u": lambda x, y, w: _clamp(x - y, 0, top - 1),
    }


_SHAPES = {8: "i8x16", 16: "i16x8", 32: "i32x4", 64: "i64x2"}
CASES: List[Tuple[str, int, Reference]] = []
for _width, _shape in _SHAPES.items():
    for _name, _reference in _binary_references(_width).items():
        if hasattr(simd, f"{_shape}_{_name}"):
            CASES.append((f"{_shape}_{_name}", _width, _reference))


def _vector_from_seed(seed: int, width: int) -> int:
    """Lanes from a seeded generator: half of them at carry and sign edges."""
    rng = random.Random(seed)
    top = 1 << width
    edges = [0, 1, 2, top - 1, top - 2, top >> 1, (top >> 1) - 1, (top >> 1) + 1]
    lanes = [
        rng.choice(edges) if rng.random() < 0.5 else rng.randrange(top) for _ in range(128 // width)
    ]
    return _vector(lanes, width)


@pytest.mark.parametrize("name,width,reference", CASES, ids=[case[0] for case in CASES])
def test_binary_matches_lanes(name: str, width: int, reference: Reference) -> None:
    function = getattr(simd, name)
    for seed in range(0, 1000, 2):
        a, b = _vector_from_seed(seed, width), _vector_from_seed(seed + 1, width)
        expected = _vector(
            [reference(x, y, width) for x, y in zip(_lanes(a, width), _lanes(b, width))], width
        )
        assert function(a, b) == expected, (hex(a), hex(b))


@pytest.mark.parametrize("width", sorted(_SHAPES))
@pytest.mark.parametrize("seed", range(0, 600, 100))
def test_unary_and_shifts_match_lanes(width: int, seed: int) -> None:
    for case in range(seed, seed + 100):
        _check_unary_and_shifts(width, case)


def _check_unary_and_shifts(width: int, seed: int) -> None:
    shape = _SHAPES[width]
    a = _vector_from_seed(seed, width)
    count = random.Random(-seed).getrandbits(32)
    lanes = _lanes(a, width)
    signed = [_signed(x, width) for x in lanes]
    shift = count % width
    assert getattr(simd, f"{shape}_neg")(a) == _vector([-x for x in lanes], width)
    assert getattr(simd, f"{shape}_abs")(a) == _vector([abs(x) for x in signed], width)
    assert getattr(simd, f"{shape}_shl")(a, count) == _vector([x << shift for x in lanes], width)
    assert getattr(simd, f"{shape}_shr_u")(a, count) == _vector([x >> shift for x in lanes], width)
    assert getattr(simd, f"{shape}_shr_s")(a, count) == _vector([x >> shift for x in signed], width)
    assert getattr(simd, f"{shape}_all_true")(a) == int(all(lanes))
    assert getattr(simd, f"{shape}_bitmask")(a) == sum(
        1 << i for i, x in enumerate(signed) if x < 0
    )
