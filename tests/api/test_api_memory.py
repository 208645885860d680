"""Memory and SharedMemory: live ctypes access, read/write, grow."""

from __future__ import annotations

import ctypes

import pytest

from wasmport import (
    Config,
    Engine,
    Instance,
    Limits,
    Memory,
    MemoryType,
    Module,
    SharedMemory,
    Store,
    WasmtimeError,
)


def test_data_ptr_is_live() -> None:
    store = Store()
    module = Module(store.engine, """(module (memory (export "m") 1)
        (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0))))""")
    exports = Instance(store, module, []).exports(store)
    memory, load = exports["m"], exports["load"]
    assert isinstance(memory, Memory)
    ptr = memory.data_ptr(store)
    ptr[5] = 99
    assert load(store, 5) == 99
    ctypes.memmove(ctypes.addressof(ptr.contents) + 10, b"xyz", 3)
    assert memory.read(store, 10, 13) == bytearray(b"xyz")
    view = memory.get_buffer_ptr(store, 4, 10)
    assert bytes(view) == b"xyz\0"
    view[3] = 7
    assert load(store, 13) == 7


def test_read_write_slices() -> None:
    store = Store()
    memory = Memory(store, MemoryType(Limits(1, None)))
    assert memory.write(store, b"abc", -3) == 3
    assert memory.read(store, -3) == bytearray(b"abc")
    assert memory.read(store, 70000) == bytearray()
    assert memory.read(store, 10, 5) == bytearray()
    with pytest.raises(IndexError, match="index out of range"):
        memory.write(store, b"ab", 65535)
    with pytest.raises(IndexError):
        memory.write(store, b"a", 65536)


def test_grow_and_type() -> None:
    store = Store()
    memory = Memory(store, MemoryType(Limits(1, 3)))
    assert memory.grow(store, 2) == 1
    assert memory.size(store) == 3 and memory.data_len(store) == 3 * 65536
    assert memory.type(store).limits == Limits(3, 3)
    with pytest.raises(WasmtimeError):
        memory.grow(store, 1)
    with pytest.raises(WasmtimeError):
        memory.grow(store, -1)
    with pytest.raises(TypeError):
        memory.grow(store, "1")  # type: ignore[arg-type]
    assert memory.page_size(store) == 65536 and memory.page_size_log2(store) == 16


def test_memory_type_bounds() -> None:
    with pytest.raises(WasmtimeError):
        MemoryType(Limits(2**32, None))
    with pytest.raises(WasmtimeError):
        MemoryType(Limits(1, None), shared=True)
    assert MemoryType(Limits(2**32, None), is_64=True).is_64


def test_shared_memory() -> None:
    config = Config()
    config.shared_memory = True
    engine = Engine(config)
    shared = SharedMemory(engine, MemoryType(Limits(1, 2), shared=True))
    assert shared.grow(1) == 1 and shared.size() == 2
    shared.data_ptr()[0] = 1
    with pytest.raises(WasmtimeError):
        SharedMemory(engine, MemoryType(Limits(1, 2)))
