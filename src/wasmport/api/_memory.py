"""``Memory``: a linear memory, with raw ctypes access to its live bytes."""

from __future__ import annotations

import ctypes
from typing import Any, Optional, Union

from ..runtime import MemoryInstance
from ..syntax import types as st
from ._error import WasmtimeError
from ._store import Store, Storelike
from ._types import MemoryType

#: Pages a 32-bit memory may have at most (4 GiB of 64 KiB pages).
MAX_PAGES_32 = 1 << 16


def check_memory_type(raw: Any) -> st.MemoryType:
    """``raw`` if it is a memory type Wasmtime accepts, else an error."""
    if not isinstance(raw, st.MemoryType):
        raise TypeError("expected a MemoryType")
    if raw.limits.address is st.AddrType.I32 and raw.limits.minimum * raw.page_size > 1 << 32:
        raise WasmtimeError("memory minimum size too large")
    return raw


def new_memory(store: Store, raw: st.MemoryType) -> MemoryInstance:
    """Allocate a memory of type ``raw`` in ``store`` (honouring its limits)."""
    limit = store._limit("memory_size")
    if limit is not None and raw.limits.minimum * raw.page_size > limit:
        raise WasmtimeError("memory minimum size exceeds the store's memory_size limit")
    store._count("memories")
    config = store._rt.config
    try:
        return MemoryInstance(raw, store._rt.allocator, config.memory64_reservation, limit)
    except (MemoryError, OverflowError, ValueError) as error:
        raise WasmtimeError(f"failed to allocate memory: {error}") from None


def grow_memory(memory: MemoryInstance, delta: Any) -> int:
    """Grow by ``delta`` pages: the old size; ``WasmtimeError`` if impossible."""
    if not isinstance(delta, int):
        raise TypeError("expected an integer")
    if delta < 0:
        raise WasmtimeError("cannot grow by negative amount")
    old = memory.grow(delta)
    if old < 0:
        raise WasmtimeError(f"failed to grow memory by `{delta}`")
    return old


def data_ptr(memory: MemoryInstance) -> ctypes._Pointer[ctypes.c_ubyte]:
    """A ``POINTER(c_ubyte)`` to byte 0 of the live buffer."""
    return ctypes.cast(ctypes.c_void_p(memory.address), ctypes.POINTER(ctypes.c_ubyte))


def buffer_ptr(memory: MemoryInstance, size: Optional[int], offset: int) -> Any:
    """A ``c_ubyte * size`` array over the live buffer (no copy)."""
    if size is None:
        size = memory.size - offset
    if offset < 0 or size < 0 or offset + size > memory.size:
        raise IndexError("index out of range")
    return (ctypes.c_ubyte * size).from_buffer(memory.buffer, offset)


class Memory:
    """A linear memory: ``Memory(store, MemoryType(...))`` or an export."""

    def __init__(self, store: Storelike, ty: MemoryType) -> None:
        ctx = store._context()
        raw = check_memory_type(ty.ptr())
        self._store = ctx
        self._mem = new_memory(ctx, raw)

    @classmethod
    def _wrap(cls, store: Store, memory: MemoryInstance) -> Memory:
        self = cls.__new__(cls)
        self._store = store
        self._mem = memory
        return self

    def _in(self, store: Storelike) -> MemoryInstance:
        if store._context() is not self._store:
            raise WasmtimeError("object used with the wrong store")
        return self._mem

    def type(self, store: Storelike) -> MemoryType:
        """The memory's type (its minimum is the current size)."""
        memory = self._in(store)
        raw = memory.type
        limits = st.Limits(memory.pages, raw.limits.maximum, raw.limits.address,
                           raw.limits.shared)
        return MemoryType._of(st.MemoryType(limits, raw.page_size_log2))

    def grow(self, store: Storelike, delta: int) -> int:
        """Grow by ``delta`` pages and return the old size in pages."""
        return grow_memory(self._in(store), delta)

    def size(self, store: Storelike) -> int:
        """The size in pages."""
        return self._in(store).pages

    def data_len(self, store: Storelike) -> int:
        """The size in bytes."""
        return self._in(store).size

    def page_size(self, store: Storelike) -> int:
        """The page size in bytes."""
        return self._in(store).page_size

    def page_size_log2(self, store: Storelike) -> int:
        """log2 of the page size."""
        return self._in(store).page_size.bit_length() - 1

    def data_ptr(self, store: Storelike) -> ctypes._Pointer[ctypes.c_ubyte]:
        """A raw ``POINTER(c_ubyte)`` to the live bytes (index it, or take
        ``ctypes.addressof(ptr.contents)``). The buffer never moves here."""
        return data_ptr(self._in(store))

    def get_buffer_ptr(self, store: Storelike, size: Optional[int] = None,
                       offset: int = 0) -> Any:
        """A ctypes ``c_ubyte`` array over ``size`` bytes from ``offset`` (no copy;
        usable with ``numpy.frombuffer``)."""
        return buffer_ptr(self._in(store), size, offset)

    def read(self, store: Storelike, start: Optional[int] = 0,
             stop: Optional[int] = None) -> bytearray:
        """A copy of ``memory[start:stop]`` with Python slice semantics."""
        memory = self._in(store)
        view = memoryview(memory.buffer)[: memory.size]
        try:
            return bytearray(view[start:stop])
        finally:
            view.release()

    def write(self, store: Storelike, value: Union[bytes, bytearray], start: Optional[int] = None
              ) -> int:
        """Copy ``value`` to ``start`` (negative counts from the end); the byte
        count. ``IndexError`` if it does not fit."""
        memory = self._in(store)
        size = memory.size
        begin = 0 if start is None else start
        if begin < 0:
            begin += size
        end = begin + len(value)
        if begin < 0 or begin > size or end > size or (value and begin >= size):
            raise IndexError("index out of range")
        memory.buffer[begin:end] = value
        return len(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Memory) and other._mem is self._mem

    def __hash__(self) -> int:
        return hash(id(self._mem))


__all__ = ["Memory", "buffer_ptr", "check_memory_type", "data_ptr", "grow_memory", "new_memory"]
