"""wat2wasm: text to binary with names kept."""

from __future__ import annotations

import pytest

from wasmport import WasmtimeError, wat2wasm


def test_wat2wasm() -> None:
    assert wat2wasm("(module)") == bytearray(b"\0asm\x01\0\0\0")
    assert wat2wasm(b"(module)") == bytearray(b"\0asm\x01\0\0\0")
    assert b"name" in wat2wasm("(module $m (func $f))")
    with pytest.raises(WasmtimeError):
        wat2wasm("(module (func (i32.bogus)))")
