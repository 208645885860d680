"""One exception class per phase, all under :class:`WasmError`.

The classes mirror the kinds of assertion in the spec's ``.wast`` scripts:

* :class:`DecodeError`     -- a malformed binary module (``assert_malformed`` on binaries)
* :class:`ParseError`      -- malformed text (``assert_malformed`` on ``module quote``)
* :class:`ValidationError` -- an invalid module (``assert_invalid``)

Later phases (linking, traps, call-stack exhaustion) add their own classes here.
:class:`InternalError` is for "cannot happen" conditions and is *not* a Wasm
error: seeing it always means a bug in wasmport.
"""

from __future__ import annotations

from typing import Optional


class WasmError(Exception):
    """Base class of every error that wasmport reports about Wasm input."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DecodeError(WasmError):
    """A binary module is malformed. ``offset`` is the byte offset of the problem."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset

    def __str__(self) -> str:
        return f"{self.message} (at offset 0x{self.offset:x})"


class ParseError(WasmError):
    """Text (WAT or WAST) is malformed. Positions are 1-based line and column."""

    def __init__(
        self, message: str, line: int, column: int, filename: Optional[str] = None
    ) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.filename = filename

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}"
        if self.filename:
            where = f"{self.filename}:{where}"
        return f"{where}: {self.message}"


class ValidationError(WasmError):
    """A module is well formed but invalid. ``offset`` is the byte offset (or -1)."""

    def __init__(self, message: str, offset: int = -1) -> None:
        super().__init__(message)
        self.offset = offset

    def __str__(self) -> str:
        if self.offset < 0:
            return self.message
        return f"{self.message} (at offset 0x{self.offset:x})"


class InternalError(Exception):
    """A condition wasmport's own invariants rule out: always a wasmport bug."""


__all__ = [
    "DecodeError",
    "InternalError",
    "ParseError",
    "ValidationError",
    "WasmError",
]
