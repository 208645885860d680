"""``sock_*``: accept, receive, send and shut down over preopened sockets.

The guest cannot create sockets (preview1 has no call for it); the embedder
passes listening sockets in :attr:`~.context.WasiConfig.sockets`.
"""

from __future__ import annotations

import socket

from .constants import (
    RIFLAGS_RECV_PEEK,
    RIFLAGS_RECV_WAITALL,
    SDFLAGS_RD,
    SDFLAGS_WR,
    FdFlags,
    Rights,
)
from .context import WasiContext
from .descriptors import SocketDescriptor, oserror
from .errno import Errno, WasiErrno
from .guest_memory import GuestMemory, iovec_total
from .registry import wasi_function


def _socket(ctx: WasiContext, fd: int, rights: int) -> SocketDescriptor:
    descriptor = ctx.fds.get(fd)
    if not isinstance(descriptor, SocketDescriptor):
        raise WasiErrno(Errno.NOTSOCK)
    descriptor.require(rights)
    return descriptor


@wasi_function("sock_accept", "i32 i32 i32")
def sock_accept(ctx: WasiContext, memory: GuestMemory, fd: int, flags: int,
                result: int) -> None:
    listener = _socket(ctx, fd, Rights.SOCK_ACCEPT)
    if flags & ~FdFlags.NONBLOCK:
        raise WasiErrno(Errno.INVAL)
    memory.view(result, 4)
    try:
        connection, _address = listener.socket.accept()
    except OSError as error:
        raise oserror(error) from None
    connection.setblocking(not flags & FdFlags.NONBLOCK)
    accepted = SocketDescriptor(connection, listening=False)
    accepted.fdflags = flags
    memory.set_u32(result, ctx.fds.insert(accepted))


@wasi_function("sock_recv", "i32 i32 i32 i32 i32 i32")
def sock_recv(ctx: WasiContext, memory: GuestMemory, fd: int, iovs: int, count: int,
              ri_flags: int, ro_datalen: int, ro_flags: int) -> None:
    conn = _socket(ctx, fd, Rights.FD_READ)
    if ri_flags & ~(RIFLAGS_RECV_PEEK | RIFLAGS_RECV_WAITALL):
        raise WasiErrno(Errno.INVAL)
    host_flags = 0
    if ri_flags & RIFLAGS_RECV_PEEK:
        host_flags |= socket.MSG_PEEK
    if ri_flags & RIFLAGS_RECV_WAITALL:
        host_flags |= getattr(socket, "MSG_WAITALL", 0)
    pairs = memory.iovecs(iovs, count)
    try:
        data = conn.socket.recv(iovec_total(pairs), host_flags)
    except OSError as error:
        raise oserror(error) from None
    memory.scatter(pairs, data)
    memory.set_u32(ro_datalen, len(data))
    memory.set_u16(ro_flags, 0)


@wasi_function("sock_send", "i32 i32 i32 i32 i32")
def sock_send(ctx: WasiContext, memory: GuestMemory, fd: int, iovs: int, count: int,
              si_flags: int, so_datalen: int) -> None:
    conn = _socket(ctx, fd, Rights.FD_WRITE)
    if si_flags:
        raise WasiErrno(Errno.INVAL)
    data = memory.gather(iovs, count)
    try:
        sent = conn.socket.send(data)
    except OSError as error:
        raise oserror(error) from None
    memory.set_u32(so_datalen, sent)


_SHUTDOWN = {SDFLAGS_RD: socket.SHUT_RD, SDFLAGS_WR: socket.SHUT_WR,
             SDFLAGS_RD | SDFLAGS_WR: socket.SHUT_RDWR}


@wasi_function("sock_shutdown", "i32 i32")
def sock_shutdown(ctx: WasiContext, memory: GuestMemory, fd: int, how: int) -> None:
    conn = _socket(ctx, fd, Rights.SOCK_SHUTDOWN)
    host_how = _SHUTDOWN.get(how)
    if host_how is None:
        raise WasiErrno(Errno.INVAL)
    try:
        conn.socket.shutdown(host_how)
    except OSError as error:
        raise oserror(error) from None
