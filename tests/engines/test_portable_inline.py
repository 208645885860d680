"""Every inline template of the portable engine agrees with wasmport.numerics."""

from __future__ import annotations

import itertools
import math

import pytest

from wasmport.engines.portable.inline import BOOL_TEMPLATES, VALUE_TEMPLATES
from wasmport.numerics import IMPLEMENTATIONS, f32_from_bits, f64_from_bits, f64_to_bits
from wasmport.syntax.types import NumType

_INTS = {
    NumType.I32: [0, 1, 2, 31, 32, 33, 0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFE, 0xFFFFFFFF],
    NumType.I64: [0, 1, 63, 64, 65, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, 0xFFFFFFFFFFFFFFFF,
                  0xFFFFFFFF, 0x100000000],
}
_FLOATS = [0.0, -0.0, 1.0, -1.5, 3.25e10, 1e-300, 5e-324, math.inf, -math.inf,
           f64_from_bits(0x7FF8000000000000), f64_from_bits(0xFFF8000000000000),
           f64_from_bits(0x7FF4000000000001), 1.7976931348623157e308]
_F32 = [0.0, -0.0, 1.0, -1.5, 3.5e10, math.inf, -math.inf, f32_from_bits(0x7FC00000),
        f32_from_bits(0x7FA00001), f32_from_bits(0x00000001)]


def _samples(t: NumType):
    if t is NumType.F64:
        return _FLOATS
    if t is NumType.F32:
        return _F32
    return _INTS[t]


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) and math.isnan(b):
            # Both NaN: the spec allows any arithmetic NaN; require the quiet bit.
            return bool(f64_to_bits(a) & 0x0008000000000000) == bool(
                f64_to_bits(b) & 0x0008000000000000)
        return f64_to_bits(a) == f64_to_bits(b)
    return a == b and type(a) is type(b)


def _operands(op):
    return itertools.product(*(_samples(t) for t in op.params))


@pytest.mark.parametrize("op", list(VALUE_TEMPLATES), ids=lambda op: op.mnemonic)
def test_value_template_matches_numerics(op):
    template = VALUE_TEMPLATES[op]
    names = [f"a{index}" for index in range(len(op.params))]
    code = compile(template.format(*names), op.mnemonic, "eval")
    for values in _operands(op):
        expected = IMPLEMENTATIONS[op](*values)
        actual = eval(code, {}, dict(zip(names, values)))
        assert _same(actual, expected), (op.mnemonic, values, actual, expected)


@pytest.mark.parametrize("op", list(BOOL_TEMPLATES), ids=lambda op: op.mnemonic)
def test_bool_template_matches_numerics(op):
    template = BOOL_TEMPLATES[op]
    names = [f"a{index}" for index in range(len(op.params))]
    code = compile(template.format(*names), op.mnemonic, "eval")
    for values in _operands(op):
        expected = IMPLEMENTATIONS[op](*values)
        actual = 1 if eval(code, {}, dict(zip(names, values))) else 0
        assert actual == expected, (op.mnemonic, values)


def test_every_template_names_a_numeric_row():
    for op in list(VALUE_TEMPLATES) + list(BOOL_TEMPLATES):
        assert op in IMPLEMENTATIONS
    assert not set(VALUE_TEMPLATES) & set(BOOL_TEMPLATES)
