"""The ``fd_*`` metadata calls: fdstat, filestat, times, preopens, readdir."""

from __future__ import annotations

import os
import struct
import time
from typing import List, Tuple

from .constants import PREOPENTYPE_DIR, FdFlags, Filetype, FstFlags, Rights
from .context import WasiContext
from .descriptors import (
    Descriptor,
    DirectoryDescriptor,
    FileDescriptor,
    SocketDescriptor,
    StreamDescriptor,
    directory_of,
    oserror,
)
from .errno import Errno, WasiErrno
from .guest_memory import GuestMemory
from .hostfs import filetype_of_mode
from .registry import unstable_variant, wasi_function

#: preview1 ``filestat``: dev, ino, filetype, nlink (u64), size, atim, mtim, ctim.
FILESTAT_PREVIEW1 = struct.Struct("<QQB7xQQQQQ")
#: ``wasi_unstable`` ``filestat``: the link count is a u32.
FILESTAT_UNSTABLE = struct.Struct("<QQB3xIQQQQ")

_FDSTAT = struct.Struct("<BxHxxxxQQ")
_DIRENT = struct.Struct("<QQIB3x")


_U64 = (1 << 64) - 1


def write_filestat(memory: GuestMemory, address: int, info: os.stat_result,
                   layout: struct.Struct, filetype: Filetype = Filetype.UNKNOWN) -> None:
    """Store a ``filestat`` in ``layout`` (preview1 or ``wasi_unstable``)."""
    if filetype is Filetype.UNKNOWN:
        filetype = filetype_of_mode(info.st_mode)
    nlink_mask = 0xFFFFFFFF if layout is FILESTAT_UNSTABLE else _U64
    memory.write(address, layout.pack(
        info.st_dev & _U64, info.st_ino & _U64, int(filetype), info.st_nlink & nlink_mask,
        info.st_size & _U64, info.st_atime_ns & _U64, info.st_mtime_ns & _U64,
        info.st_ctime_ns & _U64,
    ))


@wasi_function("fd_fdstat_get", "i32 i32")
def fd_fdstat_get(ctx: WasiContext, memory: GuestMemory, fd: int, result: int) -> None:
    descriptor = ctx.fds.get(fd)
    memory.write(result, _FDSTAT.pack(int(descriptor.filetype), descriptor.fdflags,
                                      descriptor.rights_base, descriptor.rights_inheriting))


@wasi_function("fd_fdstat_set_flags", "i32 i32")
def fd_fdstat_set_flags(ctx: WasiContext, memory: GuestMemory, fd: int, flags: int) -> None:
    descriptor = ctx.fds.get(fd)
    descriptor.require(Rights.FD_FDSTAT_SET_FLAGS)
    if flags & ~0x1F:
        raise WasiErrno(Errno.INVAL)
    if isinstance(descriptor, FileDescriptor):
        from .fd_io import set_append

        try:
            set_append(descriptor, flags)
        except OSError as error:
            raise oserror(error) from None
    elif isinstance(descriptor, SocketDescriptor):
        descriptor.socket.setblocking(not flags & FdFlags.NONBLOCK)
    elif flags & ~FdFlags.NONBLOCK:
        raise WasiErrno(Errno.INVAL if isinstance(descriptor, StreamDescriptor) else Errno.BADF)
    descriptor.fdflags = flags


@wasi_function("fd_fdstat_set_rights", "i32 i64 i64")
def fd_fdstat_set_rights(ctx: WasiContext, memory: GuestMemory, fd: int, base: int,
                         inheriting: int) -> None:
    descriptor = ctx.fds.get(fd)
    if base & ~descriptor.rights_base or inheriting & ~descriptor.rights_inheriting:
        raise WasiErrno(Errno.NOTCAPABLE)
    descriptor.rights_base = base
    descriptor.rights_inheriting = inheriting


def _fstat(descriptor: Descriptor) -> os.stat_result:
    host = descriptor.host_fd()
    if host is None:
        raise WasiErrno(Errno.BADF)
    try:
        return os.fstat(host)
    except OSError as error:
        raise oserror(error) from None


def _filestat_get(ctx: WasiContext, memory: GuestMemory, fd: int, result: int,
                  layout: struct.Struct) -> None:
    descriptor = ctx.fds.get(fd)
    descriptor.require(Rights.FD_FILESTAT_GET)
    info = _fstat(descriptor)
    kind = descriptor.filetype if isinstance(descriptor, StreamDescriptor) else Filetype.UNKNOWN
    write_filestat(memory, result, info, layout, kind)


@wasi_function("fd_filestat_get", "i32 i32")
def fd_filestat_get(ctx: WasiContext, memory: GuestMemory, fd: int, result: int) -> None:
    _filestat_get(ctx, memory, fd, result, FILESTAT_PREVIEW1)


@unstable_variant("fd_filestat_get")
def fd_filestat_get_unstable(ctx: WasiContext, memory: GuestMemory, fd: int,
                             result: int) -> None:
    _filestat_get(ctx, memory, fd, result, FILESTAT_UNSTABLE)


