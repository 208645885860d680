"""Table: funcref and externref elements, grow, get/set bounds."""

from __future__ import annotations

import pytest

from wasmport import Func, FuncType, Limits, Store, Table, TableType, ValType, WasmtimeError


def test_funcref_table() -> None:
    store = Store()
    func = Func(store, FuncType([], [ValType.i32()]), lambda: 4)
    table = Table(store, TableType(ValType.funcref(), Limits(1, 3)), None)
    assert table.get(store, 0) is None and table.get(store, 10) is None
    assert table.grow(store, 1, func) == 1
    got = table.get(store, 1)
    assert isinstance(got, Func) and got(store) == 4
    with pytest.raises(WasmtimeError):
        table.set(store, 5, func)
    with pytest.raises(WasmtimeError):
        table.grow(store, 5, None)
    with pytest.raises(TypeError):
        table.grow(store, 1, "not a func")


def test_externref_table() -> None:
    store = Store()
    marker = object()
    table = Table(store, TableType(ValType.externref(), Limits(2, None)), marker)
    assert table.get(store, 1) is marker
    table.set(store, 0, None)
    assert table.get(store, 0) is None
    assert table.size(store) == 2
