"""A guest without a module: call WASI handlers directly on a linear memory."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any, Iterator, List, Optional, Sequence, Tuple

import pytest

from wasmport.runtime.memory import BytearrayAllocator, MemoryInstance
from wasmport.syntax.types import Limits, MemoryType
from wasmport.wasi import WasiConfig, WasiContext
from wasmport.wasi.constants import ALL_RIGHTS, LOOKUP_SYMLINK_FOLLOW
from wasmport.wasi.guest_memory import GuestMemory
from wasmport.wasi.host import _errno_call, _plain_call
from wasmport.wasi.registry import PREVIEW1, UNSTABLE_OVERRIDES

#: Scratch area for results; strings are placed after it.
RESULT = 0
STRINGS = 1024


class Guest:
    """A WASI context with one page of memory; ``call`` returns the errno."""

    def __init__(self, preopens: List[Tuple[str, str]], args: Sequence[str] = (),
                 **config: Any) -> None:
        self.ctx = WasiContext(WasiConfig(args=list(args), preopens=preopens, **config))
        memory = MemoryInstance(MemoryType(Limits(1, 1)), BytearrayAllocator(cap=1 << 16))
        self.memory = GuestMemory(memory)
        self.raw = memory
        self.next_string = STRINGS

    def call(self, name: str, *args: int) -> Any:
        spec = PREVIEW1[name]
        wrap = _errno_call if spec.returns_errno else _plain_call
        return wrap(spec.handler, self.ctx, self.memory)(*args)

    def call_unstable(self, name: str, *args: int) -> Any:
        """The ``wasi_unstable`` version of ``name``."""
        handler = UNSTABLE_OVERRIDES.get(name, PREVIEW1[name].handler)
        return _errno_call(handler, self.ctx, self.memory)(*args)

    def string(self, text: str) -> Tuple[int, int]:
        data = text.encode("utf-8")
        if self.next_string + len(data) + 1 > self.raw.size_bytes:
            # Strings are used at once: wrap around instead of running off the
            # end of the page in long loops (the race tests open thousands).
            self.next_string = STRINGS
        address = self.next_string
        self.memory.write(address, data)
        self.next_string += len(data) + 1
        return address, len(data)

    def u32(self, address: int = RESULT) -> int:
        return self.memory.u32(address)

    def open(self, path: str, oflags: int = 0, follow: bool = True, fd: int = 3,
             rights: int = ALL_RIGHTS) -> Tuple[int, int]:
        """``path_open``: (errno, new fd)."""
        address, length = self.string(path)
        errno = self.call("path_open", fd, LOOKUP_SYMLINK_FOLLOW if follow else 0, address,
                          length, oflags, rights, rights, 0, RESULT)
        return errno, (self.u32() if errno == 0 else -1)

    def read_all(self, fd: int) -> bytes:
        out = b""
        while True:
            self.memory.write(512, struct.pack("<II", 2048, 4096))
            errno = self.call("fd_read", fd, 512, 1, RESULT)
            if errno != 0:
                raise OSError(errno, "fd_read failed")
            count = self.u32()
            if count == 0:
                return out
            out += self.memory.read(2048, count)

    def write(self, fd: int, data: bytes) -> int:
        self.memory.write(2048, data)
        self.memory.write(512, struct.pack("<II", 2048, len(data)))
        return int(self.call("fd_write", fd, 512, 1, RESULT))

    def close(self) -> None:
        self.ctx.close()


@pytest.fixture
def make_guest() -> Iterator[Any]:
    made: List[Guest] = []

    def make(root: Optional[Path] = None, guest_name: str = "/", **config: Any) -> Guest:
        guest = Guest([(str(root), guest_name)] if root is not None else [], **config)
        made.append(guest)
        return guest

    yield make
    for guest in made:
        guest.close()
