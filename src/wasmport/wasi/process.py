"""Clocks, randomness, scheduling and process control.

``proc_exit`` raises :class:`~.context.WasiExit`, unwinding the guest.
``proc_raise`` reports ``ENOSYS``: signals are not part of the sandbox (the
call is deprecated and wasi-libc no longer uses it).
"""

from __future__ import annotations

import os
import time
from typing import Callable, Dict

from .constants import ClockId
from .context import WasiContext, WasiExit
from .errno import Errno, WasiErrno
from .guest_memory import GuestMemory
from .registry import wasi_function

#: Clock readers in nanoseconds.
CLOCKS: Dict[int, Callable[[], int]] = {
    ClockId.REALTIME: time.time_ns,
    ClockId.MONOTONIC: time.monotonic_ns,
    ClockId.PROCESS_CPUTIME_ID: time.process_time_ns,
    ClockId.THREAD_CPUTIME_ID: time.thread_time_ns,
}

#: Clock resolutions in seconds (``time.get_clock_info``).
_RESOLUTIONS: Dict[int, float] = {
    ClockId.REALTIME: time.get_clock_info("time").resolution,
    ClockId.MONOTONIC: time.get_clock_info("monotonic").resolution,
    ClockId.PROCESS_CPUTIME_ID: time.get_clock_info("process_time").resolution,
    ClockId.THREAD_CPUTIME_ID: time.get_clock_info("thread_time").resolution,
}


def clock_now(clock_id: int) -> int:
    reader = CLOCKS.get(clock_id)
    if reader is None:
        raise WasiErrno(Errno.INVAL)
    return reader()


def clock_resolution(clock_id: int) -> int:
    seconds = _RESOLUTIONS.get(clock_id)
    if seconds is None:
        raise WasiErrno(Errno.INVAL)
    return max(1, int(round(seconds * 1e9)))


@wasi_function("clock_res_get", "i32 i32")
def clock_res_get(ctx: WasiContext, memory: GuestMemory, clock_id: int, result: int) -> None:
    memory.set_u64(result, clock_resolution(clock_id))


@wasi_function("clock_time_get", "i32 i64 i32")
def clock_time_get(ctx: WasiContext, memory: GuestMemory, clock_id: int, precision: int,
                   result: int) -> None:
    memory.set_u64(result, clock_now(clock_id))


@wasi_function("random_get", "i32 i32")
def random_get(ctx: WasiContext, memory: GuestMemory, buf: int, length: int) -> None:
    view = memory.view(buf, length)
    offset = 0
    while offset < length:
        chunk = os.urandom(min(length - offset, 1 << 20))
        view[offset : offset + len(chunk)] = chunk
        offset += len(chunk)


@wasi_function("sched_yield")
def sched_yield(ctx: WasiContext, memory: GuestMemory) -> None:
    time.sleep(0)


@wasi_function("proc_exit", "i32", returns_errno=False)
def proc_exit(ctx: WasiContext, memory: GuestMemory, code: int) -> None:
    raise WasiExit(code)


@wasi_function("proc_raise", "i32")
def proc_raise(ctx: WasiContext, memory: GuestMemory, signal: int) -> None:
    raise WasiErrno(Errno.NOSYS)
