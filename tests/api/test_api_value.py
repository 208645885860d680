"""Val: constructors, wrapping, accessors, equality."""

from __future__ import annotations

import pytest

from wasmport import Val, ValType, WasmtimeError


def test_numbers() -> None:
    assert Val.i32(0xFFFFFFFF).as_i32() == -1
    assert Val.i32(0x800000000).value == 0
    assert Val.i64(2**64 - 1).as_i64() == -1
    assert Val.f32(0.1).as_f32() == 0.10000000149011612
    assert Val.i32(1).as_i64() is None and Val.i32(1).type == ValType.i32()
    with pytest.raises(TypeError):
        Val.f32(1)
    with pytest.raises(TypeError):
        Val.i64(1.0)  # type: ignore[arg-type]
    assert Val.i32(3) == 3 and Val.i32(3) == Val.i32(3) and Val.i32(3) != Val.i64(3)


def test_references() -> None:
    obj = object()
    assert Val.externref(obj).as_externref() is obj
    assert Val.funcref(None).as_funcref() is None
    assert Val.ref_null(ValType.externref()).value is None
    with pytest.raises(WasmtimeError):
        Val.ref_null(ValType.i32())
