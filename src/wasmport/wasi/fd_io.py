"""The ``fd_*`` data calls: read, write, positioned I/O, seek, sync, close, renumber."""

from __future__ import annotations

import os
from typing import Callable, Dict

from .constants import MAX_ADVICE, FdFlags, Rights
from .context import WasiContext
from .descriptors import (
    Descriptor,
    DirectoryDescriptor,
    FileDescriptor,
    SocketDescriptor,
    StreamDescriptor,
    oserror,
    read_fd,
    write_all,
)
from .errno import Errno, WasiErrno
from .guest_memory import GuestMemory, iovec_total
from .registry import unstable_variant, wasi_function

#: preview1 ``whence``: set, cur, end.
WHENCE_PREVIEW1: Dict[int, int] = {0: os.SEEK_SET, 1: os.SEEK_CUR, 2: os.SEEK_END}
#: ``wasi_unstable`` numbered them cur, end, set.
WHENCE_UNSTABLE: Dict[int, int] = {0: os.SEEK_CUR, 1: os.SEEK_END, 2: os.SEEK_SET}

_MAX_FILESIZE = (1 << 63) - 1


def _file(ctx: WasiContext, fd: int, rights: int) -> FileDescriptor:
    """A file descriptor holding ``rights``; ISDIR for a directory, SPIPE for a stream."""
    descriptor = ctx.fds.get(fd)
    if isinstance(descriptor, DirectoryDescriptor):
        raise WasiErrno(Errno.ISDIR)
    if not isinstance(descriptor, FileDescriptor):
        descriptor.require(rights)
        raise WasiErrno(Errno.SPIPE)
    descriptor.require(rights)
    return descriptor


def _read_stream(descriptor: Descriptor, size: int) -> bytes:
    if isinstance(descriptor, StreamDescriptor):
        return descriptor.read(size)
    if isinstance(descriptor, SocketDescriptor):
        return descriptor.socket.recv(size)
    if isinstance(descriptor, FileDescriptor):
        return read_fd(descriptor.fd, size)
    raise WasiErrno(Errno.ISDIR if isinstance(descriptor, DirectoryDescriptor) else Errno.BADF)


def _write_stream(descriptor: Descriptor, data: bytes) -> int:
    if isinstance(descriptor, StreamDescriptor):
        return descriptor.write(data)
    if isinstance(descriptor, SocketDescriptor):
        descriptor.socket.sendall(data)
        return len(data)
    if isinstance(descriptor, FileDescriptor):
        return write_all(descriptor.fd, data)
    raise WasiErrno(Errno.ISDIR if isinstance(descriptor, DirectoryDescriptor) else Errno.BADF)


@wasi_function("fd_read", "i32 i32 i32 i32")
def fd_read(ctx: WasiContext, memory: GuestMemory, fd: int, iovs: int, count: int,
            nread: int) -> None:
    descriptor = ctx.fds.get(fd)
    if isinstance(descriptor, DirectoryDescriptor):
        raise WasiErrno(Errno.ISDIR)
    descriptor.require(Rights.FD_READ)
    pairs = memory.iovecs(iovs, count)
    try:
        data = _read_stream(descriptor, iovec_total(pairs))
    except OSError as error:
        raise oserror(error) from None
    memory.scatter(pairs, data)
    memory.set_u32(nread, len(data))


@wasi_function("fd_write", "i32 i32 i32 i32")
def fd_write(ctx: WasiContext, memory: GuestMemory, fd: int, iovs: int, count: int,
             nwritten: int) -> None:
    descriptor = ctx.fds.get(fd)
    if isinstance(descriptor, DirectoryDescriptor):
        raise WasiErrno(Errno.ISDIR)
    descriptor.require(Rights.FD_WRITE)
    data = memory.gather(iovs, count)
    try:
        written = _write_stream(descriptor, data)
    except OSError as error:
        raise oserror(error) from None
    memory.set_u32(nwritten, written)


def _check_offset(offset: int) -> None:
    if offset > _MAX_FILESIZE:
        raise WasiErrno(Errno.INVAL)


@wasi_function("fd_pread", "i32 i32 i32 i64 i32")
def fd_pread(ctx: WasiContext, memory: GuestMemory, fd: int, iovs: int, count: int,
             offset: int, nread: int) -> None:
    file = _file(ctx, fd, Rights.FD_READ | Rights.FD_SEEK)
    _check_offset(offset)
    pairs = memory.iovecs(iovs, count)
    try:
        data = os.pread(file.fd, iovec_total(pairs), offset)
    except OSError as error:
        raise oserror(error) from None
    memory.scatter(pairs, data)
    memory.set_u32(nread, len(data))


@wasi_function("fd_pwrite", "i32 i32 i32 i64 i32")
def fd_pwrite(ctx: WasiContext, memory: GuestMemory, fd: int, iovs: int, count: int,
              offset: int, nwritten: int) -> None:
    file = _file(ctx, fd, Rights.FD_WRITE | Rights.FD_SEEK)
    _check_offset(offset)
    data = memory.gather(iovs, count)
    try:
        written = _pwrite_all(file.fd, data, offset)
    except OSError as error:
        raise oserror(error) from None
    memory.set_u32(nwritten, written)


def _pwrite_all(fd: int, data: bytes, offset: int) -> int:
    view = memoryview(data)
    done = 0
    while done < len(view):
        done += os.pwrite(fd, view[done:], offset + done)
    return done


