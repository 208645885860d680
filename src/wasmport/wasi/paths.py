"""The ``path_*`` calls. Every path is resolved by :func:`.hostfs.resolve`
beneath the directory descriptor it is relative to; the host call then acts
on ``(parent fd, name)`` without following symlinks."""

from __future__ import annotations

import errno
import os
import platform
import stat
import struct

from .constants import (
    DIRECTORY_RIGHTS,
    FILE_RIGHTS,
    LOOKUP_SYMLINK_FOLLOW,
    FdFlags,
    Filetype,
    OFlags,
    Rights,
)
from .context import WasiContext
from .descriptors import Descriptor, DirectoryDescriptor, FileDescriptor, directory_of, oserror
from .errno import Errno, WasiErrno
from .fd_meta import FILESTAT_PREVIEW1, FILESTAT_UNSTABLE, new_times, write_filestat
from .guest_memory import GuestMemory
from .hostfs import Resolved, filetype_of_mode, lstat_at, resolve
from .registry import unstable_variant, wasi_function

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)

#: fdflags -> host open flags (where the host has them).
_FDFLAG_BITS = (
    (FdFlags.APPEND, os.O_APPEND),
    (FdFlags.NONBLOCK, getattr(os, "O_NONBLOCK", 0)),
    (FdFlags.DSYNC, getattr(os, "O_DSYNC", 0)),
    (FdFlags.RSYNC, getattr(os, "O_RSYNC", 0)),
    (FdFlags.SYNC, getattr(os, "O_SYNC", 0)),
)

_READ_RIGHTS = Rights.FD_READ | Rights.FD_READDIR
_WRITE_RIGHTS = Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE


def _directory(ctx: WasiContext, fd: int, rights: int) -> DirectoryDescriptor:
    directory = directory_of(ctx.fds.get(fd))
    directory.require(rights)
    return directory


def _resolve(ctx: WasiContext, memory: GuestMemory, fd: int, rights: int, path: int,
             length: int, follow: bool) -> Resolved:
    directory = _directory(ctx, fd, rights)
    return resolve(directory.fd, memory.string(path, length), follow)


def _open_flags(oflags: int, fdflags: int, rights: int) -> int:
    flags = _O_CLOEXEC | _O_NOFOLLOW
    if oflags & OFlags.CREAT:
        flags |= os.O_CREAT
    if oflags & OFlags.EXCL:
        flags |= os.O_EXCL
    if oflags & OFlags.TRUNC:
        flags |= os.O_TRUNC
    if oflags & OFlags.DIRECTORY:
        flags |= _O_DIRECTORY
    for bit, host in _FDFLAG_BITS:
        if fdflags & bit:
            flags |= host
    # A directory is opened for writing only when FD_WRITE is asked for (the
    # host then reports EISDIR); the other write-like rights are file-only.
    write_rights = Rights.FD_WRITE if oflags & OFlags.DIRECTORY else _WRITE_RIGHTS
    writes = bool(rights & write_rights) or bool(fdflags & FdFlags.APPEND)
    if writes:
        flags |= os.O_RDWR if rights & _READ_RIGHTS else os.O_WRONLY
    elif oflags & OFlags.TRUNC:
        flags |= os.O_WRONLY
    return flags


def _check_open_rights(directory: DirectoryDescriptor, oflags: int) -> None:
    needed = Rights.PATH_OPEN
    if oflags & OFlags.CREAT:
        needed |= Rights.PATH_CREATE_FILE
    if oflags & OFlags.TRUNC:
        needed |= Rights.PATH_FILESTAT_SET_SIZE
    directory.require(needed)


def _open_at(found: Resolved, flags: int, oflags: int) -> int:
    if found.trailing_slash:
        if oflags & OFlags.CREAT:
            raise WasiErrno(Errno.ISDIR)
        flags |= _O_DIRECTORY
    try:
        return os.open(found.name, flags, 0o666, dir_fd=found.parent)
    except OSError as error:
        raise oserror(error) from None


@wasi_function("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32")
def path_open(ctx: WasiContext, memory: GuestMemory, fd: int, dirflags: int, path: int,
              length: int, oflags: int, base: int, inheriting: int, fdflags: int,
              result: int) -> None:
    directory = _directory(ctx, fd, 0)
    _check_open_rights(directory, oflags)
    memory.view(result, 4)
    base &= directory.rights_inheriting
    inheriting &= directory.rights_inheriting
    flags = _open_flags(oflags, fdflags, base)
    name = memory.string(path, length)
    with resolve(directory.fd, name, bool(dirflags & LOOKUP_SYMLINK_FOLLOW)) as found:
        host = _open_at(found, flags, oflags)
    try:
        mode = os.fstat(host).st_mode
    except OSError as error:
        os.close(host)
        raise oserror(error) from None
    opened: Descriptor
    if stat.S_ISDIR(mode):
        opened = DirectoryDescriptor(host, base & DIRECTORY_RIGHTS, inheriting)
    else:
        access = flags & (os.O_RDONLY | os.O_WRONLY | os.O_RDWR)
        opened = FileDescriptor(host, filetype_of_mode(mode), base & FILE_RIGHTS,
                                fdflags, access != os.O_WRONLY, access != os.O_RDONLY)
    new_fd = ctx.fds.insert(opened)
    memory.set_u32(result, new_fd)


