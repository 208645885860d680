"""Real-world binaries (the WASI test programs and the sightglass benchmarks)
decode and round-trip: decode -> encode -> decode gives an equal AST and the
re-encoding is a fixpoint. Bytes are reproduced only where the producer wrote
canonical encodings: toolchains pad relocatable LEB128s to five bytes and
split runs of locals of one type, and the encoder writes minimal LEB128s and
merged runs, so the re-encoding is never longer than the original.

Component-model binaries (version ``0x0d``, layer 1) are not core modules;
wasmport does not decode components, so they must fail with "unknown binary
version" and are otherwise skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from binary_ast_tools import modules_equal

from wasmport.binary import decode_module, encode_module
from wasmport.errors import DecodeError

COMPONENT_HEADER = b"\x00asm\x0d\x00\x01\x00"


def check_binary(path: Path) -> None:
    data = path.read_bytes()
    if data.startswith(COMPONENT_HEADER):
        with pytest.raises(DecodeError, match="unknown binary version"):
            decode_module(data)
        pytest.skip(f"{path.name} is a component, not a core module")
    module = decode_module(data)
    encoded = encode_module(module)
    if encoded == data:
        return
    assert len(encoded) < len(data), f"{path.name}: the re-encoding grew"
    assert modules_equal(decode_module(encoded), module), f"{path.name}: decode(encode(m)) != m"
    assert encode_module(decode_module(encoded)) == encoded, f"{path.name}: no fixpoint"


def test_wasi_binary(wasi_wasm: Path) -> None:
    check_binary(wasi_wasm)


def test_sightglass_binary(sightglass_wasm: Path) -> None:
    check_binary(sightglass_wasm)


def test_custom_sections_are_copied_once(sightglass_dir: Path) -> None:
    """Every custom section's bytes are an independent copy of the input's slice
    (``bytes`` objects made by one ``memoryview.tobytes`` each)."""
    candidates = sorted(sightglass_dir.rglob("*.wasm"), key=lambda p: p.stat().st_size)
    for path in reversed(candidates):
        data = path.read_bytes()
        if data.startswith(COMPONENT_HEADER):
            continue
        module = decode_module(memoryview(data))
        if module.customs:
            break
    else:
        pytest.skip("no sightglass binary has custom sections")
    for custom in module.customs:
        assert type(custom.data) is bytes
        assert custom.data in data
