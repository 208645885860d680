"""Engine: construction, epoch increments from another thread."""

from __future__ import annotations

import threading

import pytest

from wasmport import Config, Engine, Func, FuncType, Instance, Module, Store, Trap, TrapCode


def test_construct() -> None:
    assert Engine().is_pulley() is False
    with pytest.raises(TypeError, match="expected Config"):
        Engine(3)  # type: ignore[arg-type]


def test_increment_epoch_from_another_thread() -> None:
    config = Config()
    config.epoch_interruption = True
    engine = Engine(config)
    store = Store(engine)
    store.set_epoch_deadline(1)
    started = threading.Event()
    module = Module(engine, """
        (module (import "" "started" (func $started))
          (func (export "spin") call $started (loop br 0)))""")
    instance = Instance(store, module, [Func(store, FuncType([], []), started.set)])
    timer = threading.Thread(target=lambda: (started.wait(), engine.increment_epoch()))
    timer.start()
    with pytest.raises(Trap) as caught:
        instance.exports(store)["spin"](store)
    timer.join()
    assert caught.value.trap_code is TrapCode.INTERRUPT
