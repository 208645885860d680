"""The host-filesystem layer: sandboxed path resolution relative to directory fds.

A guest names files by a directory descriptor and a relative path. The path
is resolved one component at a time starting from the directory's open host
fd, never by joining strings:

* each intermediate component is opened with ``os.open(name, O_DIRECTORY |
  O_NOFOLLOW, dir_fd=parent)``, so the host cannot swap a component for a
  symlink between a check and its use (the open itself refuses symlinks);
* a symlink met on the way (intermediate, or final when following) is read
  with ``os.readlink(name, dir_fd=parent)`` and its target spliced into the
  remaining components, resolved from the directory that holds the link;
  an absolute target, or ``..`` above the starting directory, is an escape
  (``EPERM``); more than :data:`MAX_SYMLINK_EXPANSIONS` expansions is
  ``ELOOP``;
* the final component is returned as ``(parent fd, name)`` so every
  operation runs as ``*at(parent_fd, name)`` with symlinks not followed.

This gives the same containment as ``openat2(RESOLVE_BENEATH)`` or cap-std:
the guest can only reach what lies beneath the starting directory, whatever
the host or the guest does to the tree concurrently.

Platform notes
--------------
* Linux, the BSDs and macOS support every call used here (``dir_fd``,
  ``O_NOFOLLOW``, ``O_DIRECTORY``, ``os.scandir(fd)``). Opening a symlink with
  ``O_NOFOLLOW`` fails with ``ELOOP`` on Linux and macOS but ``EMLINK`` on
  FreeBSD; the resolver therefore never interprets that errno and checks with
  ``lstat`` instead.
* macOS has no ``fdatasync``, ``posix_fallocate`` or ``posix_fadvise``: the
  WASI layer falls back to ``fsync``, growing with ``ftruncate``, and a no-op.
* Windows has no ``dir_fd`` support in ``os`` and no ``O_NOFOLLOW``; handles
  relative to a directory need ``NtCreateFile``. :data:`SUPPORTED` is False
  there and preopening a directory raises ``OSError(ENOTSUP)`` rather than
  falling back to unsafe string paths.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import List, Optional

from .constants import Filetype
from .errno import Errno, WasiErrno

#: Whether this platform has the relative-open primitives the sandbox needs.
SUPPORTED = os.open in os.supports_dir_fd and hasattr(os, "O_NOFOLLOW")

#: How many symlinks one resolution may expand (like Linux's MAXSYMLINKS).
MAX_SYMLINK_EXPANSIONS = 40

_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)

#: Flags for opening an intermediate directory during resolution.
DIR_OPEN_FLAGS = os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC


def open_directory(host_path: str) -> int:
    """Open a host directory to preopen it (the only absolute host path used)."""
    if not SUPPORTED:
        raise OSError(getattr(os, "ENOTSUP", 95), "sandboxed directories need dir_fd support")
    return os.open(host_path, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)


def filetype_of_mode(mode: int) -> Filetype:
    if stat.S_ISREG(mode):
        return Filetype.REGULAR_FILE
    if stat.S_ISDIR(mode):
        return Filetype.DIRECTORY
    if stat.S_ISLNK(mode):
        return Filetype.SYMBOLIC_LINK
    if stat.S_ISCHR(mode):
        return Filetype.CHARACTER_DEVICE
    if stat.S_ISBLK(mode):
        return Filetype.BLOCK_DEVICE
    if stat.S_ISSOCK(mode):
        return Filetype.SOCKET_STREAM
    return Filetype.UNKNOWN


def _raise_os(error: OSError) -> WasiErrno:
    from .errno import from_oserror

    return WasiErrno(from_oserror(error))


def lstat_at(parent: int, name: str) -> Optional[os.stat_result]:
    """``lstat`` of ``name`` in ``parent``; None if it does not exist."""
    try:
        return os.stat(name, dir_fd=parent, follow_symlinks=False)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _raise_os(error) from None


class Resolved:
    """The result of resolving a path: operate on ``name`` inside ``parent``.

    ``name`` is ``"."`` when the path denotes the starting directory (or one of
    the directories opened on the way). ``trailing_slash`` records a path
    ending in ``/`` (the final object must be a directory). ``close()``
    releases the directories opened during resolution.
    """

    __slots__ = ("_stack", "name", "trailing_slash")

    def __init__(self, stack: List[int], name: str, trailing_slash: bool) -> None:
        self._stack = stack
        self.name = name
        self.trailing_slash = trailing_slash

    @property
    def parent(self) -> int:
        return self._stack[-1]

    @property
    def slashed_name(self) -> str:
        """The name as the host call should see it (keeps a trailing slash)."""
        return self.name + "/" if self.trailing_slash and self.name != "." else self.name

    def close(self) -> None:
        for fd in self._stack[1:]:
            os.close(fd)
        del self._stack[1:]

    def __enter__(self) -> Resolved:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Walk:
    """State of one resolution: the open directories and the pending components."""

    def __init__(self, base: int, path: str) -> None:
        self.stack = [base]
        self.pending = list(reversed(path.split("/")))
        self.expansions = 0

    def close(self) -> None:
        for fd in self.stack[1:]:
            os.close(fd)
        del self.stack[1:]

    def up(self) -> None:
        if len(self.stack) == 1:
            raise WasiErrno(Errno.PERM)
        os.close(self.stack.pop())

    def splice_link(self, name: str) -> None:
        """Replace the symlink ``name`` (in the top directory) by its target."""
        self.expansions += 1
        if self.expansions > MAX_SYMLINK_EXPANSIONS:
            raise WasiErrno(Errno.LOOP)
        try:
            target = os.readlink(name, dir_fd=self.stack[-1])
        except OSError as error:
            if error.errno == errno.EINVAL:
                # No longer a symlink: the host changed the tree under us.
                # Look at the component again; the expansion count bounds retries.
                self.pending.append(name)
                return
            raise _raise_os(error) from None
        if target.startswith("/") or target == "":
            raise WasiErrno(Errno.PERM if target else Errno.NOENT)
        self.pending.extend(reversed(target.split("/")))

    def descend(self, name: str) -> None:
        """Open directory ``name`` (or expand it if it is a symlink)."""
        try:
            fd = os.open(name, DIR_OPEN_FLAGS, dir_fd=self.stack[-1])
        except OSError as error:
            info = lstat_at(self.stack[-1], name)
            if info is not None and stat.S_ISLNK(info.st_mode):
                self.splice_link(name)
                return
            raise _raise_os(error) from None
        self.stack.append(fd)

    def is_link(self, name: str) -> bool:
        info = lstat_at(self.stack[-1], name)
        return info is not None and stat.S_ISLNK(info.st_mode)


def _has_more(pending: List[str]) -> bool:
    """Whether a real component (not an empty one from slashes) remains."""
    return any(part not in ("",) for part in pending)


def resolve(base: int, path: str, follow: bool) -> Resolved:
    """Resolve ``path`` beneath the directory fd ``base``.

    ``follow`` says whether a final symlink is followed. Raises
    :class:`WasiErrno`: ``PERM`` for an absolute path or an escape, ``NOENT``
    for an empty path or a missing component, ``NOTDIR``, ``LOOP``, ...
    """
    if path == "":
        raise WasiErrno(Errno.NOENT)
    if path.startswith("/"):
        raise WasiErrno(Errno.PERM)
    if "\0" in path:
        raise WasiErrno(Errno.INVAL)
    walk = _Walk(base, path)
    try:
        return _run(walk, follow)
    except BaseException:
        walk.close()
        raise


def _run(walk: _Walk, follow: bool) -> Resolved:
    trailing = False
    while True:
        part = walk.pending.pop()
        last = not _has_more(walk.pending)
        if last:
            trailing = bool(walk.pending)
            walk.pending.clear()
        if part in ("", "."):
            if last:
                return Resolved(walk.stack, ".", trailing)
            continue
        if part == "..":
            walk.up()
            if last:
                return Resolved(walk.stack, ".", trailing)
            continue
        if not last:
            walk.descend(part)
            continue
        if (follow or trailing) and walk.is_link(part):
            walk.splice_link(part)
            if trailing:
                walk.pending.insert(0, "")
            if not walk.pending:
                return Resolved(walk.stack, ".", trailing)
            continue
        return Resolved(walk.stack, part, trailing)


__all__ = [
    "DIR_OPEN_FLAGS",
    "MAX_SYMLINK_EXPANSIONS",
    "SUPPORTED",
    "Resolved",
    "filetype_of_mode",
    "lstat_at",
    "open_directory",
    "resolve",
]
