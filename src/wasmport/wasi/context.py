"""The state one WASI guest runs with: arguments, environment, descriptors."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from .constants import DIRECTORY_RIGHTS, FILE_RIGHTS
from .descriptors import DirectoryDescriptor, FdTable, SocketDescriptor, StreamDescriptor
from .hostfs import open_directory


class WasiExit(Exception):
    """``proc_exit(code)``: unwinds every Wasm frame up to the embedder.

    Generated code never catches it (only Wasm exceptions are caught), so the
    guest's frames unwind as a host exception does.
    """

    def __init__(self, code: int) -> None:
        super().__init__(f"exit status {code}")
        self.code = code


@dataclass
class WasiConfig:
    """What the guest is given.

    ``args`` starts with the program name (argv[0]); ``env`` is the exact
    environment as ``(name, value)`` pairs; ``preopens`` maps host
    directories to guest names (``(host, guest)``); ``sockets`` are listening
    sockets preopened after the directories; ``stdin``/``stdout``/``stderr``
    are the host fds behind guest fds 0, 1 and 2.
    """

    args: List[str] = field(default_factory=list)
    env: List[Tuple[str, str]] = field(default_factory=list)
    preopens: List[Tuple[str, str]] = field(default_factory=list)
    sockets: List[socket.socket] = field(default_factory=list)
    stdin: int = 0
    stdout: int = 1
    stderr: int = 2


class WasiContext:
    """Descriptors and the rest of a running guest's WASI state."""

    def __init__(self, config: Optional[WasiConfig] = None) -> None:
        self.config = config if config is not None else WasiConfig()
        self.args: Sequence[bytes] = [arg.encode("utf-8", "surrogateescape")
                                      for arg in self.config.args]
        self.environ: Sequence[bytes] = [
            f"{name}={value}".encode("utf-8", "surrogateescape")
            for name, value in self.config.env
        ]
        self.fds = FdTable()
        self.fds.insert(StreamDescriptor(self.config.stdin, readable=True))
        self.fds.insert(StreamDescriptor(self.config.stdout, readable=False))
        self.fds.insert(StreamDescriptor(self.config.stderr, readable=False))
        try:
            for host, guest in self.config.preopens:
                self.preopen_directory(host, guest)
        except BaseException:
            self.close()
            raise
        for sock in self.config.sockets:
            self.fds.insert(SocketDescriptor(sock, listening=True))

    def preopen_directory(self, host: str, guest: str) -> int:
        """Open ``host`` and give it to the guest as ``guest``; its fd number."""
        fd = open_directory(host)
        return self.fds.insert(
            DirectoryDescriptor(fd, DIRECTORY_RIGHTS, DIRECTORY_RIGHTS | FILE_RIGHTS, guest)
        )

    def close(self) -> None:
        self.fds.close_all()

    def __enter__(self) -> WasiContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def inherited_environment() -> List[Tuple[str, str]]:
    """The host's environment as pairs (``-S inherit-env``)."""
    return sorted(os.environ.items())


__all__ = ["WasiConfig", "WasiContext", "WasiExit", "inherited_environment"]
