"""Linear memory and the allocator interface behind it.

A :class:`MemoryInstance` owns one contiguous buffer that never moves while
the memory grows, so generated code, the native engine and embedders may keep
its ``buffer`` (a Python buffer: memoryview, ``struct.unpack_from``, slicing)
and its raw ``address`` for the memory's whole life.

Allocators
----------
:class:`MemoryAllocator` is the "allocate memory instead of the OS" callback:
``reserve(reserved_bytes, initial_bytes)`` returns a :class:`LinearBuffer`
whose ``buffer`` is at least ``reserved_bytes`` long (or raises
:class:`MemoryError`); ``commit(new_size)`` makes the first ``new_size`` bytes
usable (zero filled) and returns False if it cannot.

:class:`MmapAllocator` (the default) reserves the whole range as one anonymous
private mapping. On Linux it passes ``MAP_NORESERVE`` so the OS commits pages
lazily as they are touched; on macOS anonymous mappings are lazily committed
anyway; on Windows ``mmap.mmap(-1, n)`` commits the full size against the page
file, so the allocator caps the reservation at :data:`WINDOWS_RESERVATION_CAP`
there (memories that would need more fail to grow rather than exhausting the
page file). If the reservation fails (address space exhausted) it retries with
the initial size rounded up and the memory then cannot grow past it.

:class:`BytearrayAllocator` is a pure-Python alternative (reserves eagerly).
"""

from __future__ import annotations

import abc
import ctypes
import mmap
import sys
from typing import Optional, Union

from ..syntax.types import AddrType, MemoryType

Buffer = Union[mmap.mmap, bytearray]

#: Linux's MAP_NORESERVE, where the mmap module does not export it (Python < 3.10).
_MAP_NORESERVE = getattr(mmap, "MAP_NORESERVE", 0x4000 if sys.platform.startswith("linux") else 0)

#: The most a single memory reserves on Windows, where mappings are committed eagerly.
WINDOWS_RESERVATION_CAP = 1 << 28


class LinearBuffer(abc.ABC):
    """The storage of one memory: a fixed ``buffer`` of ``reserved`` bytes."""

    buffer: Buffer
    reserved: int

    @abc.abstractmethod
    def commit(self, new_size: int) -> bool:
        """Make bytes ``[0, new_size)`` usable; False if the allocator refuses."""

    @property
    def address(self) -> int:
        """The raw address of byte 0 (for ctypes and native code)."""
        if self.reserved == 0:
            return 0
        return ctypes.addressof(ctypes.c_char.from_buffer(self.buffer))


class MemoryAllocator(abc.ABC):
    """Creates the buffers of linear memories (plug in your own)."""

    @abc.abstractmethod
    def reserve(self, reserved_bytes: int, initial_bytes: int) -> LinearBuffer:
        """A buffer of at least ``reserved_bytes`` with ``initial_bytes`` usable."""


class _MmapBuffer(LinearBuffer):
    def __init__(self, buffer: mmap.mmap, reserved: int) -> None:
        self.buffer = buffer
        self.reserved = reserved

    def commit(self, new_size: int) -> bool:
        return new_size <= self.reserved


class MmapAllocator(MemoryAllocator):
    """Anonymous private mappings reserved up front and committed lazily by the OS."""

    def reserve(self, reserved_bytes: int, initial_bytes: int) -> LinearBuffer:
        if sys.platform == "win32":
            reserved_bytes = max(initial_bytes, min(reserved_bytes, WINDOWS_RESERVATION_CAP))
        size = max(reserved_bytes, 1)
        try:
            return _MmapBuffer(self._map(size), reserved_bytes)
        except (OSError, OverflowError, ValueError, MemoryError):
            fallback = max(initial_bytes, 1)
            return _MmapBuffer(self._map(fallback), initial_bytes)

    @staticmethod
    def _map(size: int) -> mmap.mmap:
        if sys.platform == "win32":
            return mmap.mmap(-1, size)
        flags = mmap.MAP_PRIVATE | getattr(mmap, "MAP_ANONYMOUS", 0x20) | _MAP_NORESERVE
        return mmap.mmap(-1, size, flags=flags, prot=mmap.PROT_READ | mmap.PROT_WRITE)


