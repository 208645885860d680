"""Instantiation: imports (by name and type), host functions, segments, start."""

from __future__ import annotations

import pytest

from wasmport.errors import LinkError, Trap, TrapCode, WasmException
from wasmport.runtime.config import Config
from wasmport.runtime.instances import GlobalInstance, TableInstance
from wasmport.runtime.linker import Linker
from wasmport.runtime.memory import MemoryInstance
from wasmport.runtime.store import Store
from wasmport.runtime.values import ExternRef
from wasmport.syntax.types import (
    FUNCREF,
    I32,
    I64,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    TableType,
)
from wasmport.text import parse_module
from wasmport.valid import validate


def module(text: str):
    parsed = parse_module(text)
    validate(parsed)
    return parsed


def test_host_function_import_and_results():
    store = Store()
    calls = []

    def add(a, b):
        calls.append((a, b))
        return a + b

    linker = Linker()
    linker.define("env", "add", store.host_function(FuncType((I32, I32), (I32,)), add))
    m = module('(module (import "env" "add" (func $add (param i32 i32) (result i32)))'
               ' (func (export "f") (param i32) (result i32) (call $add (local.get 0) (i32.const 5))))')
    instance = store.instantiate(m, linker.resolve(m))
    assert instance.exports["f"].invoke((10,)) == (15,)
    assert calls == [(10, 5)]


def test_host_exceptions_propagate_unchanged():
    store = Store()

    class Boom(Exception):
        pass

    def fail():
        raise Boom("host")

    m = module('(module (import "env" "fail" (func $f)) (func (export "f") (call $f)))')
    instance = store.instantiate(m, [store.host_function(FuncType(), fail)])
    with pytest.raises(Boom):
        instance.exports["f"].invoke(())


def test_unknown_and_incompatible_imports():
    store = Store()
    linker = Linker()
    m = module('(module (import "env" "g" (global i32)))')
    with pytest.raises(LinkError, match="unknown import"):
        linker.resolve(m)
    linker.define("env", "g", GlobalInstance(GlobalType(I64), 0))
    with pytest.raises(LinkError, match="incompatible import type"):
        store.instantiate(m, linker.resolve(m))
    linker.define("env", "g", GlobalInstance(GlobalType(I32, mutable=True), 0))
    with pytest.raises(LinkError, match="incompatible import type"):
        store.instantiate(m, linker.resolve(m))
    linker.define("env", "g", GlobalInstance(GlobalType(I32), 3))
    store.instantiate(m, linker.resolve(m))


def test_limits_subtyping_of_memories_and_tables():
    store = Store()
    mem_module = module('(module (import "env" "m" (memory 1 4)))')
    assert store.instantiate(mem_module, [MemoryInstance(MemoryType(Limits(2, 3)))])
    with pytest.raises(LinkError):
        store.instantiate(mem_module, [MemoryInstance(MemoryType(Limits(1)))])
    with pytest.raises(LinkError):
        store.instantiate(mem_module, [MemoryInstance(MemoryType(Limits(0, 4)))])
    table_module = module('(module (import "env" "t" (table 10 funcref)))')
    assert store.instantiate(table_module, [TableInstance(TableType(Limits(10, 20), FUNCREF))])
    with pytest.raises(LinkError):
        store.instantiate(table_module, [TableInstance(TableType(Limits(5), FUNCREF))])


def test_function_import_type_must_match():
    store = Store()
    m = module('(module (import "env" "f" (func (param i32))))')
    with pytest.raises(LinkError):
        store.instantiate(m, [store.host_function(FuncType((I64,), ()), lambda x: None)])
    store.instantiate(m, [store.host_function(FuncType((I32,), ()), lambda x: None)])


def test_active_segments_and_bounds_traps():
    store = Store()
    ok = module('(module (memory (export "m") 1) (data (i32.const 65534) "ab")'
                ' (table (export "t") 2 funcref) (elem (i32.const 1) func $f) (func $f))')
    instance = store.instantiate(ok, [])
    assert instance.exports["m"].read(65534, 2) == b"ab"
    assert instance.exports["t"].elements[1] is instance.funcs[0]
    bad_data = module('(module (memory 1) (data (i32.const 65535) "ab"))')
    with pytest.raises(Trap) as caught:
        store.instantiate(bad_data, [])
    assert caught.value.code is TrapCode.MEMORY_OUT_OF_BOUNDS
    bad_elem = module('(module (table 1 funcref) (elem (i32.const 1) func $f) (func $f))')
    with pytest.raises(Trap) as caught:
        store.instantiate(bad_elem, [])
    assert caught.value.message == "out of bounds table access"


def test_start_function_runs_and_may_trap():
    store = Store()
    m = module('(module (global $g (export "g") (mut i32) (i32.const 0))'
               ' (func $s (global.set $g (i32.const 9))) (start $s))')
    assert store.instantiate(m, []).exports["g"].value == 9
    trapping = module('(module (func $s unreachable) (start $s))')
    with pytest.raises(Trap, match="unreachable"):
        store.instantiate(trapping, [])


def test_extended_constant_expressions():
    store = Store()
    m = module('(module (import "env" "base" (global $b i32))'
               ' (global (export "g") i32 (i32.add (global.get $b) (i32.mul (i32.const 3) (i32.const 4)))))')
    instance = store.instantiate(m, [GlobalInstance(GlobalType(I32), 0xFFFFFFF8)])
    assert instance.exports["g"].value == 4


def test_uncaught_wasm_exception_reaches_host_as_wasm_exception():
    store = Store()
    m = module('(module (tag $t (param i32)) (func (export "f") (throw $t (i32.const 42))))')
    instance = store.instantiate(m, [])
    with pytest.raises(WasmException) as caught:
        instance.exports["f"].invoke(())
    assert caught.value.exception.payload == (42,)
    assert caught.value.exception.tag is instance.tags[0]


def test_externref_round_trip():
    store = Store()
    m = module('(module (func (export "id") (param externref) (result externref) (local.get 0)))')
    instance = store.instantiate(m, [])
    value = ExternRef({"any": "thing"})
    assert instance.exports["id"].invoke((value,))[0] is value
    assert instance.exports["id"].invoke((None,)) == (None,)


def test_engine_name_is_a_config_choice():
    with pytest.raises(ValueError):
        Store(Config(engine="no-such-engine"))


def test_host_reentry_is_bounded_and_counted():
    # Wasm -> host -> Wasm ... without end: must trap as exhaustion, never crash.
    from wasmport.errors import Exhaustion

    store = Store()
    holder = {}

    def reenter(n):
        return holder["f"].invoke((n + 1,))[0]

    m = module('(module (import "env" "h" (func $h (param i32) (result i32)))'
               ' (func (export "f") (param i32) (result i32) (call $h (local.get 0))))')
    instance = store.instantiate(m, [store.host_function(FuncType((I32,), (I32,)), reenter)])
    holder["f"] = instance.exports["f"]
    with pytest.raises(Exhaustion):
        holder["f"].invoke((0,))
    # The thread's bookkeeping is back to normal afterwards.
    bounded = module('(module (func (export "g") (result i32) (i32.const 1)))')
    assert store.instantiate(bounded, []).exports["g"].invoke(()) == (1,)
