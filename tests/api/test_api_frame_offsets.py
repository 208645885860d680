"""Trap backtraces name the instruction each Wasm frame executes: byte offsets
in the module (``Frame.module_offset``) and in the function
(``Frame.func_offset``), as Wasmtime reports them."""

from __future__ import annotations

from typing import List, Tuple

import pytest

from wasmport import Config, Engine, Instance, Module, Store, Trap

WAT = """(module $mod
  (func $bar (param i32) (result i32)
    local.get 0 i32.const 1 i32.add drop
    i32.const 7 local.get 0 i32.div_u)
  (func $foo (param i32) (result i32) i32.const 0 drop local.get 0 call $bar i32.const 1 i32.add)
  (func (export "run") (param i32) (result i32) nop local.get 0 call $foo)
  (func (export "oob") (result i32) i32.const 70000 i32.load)
  (func $tail (param i32) (result i32) local.get 0 return_call $bar)
  (func (export "tail") (param i32) (result i32) local.get 0 call $tail)
  (memory 1))"""

#: Offsets the real Wasmtime (50.0.1) reports for this module.
EXPECTED = {
    "run": [("bar", 0x47, 0xb), ("foo", 0x50, 0x6), (None, 0x5b, 0x4)],
    "oob": [(None, 0x64, 0x5)],
    # $tail's frame is gone: it tail-called $bar.
    "tail": [("bar", 0x47, 0xb), (None, 0x73, 0x3)],
}


def frames_of(lib: object, name: str) -> List[Tuple[object, int, int]]:
    config = lib.Config()  # type: ignore[attr-defined]
    config.wasm_tail_call = True
    store = lib.Store(lib.Engine(config))  # type: ignore[attr-defined]
    instance = lib.Instance(store, lib.Module(store.engine, WAT), [])  # type: ignore[attr-defined]
    func = instance.exports(store)[name]
    with pytest.raises(lib.Trap) as caught:  # type: ignore[attr-defined]
        func(store, *([0] if name != "oob" else []))
    return [(frame.func_name, frame.module_offset, frame.func_offset)
            for frame in caught.value.frames]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_offsets_of_the_executing_instructions(name: str) -> None:
    import wasmport

    assert frames_of(wasmport, name) == EXPECTED[name]


def test_the_message_shows_them() -> None:
    store = Store(Engine(Config()))
    run = Instance(store, Module(store.engine, WAT), []).exports(store)["run"]
    with pytest.raises(Trap) as caught:
        run(store, 0)
    assert str(caught.value).startswith(
        "error while executing at wasm backtrace:\n"
        "    0:     0x47 - mod!bar\n"
        "    1:     0x50 - mod!foo\n"
        "    2:     0x5b - mod!<wasm function 2>\n")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_same_as_the_installed_wasmtime(name: str) -> None:
    wasmtime = pytest.importorskip("wasmtime")
    assert frames_of(wasmtime, name) == EXPECTED[name]
