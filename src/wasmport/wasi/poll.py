"""``poll_oneoff``: wait for clock deadlines and fd readiness.

Readiness of streams and sockets comes from ``select.select`` on the host
fds; regular files are always ready (as in POSIX). On Windows ``select``
accepts only sockets, so there streams other than sockets are reported ready
at once.
"""

from __future__ import annotations

import os
import select
import struct
import sys
import time
from dataclasses import dataclass
from typing import List, Optional, Tuple

from .constants import SUBCLOCK_ABSTIME, ClockId, EventType, Rights
from .context import WasiContext
from .descriptors import FileDescriptor
from .errno import Errno, WasiErrno
from .guest_memory import GuestMemory
from .process import clock_now
from .registry import unstable_variant, wasi_function

_HEADER = struct.Struct("<QB")
_CLOCK_PREVIEW1 = struct.Struct("<IxxxxQQH")
_CLOCK_UNSTABLE = struct.Struct("<QIxxxxQQH")
_FD = struct.Struct("<I")
_EVENT = struct.Struct("<QHBxxxxxQH6x")


@dataclass
class Subscription:
    userdata: int
    kind: int
    clock_id: int = 0
    deadline: float = 0.0
    fd: int = 0


@dataclass(frozen=True)
class Layout:
    size: int
    clock: struct.Struct


PREVIEW1 = Layout(48, _CLOCK_PREVIEW1)
UNSTABLE = Layout(56, _CLOCK_UNSTABLE)


def _parse(memory: GuestMemory, address: int, layout: Layout) -> Subscription:
    userdata, kind = _HEADER.unpack(memory.read(address, _HEADER.size))
    body = memory.read(address + 16, layout.size - 16)
    if kind == EventType.CLOCK:
        fields = layout.clock.unpack_from(body)
        clock_id, timeout, _precision, flags = fields[-4:]
        now_ns = clock_now(clock_id)
        remaining = timeout - now_ns if flags & SUBCLOCK_ABSTIME else timeout
        return Subscription(userdata, kind, clock_id, time.monotonic() + remaining / 1e9)
    if kind in (EventType.FD_READ, EventType.FD_WRITE):
        return Subscription(userdata, kind, fd=_FD.unpack_from(body)[0])
    raise WasiErrno(Errno.INVAL)


Event = Tuple[int, int, int, int]


def _fd_event(ctx: WasiContext, sub: Subscription) -> Tuple[Optional[Event], Optional[int]]:
    """An immediate event (bad fd, regular file) or the host fd to select on."""
    try:
        descriptor = ctx.fds.get(sub.fd)
        descriptor.require(Rights.POLL_FD_READWRITE)
    except WasiErrno as error:
        return (sub.userdata, int(error.errno), sub.kind, 0), None
    host = descriptor.host_fd()
    if isinstance(descriptor, FileDescriptor) or host is None:
        return (sub.userdata, 0, sub.kind, _readable_bytes(host, sub.kind)), None
    return None, host


def _readable_bytes(host: Optional[int], kind: int) -> int:
    if host is None or kind != EventType.FD_READ:
        return 0
    try:
        info = os.fstat(host)
        return max(0, info.st_size - os.lseek(host, 0, os.SEEK_CUR))
    except OSError:
        return 0


def _wait(reads: List[int], writes: List[int], timeout: Optional[float]
          ) -> Tuple[List[int], List[int]]:
    if not reads and not writes:
        if timeout is not None and timeout > 0:
            time.sleep(timeout)
        return [], []
    if sys.platform == "win32":
        return reads, writes
    try:
        ready_r, ready_w, _ = select.select(reads, writes, [], timeout)
    except (OSError, ValueError):
        return reads, writes
    return list(ready_r), list(ready_w)


def poll(ctx: WasiContext, subs: List[Subscription]) -> List[Event]:
    events: List[Event] = []
    waiting: List[Tuple[Subscription, int]] = []
    for sub in subs:
        if sub.kind == EventType.CLOCK:
            continue
        event, host = _fd_event(ctx, sub)
        if event is not None:
            events.append(event)
        elif host is not None:
            waiting.append((sub, host))
    clocks = [sub for sub in subs if sub.kind == EventType.CLOCK]
    timeout: Optional[float] = 0.0 if events else None
    if clocks and not events:
        timeout = max(0.0, min(sub.deadline for sub in clocks) - time.monotonic())
    reads = [host for sub, host in waiting if sub.kind == EventType.FD_READ]
    writes = [host for sub, host in waiting if sub.kind == EventType.FD_WRITE]
    if waiting or timeout:
        ready_r, ready_w = _wait(reads, writes, timeout)
        for sub, host in waiting:
            ready = ready_r if sub.kind == EventType.FD_READ else ready_w
            if host in ready:
                events.append((sub.userdata, 0, sub.kind, 0))
    now = time.monotonic()
    for sub in clocks:
        if sub.deadline <= now or (not events and sub is min(clocks, key=_deadline)):
            events.append((sub.userdata, 0, EventType.CLOCK, 0))
    return events


def _deadline(sub: Subscription) -> float:
    return sub.deadline


def _poll_oneoff(ctx: WasiContext, memory: GuestMemory, in_ptr: int, out_ptr: int,
                 count: int, nevents: int, layout: Layout) -> None:
    if count == 0:
        raise WasiErrno(Errno.INVAL)
    memory.view(out_ptr, count * _EVENT.size)
    subs = [_parse(memory, in_ptr + index * layout.size, layout) for index in range(count)]
    for sub in subs:
        if sub.kind == EventType.CLOCK and sub.clock_id not in tuple(ClockId):
            raise WasiErrno(Errno.INVAL)
    events = poll(ctx, subs)
    for index, (userdata, error, kind, nbytes) in enumerate(events):
        memory.write(out_ptr + index * _EVENT.size,
                     _EVENT.pack(userdata, error, kind, nbytes, 0))
    memory.set_u32(nevents, len(events))


@wasi_function("poll_oneoff", "i32 i32 i32 i32")
def poll_oneoff(ctx: WasiContext, memory: GuestMemory, in_ptr: int, out_ptr: int, count: int,
                nevents: int) -> None:
    _poll_oneoff(ctx, memory, in_ptr, out_ptr, count, nevents, PREVIEW1)


@unstable_variant("poll_oneoff")
def poll_oneoff_unstable(ctx: WasiContext, memory: GuestMemory, in_ptr: int, out_ptr: int,
                         count: int, nevents: int) -> None:
    _poll_oneoff(ctx, memory, in_ptr, out_ptr, count, nevents, UNSTABLE)
