"""``WasmtimeError`` and ``ExitTrap``: the error classes of the embedding API."""

from __future__ import annotations

from typing import Any, Tuple


class WasmtimeError(Exception):
    """A compile, validation, link, instantiation, limit or argument error.

    ``str()`` is the message (possibly several lines with a ``Caused by:``
    chain). Runtime traps are :class:`~wasmport.api.Trap`, which is *not* a
    subclass, as in wasmtime-py.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        return (type(self), (self.message,))

    def close(self) -> None:
        """Nothing to release (kept for wasmtime-py compatibility)."""

    def __enter__(self) -> WasmtimeError:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ExitTrap(WasmtimeError):
    """A WASI guest called ``proc_exit(code)``; ``code`` is its exit status."""

    def __init__(self, code: int) -> None:
        super().__init__(f"Exited with i32 exit status {code}")
        self.code = code

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        return (type(self), (self.code,))


def wrap_error(error: Exception) -> WasmtimeError:
    """A front-end or link error as a :class:`WasmtimeError` (message kept)."""
    return WasmtimeError(str(error))


__all__ = ["ExitTrap", "WasmtimeError", "wrap_error"]