def _seek(ctx: WasiContext, memory: GuestMemory, fd: int, offset: int, whence: int,
          result: int, table: Dict[int, int]) -> None:
    host_whence = table.get(whence)
    if host_whence is None:
        raise WasiErrno(Errno.INVAL)
    tell_only = host_whence == os.SEEK_CUR and offset == 0
    file = _file(ctx, fd, Rights.FD_TELL if tell_only else Rights.FD_SEEK)
    signed = offset - (1 << 64) if offset >> 63 else offset
    try:
        position = os.lseek(file.fd, signed, host_whence)
    except OSError as error:
        raise oserror(error) from None
    memory.set_u64(result, position)


@wasi_function("fd_seek", "i32 i64 i32 i32")
def fd_seek(ctx: WasiContext, memory: GuestMemory, fd: int, offset: int, whence: int,
            result: int) -> None:
    _seek(ctx, memory, fd, offset, whence, result, WHENCE_PREVIEW1)


@unstable_variant("fd_seek")
def fd_seek_unstable(ctx: WasiContext, memory: GuestMemory, fd: int, offset: int, whence: int,
                     result: int) -> None:
    _seek(ctx, memory, fd, offset, whence, result, WHENCE_UNSTABLE)


@wasi_function("fd_tell", "i32 i32")
def fd_tell(ctx: WasiContext, memory: GuestMemory, fd: int, result: int) -> None:
    file = _file(ctx, fd, Rights.FD_TELL)
    try:
        memory.set_u64(result, os.lseek(file.fd, 0, os.SEEK_CUR))
    except OSError as error:
        raise oserror(error) from None


def _sync(ctx: WasiContext, fd: int, right: int, call: Callable[[int], None]) -> None:
    descriptor = ctx.fds.get(fd)
    descriptor.require(right)
    host = descriptor.host_fd()
    if host is None or isinstance(descriptor, (StreamDescriptor, SocketDescriptor)):
        raise WasiErrno(Errno.INVAL)
    try:
        call(host)
    except OSError as error:
        raise oserror(error) from None


@wasi_function("fd_sync", "i32")
def fd_sync(ctx: WasiContext, memory: GuestMemory, fd: int) -> None:
    _sync(ctx, fd, Rights.FD_SYNC, os.fsync)


@wasi_function("fd_datasync", "i32")
def fd_datasync(ctx: WasiContext, memory: GuestMemory, fd: int) -> None:
    # macOS has no fdatasync: fsync is the closest (stronger) call.
    _sync(ctx, fd, Rights.FD_DATASYNC, getattr(os, "fdatasync", os.fsync))


@wasi_function("fd_advise", "i32 i64 i64 i32")
def fd_advise(ctx: WasiContext, memory: GuestMemory, fd: int, offset: int, length: int,
              advice: int) -> None:
    file = _file(ctx, fd, Rights.FD_ADVISE)
    if advice > MAX_ADVICE:
        raise WasiErrno(Errno.INVAL)
    _check_offset(offset)
    _check_offset(length)
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return  # advice is only a hint (macOS, Windows)
    try:
        advise(file.fd, offset, length, advice)
    except OSError as error:
        raise oserror(error) from None


@wasi_function("fd_allocate", "i32 i64 i64")
def fd_allocate(ctx: WasiContext, memory: GuestMemory, fd: int, offset: int,
                length: int) -> None:
    file = _file(ctx, fd, Rights.FD_ALLOCATE)
    if offset + length > _MAX_FILESIZE:
        raise WasiErrno(Errno.FBIG)
    try:
        size = os.fstat(file.fd).st_size
        if offset + length > size:
            # posix_fallocate is missing on macOS; extending with ftruncate
            # gives the same visible size (without reserving blocks).
            os.ftruncate(file.fd, offset + length)
    except OSError as error:
        raise oserror(error) from None


@wasi_function("fd_close", "i32")
def fd_close(ctx: WasiContext, memory: GuestMemory, fd: int) -> None:
    descriptor = ctx.fds.pop(fd)
    if isinstance(descriptor, StreamDescriptor):
        return
    try:
        descriptor.close()
    except OSError as error:
        raise oserror(error) from None


@wasi_function("fd_renumber", "i32 i32")
def fd_renumber(ctx: WasiContext, memory: GuestMemory, fd: int, to: int) -> None:
    descriptor = ctx.fds.get(fd)
    if fd == to:
        return
    old = ctx.fds.get(to)
    ctx.fds.pop(fd)
    ctx.fds.set(to, descriptor)
    if not isinstance(old, StreamDescriptor):
        try:
            old.close()
        except OSError:
            pass


def set_append(file: FileDescriptor, flags: int) -> None:
    """Apply new APPEND/NONBLOCK flags to the host fd (``fcntl``: POSIX only;
    Windows cannot change them after opening, so it reports NOTSUP)."""
    try:
        import fcntl
    except ImportError:
        raise WasiErrno(Errno.NOTSUP) from None
    current = fcntl.fcntl(file.fd, fcntl.F_GETFL)
    wanted = current | os.O_APPEND if flags & FdFlags.APPEND else current & ~os.O_APPEND
    if flags & FdFlags.NONBLOCK:
        wanted |= os.O_NONBLOCK
    else:
        wanted &= ~os.O_NONBLOCK
    fcntl.fcntl(file.fd, fcntl.F_SETFL, wanted)


__all__ = ["WHENCE_PREVIEW1", "WHENCE_UNSTABLE", "set_append"]
