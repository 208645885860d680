"""``args_*`` and ``environ_*``: the program's arguments and environment."""

from __future__ import annotations

from typing import Sequence

from .context import WasiContext
from .guest_memory import GuestMemory
from .registry import wasi_function


def _sizes(memory: GuestMemory, items: Sequence[bytes], count_ptr: int, size_ptr: int) -> None:
    memory.set_u32(count_ptr, len(items))
    memory.set_u32(size_ptr, sum(len(item) + 1 for item in items))


def _fill(memory: GuestMemory, items: Sequence[bytes], pointers: int, buffer: int) -> None:
    """Write NUL-terminated strings at ``buffer`` and their addresses at ``pointers``."""
    for index, item in enumerate(items):
        memory.set_u32(pointers + 4 * index, buffer)
        memory.write(buffer, item + b"\0")
        buffer += len(item) + 1


@wasi_function("args_sizes_get", "i32 i32")
def args_sizes_get(ctx: WasiContext, memory: GuestMemory, count_ptr: int, size_ptr: int) -> None:
    _sizes(memory, ctx.args, count_ptr, size_ptr)


@wasi_function("args_get", "i32 i32")
def args_get(ctx: WasiContext, memory: GuestMemory, argv: int, argv_buf: int) -> None:
    _fill(memory, ctx.args, argv, argv_buf)


@wasi_function("environ_sizes_get", "i32 i32")
def environ_sizes_get(ctx: WasiContext, memory: GuestMemory, count_ptr: int,
                      size_ptr: int) -> None:
    _sizes(memory, ctx.environ, count_ptr, size_ptr)


@wasi_function("environ_get", "i32 i32")
def environ_get(ctx: WasiContext, memory: GuestMemory, environ: int, environ_buf: int) -> None:
    _fill(memory, ctx.environ, environ, environ_buf)
