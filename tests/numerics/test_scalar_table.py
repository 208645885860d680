"""``IMPLEMENTATIONS`` covers every scalar numeric row of the opcode table."""

from __future__ import annotations

import inspect

import pytest

from wasmport import numerics
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
