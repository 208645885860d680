"""Type classes: constructors, equality, text forms."""

from __future__ import annotations

import pytest

from wasmport import FuncType, GlobalType, Limits, MemoryType, TableType, ValType, WasmtimeError


def test_valtypes() -> None:
    names = [str(t()) for t in (ValType.i32, ValType.i64, ValType.f32, ValType.f64,
                                ValType.externref, ValType.funcref)]
    assert names == ["i32", "i64", "f32", "f64", "anyref", "funcref"]
    assert ValType.i32() == ValType.i32() and ValType.i32() != ValType.i64()
    with pytest.raises(WasmtimeError, match="cannot construct directly"):
        ValType()


def test_composite_types() -> None:
    ty = FuncType([ValType.i32()], [ValType.f64()])
    assert ty.params == [ValType.i32()] and ty.results == [ValType.f64()]
    with pytest.raises(TypeError):
        FuncType([1], [])  # type: ignore[list-item]
    assert GlobalType(ValType.i64(), True).mutable
    table = TableType(ValType.funcref(), Limits(1, None))
    assert table.limits == Limits(1, None) and table.element == ValType.funcref()
    with pytest.raises(TypeError):
        TableType(ValType.funcref(), 1)  # type: ignore[arg-type]
    memory = MemoryType(Limits(1, 2), page_size_log2=0)
    assert memory.page_size == 1 and not memory.is_shared
