"""assert_return result patterns against results."""

from __future__ import annotations

import pytest

from wasmport.script import ast
from wasmport.script.engine import OpaqueRef
from wasmport.script.matching import lanes_of, matches, nan_matches
from wasmport.syntax.types import AbsHeapType, NumType

F32 = NumType.F32
F64 = NumType.F64


@pytest.mark.parametrize(
    "bits, canonical, arithmetic",
    [
        (0x7FC00000, True, True),
        (0xFFC00000, True, True),
        (0x7FC00001, False, True),
        (0x7FA00000, False, False),  # signalling NaN
        (0x7F800000, False, False),  # infinity
        (0x3F800000, False, False),
    ],
)
def test_f32_nan_classes(bits: int, canonical: bool, arithmetic: bool) -> None:
    assert nan_matches(ast.NanKind.CANONICAL, bits, 32) is canonical
    assert nan_matches(ast.NanKind.ARITHMETIC, bits, 32) is arithmetic


def test_f64_nan_classes() -> None:
    assert nan_matches(ast.NanKind.CANONICAL, 0xFFF8000000000000, 64)
    assert not nan_matches(ast.NanKind.CANONICAL, 0x7FF8000000000001, 64)
    assert nan_matches(ast.NanKind.ARITHMETIC, 0x7FFC000000000000, 64)
    assert not nan_matches(ast.NanKind.ARITHMETIC, 0x7FF4000000000000, 64)


def test_floats_compare_bit_for_bit() -> None:
    zero = ast.ValuePattern(ast.NumValue(F32, 0))
    assert matches(zero, ast.NumValue(F32, 0))
    assert not matches(zero, ast.NumValue(F32, 0x80000000))
    assert not matches(zero, ast.NumValue(NumType.I32, 0))


def test_nan_pattern_checks_the_type() -> None:
    pattern = ast.NanPattern(F64, ast.NanKind.CANONICAL)
    assert matches(pattern, ast.NumValue(F64, 0x7FF8000000000000))
    assert not matches(pattern, ast.NumValue(F32, 0x7FC00000))


def test_vector_lanes_with_nans() -> None:
    data = (0x7FC00000).to_bytes(4, "little") + (1).to_bytes(4, "little") * 3
    assert lanes_of(data, ast.LaneShape.F32X4) == (0x7FC00000, 1, 1, 1)
    pattern = ast.V128Pattern(ast.LaneShape.F32X4, (ast.NanKind.CANONICAL, 1, 1, 1))
    assert matches(pattern, ast.V128Value(data))
    other = ast.V128Pattern(ast.LaneShape.F32X4, (ast.NanKind.CANONICAL, 1, 1, 2))
    assert not matches(other, ast.V128Value(data))


def test_reference_patterns() -> None:
    assert matches(ast.RefNullPattern(None), ast.RefNullValue(AbsHeapType.NOFUNC))
    assert matches(ast.RefNullPattern(AbsHeapType.FUNC), ast.RefNullValue(AbsHeapType.NOFUNC))
    assert not matches(ast.RefNullPattern(AbsHeapType.EXTERN), ast.RefNullValue(AbsHeapType.FUNC))
    assert matches(ast.RefNullPattern(AbsHeapType.ANY), ast.RefNullValue(AbsHeapType.NONE))
    assert matches(ast.RefExternPattern(None), ast.RefExternValue(4))
    assert matches(ast.RefExternPattern(4), ast.RefExternValue(4))
    assert not matches(ast.RefExternPattern(5), ast.RefExternValue(4))
    assert matches(ast.RefHostPattern(1), ast.RefHostValue(1))
    assert matches(ast.RefKindPattern(AbsHeapType.EQ), OpaqueRef(AbsHeapType.I31))
    assert matches(ast.RefKindPattern(AbsHeapType.ANY), OpaqueRef(AbsHeapType.STRUCT))
    assert not matches(ast.RefKindPattern(AbsHeapType.STRUCT), OpaqueRef(AbsHeapType.ARRAY))
    assert not matches(ast.RefKindPattern(AbsHeapType.FUNC), ast.RefNullValue(AbsHeapType.FUNC))


def test_either() -> None:
    pattern = ast.EitherPattern(
        (ast.ValuePattern(ast.NumValue(NumType.I32, 1)), ast.NanPattern(F32, ast.NanKind.ARITHMETIC))
    )
    assert matches(pattern, ast.NumValue(NumType.I32, 1))
    assert matches(pattern, ast.NumValue(F32, 0x7FC00001))
    assert not matches(pattern, ast.NumValue(NumType.I32, 2))
