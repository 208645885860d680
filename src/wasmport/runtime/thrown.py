"""The Python exception that carries a Wasm exception while it unwinds Wasm
frames. It never reaches the host: :meth:`FuncInstance.invoke` turns it into
:class:`~wasmport.errors.WasmException`, and a host function raising
``WasmException`` re-enters Wasm as a ``Thrown`` again."""

from __future__ import annotations

from typing import Any


class Thrown(Exception):
    """A Wasm exception in flight; ``exn`` is the :class:`ExceptionInstance`."""

    def __init__(self, exn: Any) -> None:
        super().__init__()
        self.exn = exn


__all__ = ["Thrown"]