@wasi_function("path_create_directory", "i32 i32 i32")
def path_create_directory(ctx: WasiContext, memory: GuestMemory, fd: int, path: int,
                          length: int) -> None:
    with _resolve(ctx, memory, fd, Rights.PATH_CREATE_DIRECTORY, path, length, False) as found:
        if found.name == ".":
            raise WasiErrno(Errno.EXIST)
        try:
            os.mkdir(found.name, 0o777, dir_fd=found.parent)
        except OSError as error:
            raise oserror(error) from None


@wasi_function("path_remove_directory", "i32 i32 i32")
def path_remove_directory(ctx: WasiContext, memory: GuestMemory, fd: int, path: int,
                          length: int) -> None:
    with _resolve(ctx, memory, fd, Rights.PATH_REMOVE_DIRECTORY, path, length, False) as found:
        if found.name == ".":
            raise WasiErrno(Errno.INVAL)
        info = lstat_at(found.parent, found.name)
        if info is not None and not stat.S_ISDIR(info.st_mode):
            raise WasiErrno(Errno.NOTDIR)
        try:
            os.rmdir(found.name, dir_fd=found.parent)
        except OSError as error:
            raise oserror(error) from None


@wasi_function("path_unlink_file", "i32 i32 i32")
def path_unlink_file(ctx: WasiContext, memory: GuestMemory, fd: int, path: int,
                     length: int) -> None:
    with _resolve(ctx, memory, fd, Rights.PATH_UNLINK_FILE, path, length, False) as found:
        info = lstat_at(found.parent, found.name)
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise WasiErrno(Errno.ISDIR)
        if found.trailing_slash:
            raise WasiErrno(Errno.NOTDIR if info is not None else Errno.NOENT)
        try:
            os.unlink(found.name, dir_fd=found.parent)
        except OSError as error:
            raise oserror(error) from None


@wasi_function("path_rename", "i32 i32 i32 i32 i32 i32")
def path_rename(ctx: WasiContext, memory: GuestMemory, fd: int, old_path: int, old_len: int,
                new_fd: int, new_path: int, new_len: int) -> None:
    with _resolve(ctx, memory, fd, Rights.PATH_RENAME_SOURCE, old_path, old_len,
                  False) as source, _resolve(ctx, memory, new_fd, Rights.PATH_RENAME_TARGET,
                                             new_path, new_len, False) as target:
        if "." in (source.name, target.name):
            raise WasiErrno(Errno.BUSY)
        _check_rename_slashes(source, target)
        try:
            os.rename(source.name, target.name, src_dir_fd=source.parent,
                      dst_dir_fd=target.parent)
        except OSError as error:
            raise oserror(error) from None


def _check_rename_slashes(source: Resolved, target: Resolved) -> None:
    """A trailing slash on either side requires the source to be a directory."""
    if not (source.trailing_slash or target.trailing_slash):
        return
    info = lstat_at(source.parent, source.name)
    if info is None:
        raise WasiErrno(Errno.NOENT)
    if not stat.S_ISDIR(info.st_mode):
        raise WasiErrno(Errno.NOTDIR)


def _check_link_slashes(source: Resolved, target: Resolved) -> None:
    """``link`` never follows a trailing slash: an existing target is EXIST,
    a missing one NOENT; a slashed source is PERM (directory) or NOTDIR."""
    if target.trailing_slash:
        exists = lstat_at(target.parent, target.name) is not None
        raise WasiErrno(Errno.EXIST if exists else Errno.NOENT)
    if source.trailing_slash:
        info = lstat_at(source.parent, source.name)
        raise WasiErrno(Errno.NOENT if info is None else
                        Errno.PERM if stat.S_ISDIR(info.st_mode) else Errno.NOTDIR)


@wasi_function("path_link", "i32 i32 i32 i32 i32 i32 i32")
def path_link(ctx: WasiContext, memory: GuestMemory, old_fd: int, old_flags: int,
              old_path: int, old_len: int, new_fd: int, new_path: int, new_len: int) -> None:
    follow = bool(old_flags & LOOKUP_SYMLINK_FOLLOW)
    with _resolve(ctx, memory, old_fd, Rights.PATH_LINK_SOURCE, old_path, old_len,
                  follow) as source, _resolve(ctx, memory, new_fd, Rights.PATH_LINK_TARGET,
                                              new_path, new_len, False) as target:
        _check_link_slashes(source, target)
        try:
            _link_entry(source, target)
        except OSError as error:
            raise oserror(error) from None


