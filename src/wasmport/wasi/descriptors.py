"""The guest's file descriptors: standard streams, files, directories, sockets.

Each :class:`Descriptor` owns (or borrows, for the standard streams) a host
object and carries its WASI rights and fd flags. :class:`FdTable` maps guest
fd numbers to descriptors, always handing out the lowest free number.
"""

from __future__ import annotations

import os
import select
import socket
from typing import Dict, Iterator, Optional, Tuple

from .constants import (
    DIRECTORY_RIGHTS,
    FILE_RIGHTS,
    LISTENER_RIGHTS,
    SOCKET_RIGHTS,
    STREAM_RIGHTS,
    FdFlags,
    Filetype,
    Rights,
)
from .errno import Errno, WasiErrno, from_oserror


class Descriptor:
    """An open guest descriptor."""

    filetype = Filetype.UNKNOWN

    def __init__(self, rights_base: int, rights_inheriting: int = 0, fdflags: int = 0) -> None:
        self.rights_base = rights_base
        self.rights_inheriting = rights_inheriting
        self.fdflags = fdflags

    def require(self, rights: int) -> None:
        """Raise ``NOTCAPABLE`` unless every right in ``rights`` is held."""
        if rights & ~self.rights_base:
            raise WasiErrno(Errno.NOTCAPABLE)

    def host_fd(self) -> Optional[int]:
        """The host fd behind this descriptor (for stat, poll), if any."""
        return None

    def close(self) -> None:
        """Release the host resource."""


class StreamDescriptor(Descriptor):
    """A standard stream over a host fd it does not own (0, 1 or 2 by default)."""

    def __init__(self, fd: int, readable: bool) -> None:
        rights = STREAM_RIGHTS & ~(Rights.FD_WRITE if readable else Rights.FD_READ)
        super().__init__(rights)
        self.fd = fd
        self.filetype = _stream_filetype(fd)

    def host_fd(self) -> Optional[int]:
        return self.fd

    def read(self, size: int) -> bytes:
        return read_fd(self.fd, size)

    def write(self, data: bytes) -> int:
        return write_all(self.fd, data)


def _stream_filetype(fd: int) -> Filetype:
    """A terminal is a character device; a redirected stream reports the
    host file's type, and a pipe ``UNKNOWN`` (as wasmtime does), so libc
    line-buffers only real terminals."""
    from .hostfs import filetype_of_mode

    try:
        if os.isatty(fd):
            return Filetype.CHARACTER_DEVICE
        kind = filetype_of_mode(os.fstat(fd).st_mode)
    except OSError:
        return Filetype.UNKNOWN
    if kind in (Filetype.REGULAR_FILE, Filetype.CHARACTER_DEVICE, Filetype.BLOCK_DEVICE):
        return kind
    return Filetype.UNKNOWN


def read_fd(fd: int, size: int) -> bytes:
    """``os.read`` that waits (instead of failing) on a non-blocking fd."""
    while True:
        try:
            return os.read(fd, size)
        except BlockingIOError:
            select.select([fd], [], [])
        except InterruptedError:
            continue


def write_all(fd: int, data: bytes) -> int:
    """Write every byte (partial writes and non-blocking fds are retried in order)."""
    view = memoryview(data)
    written = 0
    while written < len(view):
        try:
            written += os.write(fd, view[written:])
        except BlockingIOError:
            select.select([], [fd], [])
        except InterruptedError:
            continue
    return written


class FileDescriptor(Descriptor):
    """A regular file (or other non-directory object) opened through a preopen."""

    filetype = Filetype.REGULAR_FILE

    def __init__(self, fd: int, filetype: Filetype, rights_base: int, fdflags: int,
                 readable: bool, writable: bool) -> None:
        super().__init__(rights_base & FILE_RIGHTS, 0, fdflags)
        self.fd = fd
        self.filetype = filetype
        self.readable = readable
        self.writable = writable

    def host_fd(self) -> Optional[int]:
        return self.fd

    def close(self) -> None:
        os.close(self.fd)


class DirectoryDescriptor(Descriptor):
    """A directory; ``preopen_name`` is set for preopened directories."""

    filetype = Filetype.DIRECTORY

    def __init__(self, fd: int, rights_base: int = DIRECTORY_RIGHTS,
                 rights_inheriting: int = DIRECTORY_RIGHTS | FILE_RIGHTS,
                 preopen_name: Optional[str] = None) -> None:
        super().__init__(rights_base & DIRECTORY_RIGHTS, rights_inheriting)
        self.fd = fd
        self.preopen_name = preopen_name

    def host_fd(self) -> Optional[int]:
        return self.fd

    def close(self) -> None:
        os.close(self.fd)


class SocketDescriptor(Descriptor):
    """A socket handed to the guest (preopened listener or accepted connection)."""

    def __init__(self, sock: socket.socket, listening: bool) -> None:
        super().__init__(LISTENER_RIGHTS if listening else SOCKET_RIGHTS)
        self.socket = sock
        self.listening = listening
        self.filetype = (Filetype.SOCKET_STREAM if sock.type == socket.SOCK_STREAM
                         else Filetype.SOCKET_DGRAM)

    def host_fd(self) -> Optional[int]:
        return self.socket.fileno()

    def close(self) -> None:
        self.socket.close()


class FdTable:
    """Guest fd numbers -> descriptors."""

    def __init__(self) -> None:
        self._entries: Dict[int, Descriptor] = {}

    def get(self, fd: int) -> Descriptor:
        entry = self._entries.get(fd)
        if entry is None:
            raise WasiErrno(Errno.BADF)
        return entry

    def insert(self, descriptor: Descriptor) -> int:
        fd = 0
        while fd in self._entries:
            fd += 1
        if fd > 0x7FFFFFFF:
            raise WasiErrno(Errno.NFILE)
        self._entries[fd] = descriptor
        return fd

    def set(self, fd: int, descriptor: Descriptor) -> None:
        self._entries[fd] = descriptor

    def pop(self, fd: int) -> Descriptor:
        entry = self._entries.pop(fd, None)
        if entry is None:
            raise WasiErrno(Errno.BADF)
        return entry

    def items(self) -> Iterator[Tuple[int, Descriptor]]:
        return iter(list(self._entries.items()))

    def close_all(self) -> None:
        for _, entry in self.items():
            if not isinstance(entry, StreamDescriptor):
                try:
                    entry.close()
                except OSError:
                    pass
        self._entries.clear()


def file_of(descriptor: Descriptor) -> FileDescriptor:
    """The descriptor as a file; ``EISDIR``/``EBADF`` otherwise."""
    if isinstance(descriptor, FileDescriptor):
        return descriptor
    if isinstance(descriptor, DirectoryDescriptor):
        raise WasiErrno(Errno.ISDIR)
    raise WasiErrno(Errno.BADF)


def directory_of(descriptor: Descriptor) -> DirectoryDescriptor:
    """The descriptor as a directory; ``ENOTDIR`` otherwise."""
    if isinstance(descriptor, DirectoryDescriptor):
        return descriptor
    raise WasiErrno(Errno.NOTDIR)


def oserror(error: OSError) -> WasiErrno:
    """A host error as the exception a handler raises."""
    return WasiErrno(from_oserror(error))


__all__ = [
    "Descriptor",
    "DirectoryDescriptor",
    "FdFlags",
    "FdTable",
    "FileDescriptor",
    "SocketDescriptor",
    "StreamDescriptor",
    "directory_of",
    "file_of",
    "oserror",
    "read_fd",
    "write_all",
]
