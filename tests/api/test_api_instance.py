"""Instance: positional imports, exports mapping, start function, errors."""

from __future__ import annotations

import pytest

from wasmport import (
    Func,
    FuncType,
    Global,
    Instance,
    Memory,
    Module,
    Store,
    Table,
    Trap,
    ValType,
    WasmtimeError,
)

EXPORTS = """(module
  (func (export "f") (result i32) i32.const 7)
  (memory (export "m") 1)
  (table (export "t") 2 funcref)
  (global (export "g") i64 (i64.const -5)))"""


def test_exports_mapping() -> None:
    store = Store()
    exports = Instance(store, Module(store.engine, EXPORTS), []).exports(store)
    assert list(exports) == ["f", "m", "t", "g"]
    assert len(exports) == 4 and "m" in exports and "x" not in exports
    assert isinstance(exports["f"], Func) and exports["f"](store) == 7
    assert isinstance(exports.by_index[1], Memory)
    assert isinstance(exports.by_index[2], Table)
    assert isinstance(exports["g"], Global) and exports["g"].value(store) == -5
    assert exports.get("x", 3) == 3
    with pytest.raises(KeyError):
        exports["x"]
    with pytest.raises(IndexError):
        exports.by_index[9]


def test_import_errors() -> None:
    store = Store()
    module = Module(store.engine, '(module (import "" "" (func)))')
    func = Func(store, FuncType([], []), lambda: None)
    with pytest.raises(WasmtimeError, match="expected 1 imports, found 0"):
        Instance(store, module, [])
    with pytest.raises(TypeError):
        Instance(store, module, [3])  # type: ignore[list-item]
    with pytest.raises(AttributeError):
        Instance(store, 3, [])  # type: ignore[arg-type]
    wrong = Func(store, FuncType([ValType.i32()], []), lambda x: None)
    with pytest.raises(WasmtimeError):
        Instance(store, module, [wrong])
    Instance(store, module, [func])


def test_start_trap_and_host_exception() -> None:
    store = Store()
    with pytest.raises(Trap):
        Instance(store, Module(store.engine, "(module (func unreachable) (start 0))"), [])

    class Boom(Exception):
        pass

    def boom() -> None:
        raise Boom("x")

    module = Module(store.engine, '(module (import "" "" (func)) (start 0))')
    with pytest.raises(Boom):
        Instance(store, module, [Func(store, FuncType([], []), boom)])


def test_wrong_store() -> None:
    store, other = Store(), Store()
    func = Func(store, FuncType([], []), lambda: None)
    module = Module(store.engine, '(module (import "" "" (func)))')
    with pytest.raises(WasmtimeError, match="wrong store"):
        Instance(other, module, [func])
    with pytest.raises(WasmtimeError, match="wrong store"):
        func(other)