def _link_entry(source: Resolved, target: Resolved) -> None:
    """Hard-link the entry ``source`` names itself (a symlink stays a symlink)."""
    try:
        os.link(source.name, target.name, src_dir_fd=source.parent,
                dst_dir_fd=target.parent, follow_symlinks=False)
    except OSError as error:
        if error.errno != errno.EINVAL or platform.python_implementation() != "PyPy":
            raise
        # PyPy 7.3 hands linkat() AT_SYMLINK_NOFOLLOW for follow_symlinks=False,
        # a flag linkat() rejects, and no flag (which does not follow) for True.
        os.link(source.name, target.name, src_dir_fd=source.parent,
                dst_dir_fd=target.parent, follow_symlinks=True)


@wasi_function("path_symlink", "i32 i32 i32 i32 i32")
def path_symlink(ctx: WasiContext, memory: GuestMemory, old_path: int, old_len: int, fd: int,
                 new_path: int, new_len: int) -> None:
    target_text = memory.string(old_path, old_len)
    if target_text.startswith("/"):
        # Absolute targets can never resolve inside the sandbox; refusing them
        # also keeps host programs from following a guest-made link outside.
        raise WasiErrno(Errno.PERM)
    with _resolve(ctx, memory, fd, Rights.PATH_SYMLINK, new_path, new_len, False) as found:
        if found.name == ".":
            raise WasiErrno(Errno.EXIST)
        if found.trailing_slash:
            info = lstat_at(found.parent, found.name)
            raise WasiErrno(Errno.NOENT if info is None else Errno.EXIST)
        try:
            os.symlink(target_text, found.name, dir_fd=found.parent)
        except OSError as error:
            raise oserror(error) from None


@wasi_function("path_readlink", "i32 i32 i32 i32 i32 i32")
def path_readlink(ctx: WasiContext, memory: GuestMemory, fd: int, path: int, length: int,
                  buf: int, buf_len: int, bufused: int) -> None:
    with _resolve(ctx, memory, fd, Rights.PATH_READLINK, path, length, False) as found:
        try:
            target = os.fsencode(os.readlink(found.name, dir_fd=found.parent))
        except OSError as error:
            raise oserror(error) from None
    data = target[:buf_len]
    memory.write(buf, data)
    memory.set_u32(bufused, len(data))


def _path_filestat(ctx: WasiContext, memory: GuestMemory, fd: int, flags: int, path: int,
                   length: int, result: int, layout: struct.Struct) -> None:
    follow = bool(flags & LOOKUP_SYMLINK_FOLLOW)
    with _resolve(ctx, memory, fd, Rights.PATH_FILESTAT_GET, path, length, follow) as found:
        try:
            info = os.stat(found.slashed_name, dir_fd=found.parent, follow_symlinks=False)
        except OSError as error:
            raise oserror(error) from None
    write_filestat(memory, result, info, layout, Filetype.UNKNOWN)


@wasi_function("path_filestat_get", "i32 i32 i32 i32 i32")
def path_filestat_get(ctx: WasiContext, memory: GuestMemory, fd: int, flags: int, path: int,
                      length: int, result: int) -> None:
    _path_filestat(ctx, memory, fd, flags, path, length, result, FILESTAT_PREVIEW1)


@unstable_variant("path_filestat_get")
def path_filestat_get_unstable(ctx: WasiContext, memory: GuestMemory, fd: int, flags: int,
                               path: int, length: int, result: int) -> None:
    _path_filestat(ctx, memory, fd, flags, path, length, result, FILESTAT_UNSTABLE)


@wasi_function("path_filestat_set_times", "i32 i32 i32 i32 i64 i64 i32")
def path_filestat_set_times(ctx: WasiContext, memory: GuestMemory, fd: int, flags: int,
                            path: int, length: int, atim: int, mtim: int,
                            fstflags: int) -> None:
    follow = bool(flags & LOOKUP_SYMLINK_FOLLOW)
    with _resolve(ctx, memory, fd, Rights.PATH_FILESTAT_SET_TIMES, path, length,
                  follow) as found:
        try:
            info = os.stat(found.name, dir_fd=found.parent, follow_symlinks=False)
            times = new_times(info, atim, mtim, fstflags)
            os.utime(found.name, ns=times, dir_fd=found.parent, follow_symlinks=False)
        except OSError as error:
            raise oserror(error) from None