class _BytearrayBuffer(LinearBuffer):
    def __init__(self, reserved: int) -> None:
        self.buffer = bytearray(reserved)
        self.reserved = reserved

    def commit(self, new_size: int) -> bool:
        return new_size <= self.reserved


class BytearrayAllocator(MemoryAllocator):
    """A ``bytearray`` of the full reservation, capped at ``cap`` bytes."""

    def __init__(self, cap: int = 1 << 28) -> None:
        self.cap = cap

    def reserve(self, reserved_bytes: int, initial_bytes: int) -> LinearBuffer:
        if initial_bytes > self.cap:
            raise MemoryError("initial memory exceeds the allocator's cap")
        return _BytearrayBuffer(max(initial_bytes, min(reserved_bytes, self.cap)))


class MemoryInstance:
    """A linear memory: ``size`` bytes usable in ``buffer`` (which never moves)."""

    __slots__ = ("type", "page_size", "size", "pages", "maximum", "storage", "buffer",
                 "is64", "__weakref__")

    def __init__(
        self,
        type: MemoryType,
        allocator: Optional[MemoryAllocator] = None,
        reservation_cap: int = 1 << 34,
        max_bytes: Optional[int] = None,
    ) -> None:
        self.type = type
        self.page_size = type.page_size
        self.is64 = type.limits.address is AddrType.I64
        limit_pages = (1 << 64) // self.page_size if self.is64 else (1 << 32) // self.page_size
        maximum = type.limits.maximum
        self.maximum = min(limit_pages, maximum if maximum is not None else limit_pages)
        if max_bytes is not None:
            self.maximum = min(self.maximum, max_bytes // self.page_size)
        initial = type.limits.minimum * self.page_size
        cap = (1 << 32) if not self.is64 else reservation_cap
        reserved = min(self.maximum * self.page_size, max(cap, initial))
        self.storage = (allocator or MmapAllocator()).reserve(reserved, initial)
        if initial > self.storage.reserved or not self.storage.commit(initial):
            raise MemoryError("cannot allocate the memory's initial size")
        self.buffer = self.storage.buffer
        self.pages = type.limits.minimum
        self.size = initial

    @property
    def address(self) -> int:
        return self.storage.address

    @property
    def size_bytes(self) -> int:
        return self.size

    def grow(self, delta: int) -> int:
        """Grow by ``delta`` pages: the old size in pages, or -1 (memory unchanged)."""
        old = self.pages
        new = old + delta
        if new > self.maximum:
            return -1
        new_size = new * self.page_size
        if new_size > self.storage.reserved or not self.storage.commit(new_size):
            return -1
        self.pages = new
        self.size = new_size
        return old

    def read(self, address: int, length: int) -> bytes:
        """Bytes ``[address, address+length)``; IndexError if out of bounds."""
        if address < 0 or length < 0 or address + length > self.size:
            raise IndexError("out of bounds memory access")
        return bytes(self.buffer[address : address + length])

    def write(self, address: int, data: bytes) -> None:
        """Store ``data`` at ``address``; IndexError if out of bounds."""
        if address < 0 or address + len(data) > self.size:
            raise IndexError("out of bounds memory access")
        self.buffer[address : address + len(data)] = data

    def view(self) -> memoryview:
        """A memoryview of the current size (invalid after growth: take a new one)."""
        return memoryview(self.buffer)[: self.size]


__all__ = [
    "BytearrayAllocator",
    "LinearBuffer",
    "MemoryAllocator",
    "MemoryInstance",
    "MmapAllocator",
]