@wasi_function("fd_filestat_set_size", "i32 i64")
def fd_filestat_set_size(ctx: WasiContext, memory: GuestMemory, fd: int, size: int) -> None:
    descriptor = ctx.fds.get(fd)
    if isinstance(descriptor, DirectoryDescriptor):
        raise WasiErrno(Errno.ISDIR)
    descriptor.require(Rights.FD_FILESTAT_SET_SIZE)
    if not isinstance(descriptor, FileDescriptor):
        raise WasiErrno(Errno.INVAL)
    if size > (1 << 63) - 1:
        raise WasiErrno(Errno.FBIG)
    try:
        os.ftruncate(descriptor.fd, size)
    except OSError as error:
        raise oserror(error) from None


def new_times(current: os.stat_result, atim: int, mtim: int, flags: int) -> Tuple[int, int]:
    """The ``(atime, mtime)`` in ns that ``fstflags`` ask for; INVAL if contradictory."""
    if flags & ~0xF:
        raise WasiErrno(Errno.INVAL)
    if (flags & FstFlags.ATIM and flags & FstFlags.ATIM_NOW) or (
        flags & FstFlags.MTIM and flags & FstFlags.MTIM_NOW
    ):
        raise WasiErrno(Errno.INVAL)
    now = time.time_ns()
    atime = current.st_atime_ns
    mtime = current.st_mtime_ns
    if flags & FstFlags.ATIM:
        atime = atim
    elif flags & FstFlags.ATIM_NOW:
        atime = now
    if flags & FstFlags.MTIM:
        mtime = mtim
    elif flags & FstFlags.MTIM_NOW:
        mtime = now
    return atime, mtime


@wasi_function("fd_filestat_set_times", "i32 i64 i64 i32")
def fd_filestat_set_times(ctx: WasiContext, memory: GuestMemory, fd: int, atim: int,
                          mtim: int, flags: int) -> None:
    descriptor = ctx.fds.get(fd)
    descriptor.require(Rights.FD_FILESTAT_SET_TIMES)
    info = _fstat(descriptor)
    times = new_times(info, atim, mtim, flags)
    host = descriptor.host_fd()
    if host is None or os.utime not in os.supports_fd:
        raise WasiErrno(Errno.NOTSUP)
    try:
        os.utime(host, ns=times)
    except OSError as error:
        raise oserror(error) from None


def _preopen(ctx: WasiContext, fd: int) -> str:
    descriptor = ctx.fds.get(fd)
    if not isinstance(descriptor, DirectoryDescriptor) or descriptor.preopen_name is None:
        raise WasiErrno(Errno.BADF)
    return descriptor.preopen_name


@wasi_function("fd_prestat_get", "i32 i32")
def fd_prestat_get(ctx: WasiContext, memory: GuestMemory, fd: int, result: int) -> None:
    name = _preopen(ctx, fd).encode("utf-8")
    memory.write(result, struct.pack("<BxxxI", PREOPENTYPE_DIR, len(name)))


@wasi_function("fd_prestat_dir_name", "i32 i32 i32")
def fd_prestat_dir_name(ctx: WasiContext, memory: GuestMemory, fd: int, path: int,
                        length: int) -> None:
    name = _preopen(ctx, fd).encode("utf-8")
    if length < len(name):
        raise WasiErrno(Errno.NAMETOOLONG)
    memory.write(path, name)


def directory_entries(directory: DirectoryDescriptor) -> List[Tuple[bytes, int, Filetype]]:
    """``.``, ``..`` and the entries of the directory, sorted by name after those two."""
    try:
        own = os.fstat(directory.fd).st_ino
        entries = []
        with os.scandir(directory.fd) as scan:
            for entry in scan:
                info = entry.stat(follow_symlinks=False)
                entries.append((os.fsencode(entry.name), entry.inode(),
                                filetype_of_mode(info.st_mode)))
    except OSError as error:
        raise oserror(error) from None
    entries.sort()
    # ``..`` of a preopen would reveal the host's parent directory: report ino 0 there.
    parent_ino = 0
    return [(b".", own, Filetype.DIRECTORY), (b"..", parent_ino, Filetype.DIRECTORY)] + entries


@wasi_function("fd_readdir", "i32 i32 i32 i64 i32")
def fd_readdir(ctx: WasiContext, memory: GuestMemory, fd: int, buf: int, length: int,
               cookie: int, bufused: int) -> None:
    directory = directory_of(ctx.fds.get(fd))
    directory.require(Rights.FD_READDIR)
    memory.view(buf, length)
    out = bytearray()
    entries = directory_entries(directory)
    for index in range(cookie, len(entries)):
        name, ino, kind = entries[index]
        out += _DIRENT.pack(index + 1, ino & 0xFFFFFFFFFFFFFFFF, len(name), int(kind)) + name
        if len(out) >= length:
            break
    data = bytes(out[:length])
    memory.write(buf, data)
    memory.set_u32(bufused, len(data))


__all__ = ["FILESTAT_PREVIEW1", "FILESTAT_UNSTABLE", "new_times", "write_filestat"]
