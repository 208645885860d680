"""``wat2wasm``: the WebAssembly text format to binary, with wasmport's own parser."""

from __future__ import annotations

from typing import Union

from ..binary import encode_module
from ..errors import WasmError
from ..text import parse_module
from ._error import WasmtimeError


def _text(wat: Union[str, bytes, bytearray]) -> str:
    if isinstance(wat, str):
        return wat
    if isinstance(wat, (bytes, bytearray)):
        try:
            return bytes(wat).decode("utf-8")
        except UnicodeDecodeError as error:
            raise WasmtimeError(f"input text is not valid UTF-8: {error}") from None
    raise TypeError("expected a string or bytes")


def wat2wasm(wat: Union[str, bytes, bytearray]) -> bytearray:
    """Convert WebAssembly text to the binary format.

    Names (``$id``s) are kept in the name section. Malformed text raises
    ``WasmtimeError``.

    >>> wat2wasm('(module)')
    bytearray(b'\\x00asm\\x01\\x00\\x00\\x00')
    """
    try:
        return bytearray(encode_module(parse_module(_text(wat))))
    except WasmError as error:
        raise WasmtimeError(str(error)) from None
    except RecursionError:
        raise WasmtimeError("text is nested too deeply") from None


__all__ = ["wat2wasm"]
