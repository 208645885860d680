"""WASI preview1 error numbers and the exception handlers use to return one.

A host function either returns normally (``errno`` SUCCESS) or raises
:class:`WasiErrno`; the dispatcher (:mod:`.host`) turns that into the
function's ``i32`` result. Host ``OSError`` values are mapped with
:func:`from_oserror`.
"""

from __future__ import annotations

import enum
import errno as host_errno
from typing import Dict


class Errno(enum.IntEnum):
    """``$errno`` from ``wasi_snapshot_preview1.witx`` (same numbers in ``wasi_unstable``)."""

    SUCCESS = 0
    TOOBIG = 1
    ACCES = 2
    ADDRINUSE = 3
    ADDRNOTAVAIL = 4
    AFNOSUPPORT = 5
    AGAIN = 6
    ALREADY = 7
    BADF = 8
    BADMSG = 9
    BUSY = 10
    CANCELED = 11
    CHILD = 12
    CONNABORTED = 13
    CONNREFUSED = 14
    CONNRESET = 15
    DEADLK = 16
    DESTADDRREQ = 17
    DOM = 18
    DQUOT = 19
    EXIST = 20
    FAULT = 21
    FBIG = 22
    HOSTUNREACH = 23
    IDRM = 24
    ILSEQ = 25
    INPROGRESS = 26
    INTR = 27
    INVAL = 28
    IO = 29
    ISCONN = 30
    ISDIR = 31
    LOOP = 32
    MFILE = 33
    MLINK = 34
    MSGSIZE = 35
    MULTIHOP = 36
    NAMETOOLONG = 37
    NETDOWN = 38
    NETRESET = 39
    NETUNREACH = 40
    NFILE = 41
    NOBUFS = 42
    NODEV = 43
    NOENT = 44
    NOEXEC = 45
    NOLCK = 46
    NOLINK = 47
    NOMEM = 48
    NOMSG = 49
    NOPROTOOPT = 50
    NOSPC = 51
    NOSYS = 52
    NOTCONN = 53
    NOTDIR = 54
    NOTEMPTY = 55
    NOTRECOVERABLE = 56
    NOTSOCK = 57
    NOTSUP = 58
    NOTTY = 59
    NXIO = 60
    OVERFLOW = 61
    OWNERDEAD = 62
    PERM = 63
    PIPE = 64
    PROTO = 65
    PROTONOSUPPORT = 66
    PROTOTYPE = 67
    RANGE = 68
    ROFS = 69
    SPIPE = 70
    SRCH = 71
    STALE = 72
    TIMEDOUT = 73
    TXTBSY = 74
    XDEV = 75
    NOTCAPABLE = 76


class WasiErrno(Exception):
    """Raised inside a host function: the call returns ``errno``."""

    def __init__(self, errno: Errno) -> None:
        super().__init__(errno.name)
        self.errno = errno


def _host_table() -> Dict[int, Errno]:
    table: Dict[int, Errno] = {}
    aliases = {"TOOBIG": "E2BIG"}
    for code in Errno:
        name = aliases.get(code.name, "E" + code.name)
        value = getattr(host_errno, name, None)
        if value is not None and value not in table:
            table[value] = code
    # Platform spellings that differ from WASI's names.
    for name, code in (("EWOULDBLOCK", Errno.AGAIN), ("EOPNOTSUPP", Errno.NOTSUP),
                       ("ENOTSUP", Errno.NOTSUP), ("ECANCELED", Errno.CANCELED)):
        value = getattr(host_errno, name, None)
        if value is not None:
            table.setdefault(value, code)
    return table


_FROM_HOST = _host_table()


def from_oserror(error: OSError) -> Errno:
    """The WASI errno for a host ``OSError`` (EIO when the host's has no match)."""
    if error.errno is None:
        return Errno.IO
    return _FROM_HOST.get(error.errno, Errno.IO)


__all__ = ["Errno", "WasiErrno", "from_oserror"]
