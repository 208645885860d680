"""Trap: codes, frames, Wasmtime's message, user traps, ExitTrap."""

from __future__ import annotations

import pytest

from wasmport import (
    ExitTrap,
    Func,
    FuncType,
    Instance,
    Linker,
    Module,
    Store,
    Trap,
    TrapCode,
    WasiConfig,
    WasmtimeError,
)


def run(wat: str) -> Trap:
    store = Store()
    func = Instance(store, Module(store.engine, wat), []).exports(store)["run"]
    with pytest.raises(Trap) as caught:
        func(store)
    return caught.value


def test_codes() -> None:
    div = run('(module (func (export "run") (result i32) (i32.div_s (i32.const 1) (i32.const 0))))')
    assert div.trap_code is TrapCode.INTEGER_DIVISION_BY_ZERO
    assert not isinstance(div, WasmtimeError)
    deep = run('(module (func $f (export "run") call $f))')
    assert deep.trap_code is TrapCode.STACK_OVERFLOW
    oob = run('(module (memory 1) (func (export "run") (drop (i32.load (i32.const 65536)))))')
    assert oob.trap_code is TrapCode.MEMORY_OUT_OF_BOUNDS


def test_frames_and_message() -> None:
    trap = run("""(module $mod (func $inner unreachable)
        (func (export "run") call $inner))""")
    assert [f.func_index for f in trap.frames] == [0, 1]
    assert trap.frames[0].func_name == "inner" and trap.frames[1].func_name is None
    assert trap.frames[0].module_name == "mod"
    assert str(trap).startswith("error while executing at wasm backtrace:\n    0: ")
    assert " - mod!inner\n" in str(trap)
    assert str(trap).endswith("Caused by:\n    wasm trap: wasm `unreachable` instruction executed\n")


def test_user_trap_from_host() -> None:
    store = Store()

    def fail() -> None:
        raise Trap("custom")

    module = Module(store.engine, '(module (import "" "" (func $f)) (func (export "run") call $f))')
    func = Instance(store, module, [Func(store, FuncType([], []), fail)]).exports(store)["run"]
    with pytest.raises(Trap, match="custom") as caught:
        func(store)
    assert caught.value.trap_code is None and Trap("x").message == "x"


def test_exit_trap() -> None:
    linker = Linker.__new__(Linker)
    from wasmport import Engine

    linker = Linker(Engine())
    linker.define_wasi()
    module = Module(linker.engine, """(module
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1) (func (export "exit") (param i32) (call $exit (local.get 0))))""")
    store = Store(linker.engine)
    store.set_wasi(WasiConfig())
    func = linker.instantiate(store, module).exports(store)["exit"]
    with pytest.raises(ExitTrap, match="Exited with i32 exit status 3") as caught:
        func(store, 3)
    assert caught.value.code == 3 and isinstance(caught.value, WasmtimeError)
