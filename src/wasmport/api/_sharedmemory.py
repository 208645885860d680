"""``SharedMemory``: a memory of the threads proposal, owned by the engine."""

from __future__ import annotations

import ctypes
from typing import Any, Optional

from ..runtime import MemoryInstance, MmapAllocator
from ..syntax import types as st
from ._engine import Engine
from ._error import WasmtimeError
from ._memory import buffer_ptr, check_memory_type, data_ptr, grow_memory
from ._types import MemoryType


class SharedMemory:
    """A shared linear memory: ``SharedMemory(engine, MemoryType(..., shared=True))``.

    Its methods take no store.
    """

    def __init__(self, engine: Engine, ty: MemoryType) -> None:
        engine.ptr()
        raw = check_memory_type(ty.ptr())
        if not raw.limits.shared:
            raise WasmtimeError("shared memory must have the `shared` flag enabled "
                                "on its memory type")
        self._engine = engine
        try:
            self._mem = MemoryInstance(raw, MmapAllocator(),
                                       engine._runtime_config.memory64_reservation)
        except (MemoryError, OverflowError, ValueError) as error:
            raise WasmtimeError(f"failed to allocate memory: {error}") from None

    @classmethod
    def _wrap(cls, engine: Engine, memory: MemoryInstance) -> SharedMemory:
        self = cls.__new__(cls)
        self._engine = engine
        self._mem = memory
        return self

    def type(self) -> MemoryType:
        """The memory's type."""
        raw = self._mem.type
        limits = st.Limits(self._mem.pages, raw.limits.maximum, raw.limits.address, True)
        return MemoryType._of(st.MemoryType(limits, raw.page_size_log2))

    def grow(self, delta: int) -> int:
        """Grow by ``delta`` pages and return the old size in pages."""
        return grow_memory(self._mem, delta)

    def size(self) -> int:
        """The size in pages."""
        return self._mem.pages

    def data_len(self) -> int:
        """The size in bytes."""
        return self._mem.size

    def data_ptr(self) -> ctypes._Pointer[ctypes.c_ubyte]:
        """A raw pointer to the live bytes."""
        return data_ptr(self._mem)

    def get_buffer_ptr(self, size: Optional[int] = None, offset: int = 0) -> Any:
        """A ctypes array over the live bytes (no copy)."""
        return buffer_ptr(self._mem, size, offset)


__all__ = ["SharedMemory"]
