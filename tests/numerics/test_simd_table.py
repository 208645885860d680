"""SIMD_IMPLEMENTATIONS covers the opcode table, with the documented calling convention."""

from __future__ import annotations

import inspect
import random
from typing import Any, List

import pytest

from wasmport.numerics import f32_from_bits, f64_from_bits
from wasmport.numerics.simd import SIMD_IMPLEMENTATIONS, SIMD_MEMORY_HELPERS
from wasmport.syntax import opcodes
from wasmport.syntax.opcodes import Imm, Op, OpClass
from wasmport.syntax.types import NumType

_MEMORY = (OpClass.VECTOR_LOAD, OpClass.VECTOR_STORE)
VALUE_ROWS = [op for op in opcodes.ALL_OPS if op.prefix == 0xFD and op.klass not in _MEMORY]


def test_every_value_row_is_implemented() -> None:
    missing = [op.mnemonic for op in VALUE_ROWS if op not in SIMD_IMPLEMENTATIONS]
    assert not missing
    assert set(SIMD_IMPLEMENTATIONS) == set(VALUE_ROWS)


def test_memory_helpers_are_memory_rows() -> None:
    assert SIMD_MEMORY_HELPERS
    assert all(op.klass in _MEMORY for op in SIMD_MEMORY_HELPERS)


def _arity(op: Op) -> int:
    assert op.params is not None
    return len(op.params) + sum(1 for imm in op.imms if imm is not Imm.ZERO_BYTE)


@pytest.mark.parametrize("op", VALUE_ROWS, ids=[op.mnemonic for op in VALUE_ROWS])
def test_arguments_are_operands_then_immediates(op: Op) -> None:
    signature = inspect.signature(SIMD_IMPLEMENTATIONS[op])
    assert len(signature.parameters) == _arity(op)


def _argument(type_: NumType, rng: random.Random) -> Any:
    if type_ is NumType.V128:
        return rng.getrandbits(128)
    if type_ is NumType.F32:
        return f32_from_bits(rng.getrandbits(32))
    if type_ is NumType.F64:
        return f64_from_bits(rng.getrandbits(64))
    return rng.getrandbits(32 if type_ is NumType.I32 else 64)


def _immediates(op: Op, rng: random.Random) -> List[Any]:
    out: List[Any] = []
    for imm in op.imms:
        if imm is Imm.LANE:
            out.append(rng.randrange(int(op.mnemonic.split(".")[0].split("x")[1])))
        elif imm is Imm.SHUFFLE:
            out.append(tuple(rng.randrange(32) for _ in range(16)))
        elif imm is Imm.V128:
            out.append(bytes(rng.getrandbits(8) for _ in range(16)))
    return out


_RANGES = {NumType.V128: 1 << 128, NumType.I32: 1 << 32, NumType.I64: 1 << 64}


@pytest.mark.parametrize("op", VALUE_ROWS, ids=[op.mnemonic for op in VALUE_ROWS])
def test_results_have_the_runtime_representation(op: Op) -> None:
    rng = random.Random(op.code)
    assert op.params is not None and op.results is not None
    (result_type,) = op.results
    for _ in range(200):
        args = [_argument(t, rng) for t in op.params] + _immediates(op, rng)
        result = SIMD_IMPLEMENTATIONS[op](*args)
        if result_type in _RANGES:
            assert type(result) is int and 0 <= result < _RANGES[result_type]
        else:
            assert type(result) is float
