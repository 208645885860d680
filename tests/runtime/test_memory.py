"""MemoryInstance and the allocators: one buffer that never moves, bounds, growth."""

from __future__ import annotations

import ctypes
import struct

import pytest

from wasmport.runtime.memory import (
    BytearrayAllocator,
    LinearBuffer,
    MemoryAllocator,
    MemoryInstance,
    MmapAllocator,
)
from wasmport.syntax.types import AddrType, Limits, MemoryType


def test_mmap_memory_grows_in_place_and_shares_its_address():
    memory = MemoryInstance(MemoryType(Limits(1, 10)), MmapAllocator())
    address = memory.address
    view = memoryview(memory.buffer)
    memory.write(100, b"abc")
    assert memory.grow(3) == 1
    assert memory.pages == 4 and memory.size == 4 * 65536
    assert memory.address == address
    assert bytes(view[100:103]) == b"abc"
    assert ctypes.string_at(address + 100, 3) == b"abc"
    memory.write(4 * 65536 - 4, b"\x01\x02\x03\x04")
    assert struct.unpack_from("<I", memory.buffer, 4 * 65536 - 4)[0] == 0x04030201


def test_grow_beyond_maximum_fails_and_leaves_the_memory():
    memory = MemoryInstance(MemoryType(Limits(1, 2)))
    assert memory.grow(2) == -1
    assert memory.pages == 1
    assert memory.grow(1) == 1
    assert memory.grow(0) == 2
    assert memory.grow(1) == -1


def test_accesses_are_checked_against_the_current_size():
    memory = MemoryInstance(MemoryType(Limits(1)))
    with pytest.raises(IndexError):
        memory.read(65535, 2)
    with pytest.raises(IndexError):
        memory.write(65536, b"x")
    assert memory.read(65535, 1) == b"\x00"
    assert len(memory.view()) == 65536


def test_custom_page_size():
    memory = MemoryInstance(MemoryType(Limits(3, 5), page_size_log2=0))
    assert memory.size == 3 and memory.page_size == 1
    assert memory.grow(2) == 3 and memory.size == 5
    assert memory.grow(1) == -1


def test_memory64_reservation_is_capped():
    memory = MemoryInstance(MemoryType(Limits(1, None, AddrType.I64)), reservation_cap=1 << 20)
    assert memory.is64
    assert memory.grow(15) == 1
    assert memory.grow(1) == -1


class _CountingAllocator(MemoryAllocator):
    """A user allocator: hands out bytearrays and records the requests."""

    def __init__(self) -> None:
        self.requests = []

    def reserve(self, reserved_bytes: int, initial_bytes: int) -> LinearBuffer:
        self.requests.append((reserved_bytes, initial_bytes))
        return BytearrayAllocator(cap=1 << 20).reserve(reserved_bytes, initial_bytes)


def test_user_allocator_is_used():
    allocator = _CountingAllocator()
    memory = MemoryInstance(MemoryType(Limits(1, 4)), allocator)
    assert allocator.requests == [(4 * 65536, 65536)]
    assert isinstance(memory.buffer, bytearray)
    assert memory.grow(3) == 1
    memory.write(3 * 65536, b"z")
    assert memory.read(3 * 65536, 1) == b"z"


def test_bytearray_allocator_cap_limits_growth():
    memory = MemoryInstance(MemoryType(Limits(1)), BytearrayAllocator(cap=2 * 65536))
    assert memory.grow(1) == 1
    assert memory.grow(1) == -1
