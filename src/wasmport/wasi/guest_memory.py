"""Bounds-checked access to the calling module's linear memory.

Every read or write checks ``[address, address + length)`` against the
memory's current size; an out-of-bounds pointer makes the WASI call return
``EFAULT`` (never a Python ``IndexError``/``struct.error``). The memory is
bound after instantiation (the module's exported ``memory``), since host
functions are created before the instance that imports them exists.
"""

from __future__ import annotations

import struct
from typing import List, Optional, Tuple

from ..runtime.memory import MemoryInstance
from .errno import Errno, WasiErrno

_U8 = struct.Struct("<B")
_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")
_IOVEC = struct.Struct("<II")


class GuestMemory:
    """The memory WASI functions read arguments from and write results to."""

    __slots__ = ("memory",)

    def __init__(self, memory: Optional[MemoryInstance] = None) -> None:
        self.memory = memory

    def bind(self, memory: MemoryInstance) -> None:
        self.memory = memory

    def _checked(self, address: int, length: int) -> MemoryInstance:
        memory = self.memory
        if memory is None:
            # A WASI call before the module's memory is known (e.g. from a start
            # function of a module without an exported memory).
            raise WasiErrno(Errno.FAULT)
        if address < 0 or length < 0 or address + length > memory.size:
            raise WasiErrno(Errno.FAULT)
        return memory

    def read(self, address: int, length: int) -> bytes:
        memory = self._checked(address, length)
        return bytes(memory.buffer[address : address + length])

    def write(self, address: int, data: bytes) -> None:
        memory = self._checked(address, len(data))
        memory.buffer[address : address + len(data)] = data

    def view(self, address: int, length: int) -> memoryview:
        """A writable view of ``length`` bytes (valid until the memory grows)."""
        memory = self._checked(address, length)
        return memoryview(memory.buffer)[address : address + length]

    def _unpack(self, fmt: struct.Struct, address: int) -> int:
        memory = self._checked(address, fmt.size)
        value: int = fmt.unpack_from(memory.buffer, address)[0]
        return value

    def _pack(self, fmt: struct.Struct, address: int, value: int) -> None:
        memory = self._checked(address, fmt.size)
        fmt.pack_into(memory.buffer, address, value)

    def u8(self, address: int) -> int:
        return self._unpack(_U8, address)

    def u16(self, address: int) -> int:
        return self._unpack(_U16, address)

    def u32(self, address: int) -> int:
        return self._unpack(_U32, address)

    def u64(self, address: int) -> int:
        return self._unpack(_U64, address)

    def set_u8(self, address: int, value: int) -> None:
        self._pack(_U8, address, value & 0xFF)

    def set_u16(self, address: int, value: int) -> None:
        self._pack(_U16, address, value & 0xFFFF)

    def set_u32(self, address: int, value: int) -> None:
        self._pack(_U32, address, value & 0xFFFFFFFF)

    def set_u64(self, address: int, value: int) -> None:
        self._pack(_U64, address, value & 0xFFFFFFFFFFFFFFFF)

    def string(self, address: int, length: int) -> str:
        """A UTF-8 path or name; EILSEQ if it is not valid UTF-8."""
        data = self.read(address, length)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise WasiErrno(Errno.ILSEQ) from None

    def iovecs(self, address: int, count: int) -> List[Tuple[int, int]]:
        """The ``(buf, len)`` pairs of an iovec array, each checked in bounds."""
        memory = self._checked(address, count * _IOVEC.size)
        pairs = [_IOVEC.unpack_from(memory.buffer, address + 8 * i) for i in range(count)]
        for buf, length in pairs:
            self._checked(buf, length)
        return pairs

    def gather(self, address: int, count: int) -> bytes:
        """The bytes of a ciovec array, concatenated."""
        return b"".join(self.read(buf, length) for buf, length in self.iovecs(address, count))

    def scatter(self, pairs: List[Tuple[int, int]], data: bytes) -> None:
        """Spread ``data`` over iovecs in order (as far as it goes)."""
        offset = 0
        for buf, length in pairs:
            if offset >= len(data):
                break
            chunk = data[offset : offset + length]
            self.write(buf, chunk)
            offset += len(chunk)


def iovec_total(pairs: List[Tuple[int, int]]) -> int:
    return sum(length for _, length in pairs)


__all__ = ["GuestMemory", "iovec_total"]
