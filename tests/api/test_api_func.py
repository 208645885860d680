"""Func: host functions, value conversion, results, Caller, exceptions, threads."""

from __future__ import annotations

import threading
from typing import Any, List

import pytest

from wasmport import (
    Caller,
    Func,
    FuncType,
    Instance,
    Module,
    Store,
    Val,
    ValType,
    WasmtimeError,
)

I32, I64, F32, F64 = ValType.i32(), ValType.i64(), ValType.f32(), ValType.f64()


def identity(store: Store, ty: ValType) -> Func:
    module = Module(store.engine, f'(module (func (export "id") (param {ty}) (result {ty}) local.get 0))')
    func = Instance(store, module, []).exports(store)["id"]
    assert isinstance(func, Func)
    return func


def test_conversions() -> None:
    store = Store()
    assert identity(store, I32)(store, 0xFFFFFFFF) == -1
    assert identity(store, I32)(store, 2**40 + 5) == 5
    assert identity(store, I32)(store, True) == 1
    assert identity(store, I64)(store, 2**63) == -(2**63)
    assert identity(store, F32)(store, 0.1) == 0.10000000149011612
    assert identity(store, F64)(store, 0.1) == 0.1
    with pytest.raises(TypeError, match="don't know how to convert 1 to f32"):
        identity(store, F32)(store, 1)
    with pytest.raises(TypeError, match="wrong type of `Val` provided"):
        identity(store, I32)(store, Val.i64(1))
    with pytest.raises(TypeError):
        identity(store, I32)(store, 1.5)


def test_arity_and_results() -> None:
    store = Store()
    pair = Func(store, FuncType([], [I32, I64]), lambda: (1, 2))
    assert pair(store) == [1, 2]
    with pytest.raises(WasmtimeError, match="too many parameters provided: given 1, expected 0"):
        pair(store, 1)
    with pytest.raises(WasmtimeError, match="too few parameters provided"):
        Func(store, FuncType([I32], []), lambda x: None)(store)
    with pytest.raises(WasmtimeError, match="produced results when it shouldn't"):
        Func(store, FuncType([], []), lambda: 1)(store)
    with pytest.raises(WasmtimeError, match="wrong number of results"):
        Func(store, FuncType([], [I32, I32]), lambda: [1])(store)
    with pytest.raises(TypeError):
        Func(store, FuncType([], [I32, I32]), lambda: 1)(store)
    with pytest.raises(TypeError, match="expected a Store"):
        Func(Caller(store, None), FuncType([], []), lambda: None)  # type: ignore[arg-type]


@pytest.mark.parametrize("error", [KeyboardInterrupt, SystemExit, ValueError])
def test_host_exceptions_cross_wasm_frames(error: type) -> None:
    store = Store()

    def fail() -> None:
        raise error("from host")

    module = Module(store.engine, """(module (import "" "" (func $h))
        (func (export "run") call $h))""")
    run = Instance(store, module, [Func(store, FuncType([], []), fail)]).exports(store)["run"]
    with pytest.raises(error):
        run(store)


def test_caller_sees_calling_instance_and_expires() -> None:
    store = Store()
    kept: List[Any] = []

    def host(caller: Caller) -> int:
        kept.append(caller)
        memory = caller.get("memory")
        return memory.data_ptr(caller)[0]  # type: ignore[union-attr]

    module = Module(store.engine, """(module (import "" "" (func $h (result i32)))
        (memory (export "memory") 1) (data (i32.const 0) "\\2a")
        (func (export "run") (result i32) call $h))""")
    func = Func(store, FuncType([], [I32]), host, access_caller=True)
    assert Instance(store, module, [func]).exports(store)["run"](store) == 42
    assert kept[0].get("memory") is None
    with pytest.raises(ValueError, match="caller is no longer valid"):
        kept[0]._context()


def test_calls_from_threads_into_different_stores() -> None:
    results: List[int] = []

    def work(n: int) -> None:
        store = Store()
        module = Module(store.engine, """(module (func (export "sum") (param i32) (result i32)
            (local i32) (loop (local.set 1 (i32.add (local.get 1) (local.get 0)))
            (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))) (local.get 1)))""")
        results.append(Instance(store, module, []).exports(store)["sum"](store, n))

    threads = [threading.Thread(target=work, args=(n,)) for n in (10, 100, 1000)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [55, 5050, 500500]
