"""Fuel and epoch interruption through the wasmtime-style API: the checks the
engine generates, seen as ``Trap``s with backtraces."""

from __future__ import annotations

import threading

import pytest

from wasmport import Config, Engine, Func, FuncType, Instance, Module, Store, Trap, TrapCode

#: 1 (entry) + local.get, i32.const, i32.mul, i32.const, i32.add = 6 units.
STRAIGHT = """(module (func $f (export "f") (param i32) (result i32)
    local.get 0 i32.const 2 i32.mul nop i32.const 3 i32.add))"""

SPIN = """(module $m (import "" "tick" (func $tick))
    (func $spin (export "spin") (call $tick) (loop $l (call $tick) (br $l))))"""


def store_with(fuel: bool = False, epochs: bool = False) -> Store:
    config = Config()
    config.consume_fuel = fuel
    config.epoch_interruption = epochs
    return Store(Engine(config))


def test_fuel_follows_the_documented_rule() -> None:
    store = store_with(fuel=True)
    f = Instance(store, Module(store.engine, STRAIGHT), []).exports(store)["f"]
    store.set_fuel(6)
    assert f(store, 5) == 13
    assert store.get_fuel() == 0
    assert store.fuel_consumed() == 6
    with pytest.raises(Trap) as caught:
        f(store, 5)
    assert caught.value.trap_code is TrapCode.OUT_OF_FUEL
    assert str(caught.value).endswith("wasm trap: all fuel consumed by WebAssembly\n")
    assert [frame.func_name for frame in caught.value.frames] == ["f"]


def test_running_out_in_a_loop_has_a_backtrace() -> None:
    store = store_with(fuel=True)
    ticks = []
    tick = Func(store, FuncType([], []), lambda: ticks.append(1))
    spin = Instance(store, Module(store.engine, SPIN), [tick]).exports(store)["spin"]
    store.set_fuel(10_000)
    with pytest.raises(Trap) as caught:
        spin(store)
    assert caught.value.trap_code is TrapCode.OUT_OF_FUEL
    assert [frame.func_name for frame in caught.value.frames] == ["spin"]
    assert caught.value.frames[0].module_name == "m"
    assert store.get_fuel() == 0
    assert 1000 < len(ticks) < 10_000


def test_epoch_interruption_traps_until_a_deadline_is_set() -> None:
    store = store_with(epochs=True)
    f = Instance(store, Module(store.engine, STRAIGHT), []).exports(store)["f"]
    with pytest.raises(Trap) as caught:
        f(store, 1)
    assert caught.value.trap_code is TrapCode.INTERRUPT
    assert str(caught.value).endswith("wasm trap: interrupt\n")
    store.set_epoch_deadline(1)
    assert f(store, 1) == 5
    with pytest.raises(TypeError):
        store.set_epoch_deadline("1")  # type: ignore[arg-type]


def test_an_epoch_reached_during_a_host_call_traps_in_wasm() -> None:
    store = store_with(epochs=True)
    store.set_epoch_deadline(3)
    ticks = []

    def tick() -> None:
        ticks.append(1)
        store.engine.increment_epoch()

    spin = Instance(store, Module(store.engine, SPIN),
                    [Func(store, FuncType([], []), tick)]).exports(store)["spin"]
    with pytest.raises(Trap) as caught:
        spin(store)
    assert caught.value.trap_code is TrapCode.INTERRUPT
    assert len(ticks) == 3
    assert [frame.func_name for frame in caught.value.frames] == ["spin"]


def test_increment_epoch_from_a_timer_thread() -> None:
    store = store_with(epochs=True)
    store.set_epoch_deadline(1)
    started = threading.Event()
    spin = Instance(store, Module(store.engine, SPIN),
                    [Func(store, FuncType([], []), started.set)]).exports(store)["spin"]
    timer = threading.Thread(target=lambda: (started.wait(), store.engine.increment_epoch()))
    timer.start()
    with pytest.raises(Trap) as caught:
        spin(store)
    timer.join()
    assert caught.value.trap_code is TrapCode.INTERRUPT
    assert caught.value.frames and caught.value.frames[0].func_name == "spin"


def test_both_at_once() -> None:
    store = store_with(fuel=True, epochs=True)
    store.set_fuel(1000)
    store.set_epoch_deadline(1)
    f = Instance(store, Module(store.engine, STRAIGHT), []).exports(store)["f"]
    assert f(store, 2) == 7
    assert store.get_fuel() == 994
    store.engine.increment_epoch()
    with pytest.raises(Trap) as caught:
        f(store, 2)
    assert caught.value.trap_code is TrapCode.INTERRUPT
