"""Linker: definitions, shadowing, store-independent functions, WASI, lookups."""

from __future__ import annotations

import pytest

from wasmport import (
    Engine,
    Func,
    FuncType,
    Instance,
    Linker,
    Module,
    Store,
    Trap,
    ValType,
    WasmtimeError,
)


def test_define_and_shadowing() -> None:
    store = Store()
    linker = Linker(store.engine)
    one = Func(store, FuncType([], [ValType.i32()]), lambda: 1)
    two = Func(store, FuncType([], [ValType.i32()]), lambda: 2)
    linker.define(store, "m", "f", one)
    with pytest.raises(WasmtimeError, match="defined twice"):
        linker.define(store, "m", "f", two)
    linker.allow_shadowing = True
    linker.define(store, "m", "f", two)
    module = Module(store.engine, """(module (import "m" "f" (func $f (result i32)))
        (func (export "run") (result i32) call $f))""")
    assert linker.instantiate(store, module).exports(store)["run"](store) == 2
    with pytest.raises(TypeError):
        linker.define(store, "m", "g", 5)  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        linker.define(store, 5, "g", one)  # type: ignore[arg-type]


def test_unknown_import_message() -> None:
    store = Store()
    module = Module(store.engine, '(module (import "a" "b" (func)))')
    with pytest.raises(WasmtimeError, match="unknown import: `a::b` has not been defined"):
        Linker(store.engine).instantiate(store, module)


def test_define_func_in_many_stores_with_caller() -> None:
    engine = Engine()
    linker = Linker(engine)
    seen = []

    def peek(caller, address):  # type: ignore[no-untyped-def]
        seen.append(caller["mem"].read(caller, address, address + 2))

    linker.define_func("host", "peek", FuncType([ValType.i32()], []), peek, access_caller=True)
    module = Module(engine, """(module (import "host" "peek" (func $peek (param i32)))
        (memory (export "mem") 1) (data (i32.const 8) "hi")
        (func (export "run") (call $peek (i32.const 8))))""")
    for _ in range(2):
        store = Store(engine)
        linker.instantiate(store, module).exports(store)["run"](store)
    assert seen == [bytearray(b"hi"), bytearray(b"hi")]


def test_instance_module_get_and_default() -> None:
    store = Store()
    linker = Linker(store.engine)
    lib = Module(store.engine, '(module (func (export "") ) (func (export "x") (result i32) i32.const 3))')
    linker.define_module(store, "lib", lib)
    assert linker.get(store, "lib", "x")(store) == 3
    linker.get_default(store, "lib")(store)
    linker.get_default(store, "nothing")(store)
    with pytest.raises(WasmtimeError, match="item not defined in linker"):
        linker.get(store, "lib", "y")
    instance = Instance(store, lib, [])
    linker.define_instance(store, "copy", instance)
    with pytest.raises(TypeError):
        linker.define_instance(store, "bad", 3)  # type: ignore[arg-type]


def test_instantiate_pre_and_unknown_imports() -> None:
    engine = Engine()
    linker = Linker(engine)
    module = Module(engine, """(module (import "env" "gone" (func $g (result i32)))
        (func (export "call") (result i32) call $g))""")
    with pytest.raises(WasmtimeError):
        linker.instantiate_pre(module)
    linker.define_unknown_imports_as_traps(module)
    store = Store(engine)
    pre = linker.instantiate_pre(module)
    with pytest.raises(Trap):
        pre.instantiate(store).exports(store)["call"](store)
    defaults = Linker(engine)
    defaults.define_unknown_imports_as_default_values(store, module)
    assert defaults.instantiate(store, module).exports(store)["call"](store) == 0


def test_define_wasi_only_preview1() -> None:
    linker = Linker(Engine())
    linker.define_wasi()
    store = Store(linker.engine)
    assert isinstance(linker.get(store, "wasi_snapshot_preview1", "fd_write"), Func)
    with pytest.raises(WasmtimeError):
        linker.get(store, "wasi_unstable", "fd_write")
    with pytest.raises(WasmtimeError, match="defined twice"):
        linker.define_wasi()


def test_define_module_command_gets_a_fresh_instance_per_call() -> None:
    store = Store()
    linker = Linker(store.engine)
    command = Module(store.engine, """(module (global $g (mut i32) (i32.const 0))
        (func (export "_start"))
        (func (export "bump") (result i32)
          (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g)))""")
    linker.define_module(store, "cmd", command)
    bump = linker.get(store, "cmd", "bump")
    assert (bump(store), bump(store)) == (1, 1)
    linker.get_default(store, "cmd")(store)
