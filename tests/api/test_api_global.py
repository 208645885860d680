"""Global: values, mutability, conversions."""

from __future__ import annotations

import pytest

from wasmport import Global, GlobalType, Store, Val, ValType, WasmtimeError


def test_values() -> None:
    store = Store()
    g = Global(store, GlobalType(ValType.i64(), True), Val.i64(0))
    assert g.value(store) == 0 and isinstance(g.value(store), int)
    g.set_value(store, 2**64 - 1)
    assert g.value(store) == -1
    f = Global(store, GlobalType(ValType.f32(), False), 0.1)
    assert f.value(store) == 0.10000000149011612
    with pytest.raises(WasmtimeError):
        f.set_value(store, 1.0)
    with pytest.raises(TypeError):
        g.set_value(store, "x")
    with pytest.raises(TypeError, match="expected a GlobalType"):
        Global(store, 1, 1)  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        Global(1, GlobalType(ValType.i32(), True), 1)  # type: ignore[arg-type]
    assert g.type(store).mutable is not True or g.type(store).mutable
