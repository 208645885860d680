"""``IMPLEMENTATIONS`` covers every scalar numeric row of the opcode table."""

from __future__ import annotations

import inspect
import itertools

import pytest
from numerics_support import to_bits, to_runtime

from wasmport import numerics
from wasmport.errors import Trap
from wasmport.numerics import IMPLEMENTATIONS, is_scalar_numeric, scalar_numeric_ops
from wasmport.syntax import opcodes
from wasmport.syntax.opcodes import ALL_OPS, Op, OpClass
from wasmport.syntax.types import NumType


def test_every_scalar_numeric_row_has_a_function() -> None:
    missing = [op.mnemonic for op in scalar_numeric_ops() if op not in IMPLEMENTATIONS]
    assert missing == []
    assert set(IMPLEMENTATIONS) == set(scalar_numeric_ops())


def test_selection_is_the_scalar_rows_of_the_numeric_classes() -> None:
    classes = {OpClass.UNARY, OpClass.BINARY, OpClass.TEST, OpClass.COMPARE, OpClass.CONVERT}
    for op in ALL_OPS:
        types = (op.params or ()) + (op.results or ())
        expected = op.klass in classes and op.params is not None and NumType.V128 not in types
        assert is_scalar_numeric(op) == expected, op.mnemonic
    # MVP numerics, sign extension, saturating truncation and wide arithmetic.
    assert len(scalar_numeric_ops()) == 140
    for op in (opcodes.I64_ADD128, opcodes.I64_MUL_WIDE_S, opcodes.I32_TRUNC_SAT_F64_U):
        assert op in IMPLEMENTATIONS


@pytest.mark.parametrize("op", scalar_numeric_ops(), ids=lambda op: op.mnemonic)
def test_function_is_named_after_the_row(op: Op) -> None:
    function = IMPLEMENTATIONS[op]
    assert getattr(numerics, op.name.lower()) is function
    assert op.name.lower() in numerics.__all__
    parameters = inspect.signature(function).parameters
    assert len(parameters) == len(op.params or ())


_SAMPLES = {
    NumType.I32: [0, 1, 31, 32, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF],
    NumType.I64: [0, 1, 63, 64, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, 0xFFFFFFFFFFFFFFFF],
    NumType.F32: [0, 0x80000000, 1, 0x3F000000, 0x4F000000, 0x7F7FFFFF, 0x7F800000,
                  0xFF800000, 0x7FC00000, 0xFFA00001],
    NumType.F64: [0, 0x8000000000000000, 1, 0x3FE0000000000000, 0x43E0000000000000,
                  0x7FEFFFFFFFFFFFFF, 0x7FF0000000000000, 0xFFF0000000000000,
                  0x7FF8000000000000, 0xFFF4000000000001],
}  # fmt: skip


@pytest.mark.parametrize("op", scalar_numeric_ops(), ids=lambda op: op.mnemonic)
def test_function_is_total(op: Op) -> None:
    """Every operand combination gives canonical runtime values or a Trap: never
    a raw Python exception (the differential tests check the values)."""
    params = op.params or ()
    results = op.results or ()
    for bits in itertools.product(*(_SAMPLES[t] for t in params)):
        args = [to_runtime(t, b) for t, b in zip(params, bits)]
        try:
            value = IMPLEMENTATIONS[op](*args)
        except Trap:
            continue
        values = value if len(results) > 1 else (value,)
        assert isinstance(values, tuple) and len(values) == len(results)
        for type_, result in zip(results, values):
            if type_ in (NumType.F32, NumType.F64):
                assert type(result) is float, (op.mnemonic, bits)
            to_bits(type_, result)  # raises unless an int in canonical range
