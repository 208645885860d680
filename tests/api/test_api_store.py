"""Store: data, fuel, epoch deadlines, limits, close."""

from __future__ import annotations

import pytest

from wasmport import (
    Config,
    Engine,
    Instance,
    Limits,
    Memory,
    MemoryType,
    Module,
    Store,
    Table,
    TableType,
    Trap,
    TrapCode,
    ValType,
    WasmtimeError,
)

LOOP = """(module (func (export "count") (param i32) (result i32) (local i32)
    (loop (local.set 1 (i32.add (local.get 1) (i32.const 1)))
          (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
    (local.get 1)))"""


def fuel_store() -> Store:
    config = Config()
    config.consume_fuel = True
    return Store(Engine(config))


def test_data_and_close() -> None:
    assert Store(Engine(), {"x": 1}).data() == {"x": 1}
    assert Store(Engine(), 0).data() is None
    store = Store()
    store.close()
    store.close()
    with pytest.raises(ValueError, match="already closed"):
        store.set_epoch_deadline(1)
    with pytest.raises(TypeError, match="expected an Engine"):
        Store(3)  # type: ignore[arg-type]


def test_fuel_needs_config() -> None:
    with pytest.raises(WasmtimeError):
        Store().set_fuel(1)
    with pytest.raises(WasmtimeError):
        Store().get_fuel()


def test_fuel_is_consumed_and_runs_out() -> None:
    store = fuel_store()
    count = Instance(store, Module(store.engine, LOOP), []).exports(store)["count"]
    store.set_fuel(100_000)
    assert count(store, 10) == 10
    left = store.get_fuel()
    assert 0 < left < 100_000
    with pytest.raises(Trap) as caught:
        count(store, 10**9)
    assert caught.value.trap_code is TrapCode.OUT_OF_FUEL
    assert store.get_fuel() == 0


def test_no_fuel_traps_at_once() -> None:
    store = fuel_store()
    count = Instance(store, Module(store.engine, LOOP), []).exports(store)["count"]
    with pytest.raises(Trap):
        count(store, 1)


def test_epoch_deadline_already_passed() -> None:
    config = Config()
    config.epoch_interruption = True
    store = Store(Engine(config))
    count = Instance(store, Module(store.engine, LOOP), []).exports(store)["count"]
    store.set_epoch_deadline(1)
    assert count(store, 3) == 3
    store.engine.increment_epoch()
    with pytest.raises(Trap) as caught:
        count(store, 3)
    assert caught.value.trap_code is TrapCode.INTERRUPT


def test_memory_limit_in_wasm_grow() -> None:
    store = Store()
    store.set_limits(memory_size=3 * 65536)
    module = Module(store.engine, """(module (memory (export "m") 1)
        (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))""")
    grow = Instance(store, module, []).exports(store)["grow"]
    assert grow(store, 2) == 1
    assert grow(store, 1) == -1
    with pytest.raises(WasmtimeError):
        Memory(store, MemoryType(Limits(4, None)))


def test_table_and_count_limits() -> None:
    store = Store()
    store.set_limits(table_elements=5, instances=1)
    Table(store, TableType(ValType.funcref(), Limits(5, None)), None)
    with pytest.raises(WasmtimeError):
        Table(store, TableType(ValType.funcref(), Limits(6, None)), None)
    module = Module(store.engine, "(module)")
    Instance(store, module, [])
    with pytest.raises(WasmtimeError):
        Instance(store, module, [])


def test_legacy_fuel_api() -> None:
    store = fuel_store()
    store.add_fuel(100)
    assert store.consume_fuel(30) == 70
    assert store.fuel_consumed() == 30
    with pytest.raises(WasmtimeError):
        store.consume_fuel(71)
    assert Store().fuel_consumed() is None
