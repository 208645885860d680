"""Real-world binaries (the WASI test programs and the sightglass benchmarks)
decode and re-encode byte for byte. Toolchains pad relocatable LEB128s (sizes,
call indices, addresses) to five bytes: the decoder notes their widths in
:attr:`Module.layout` and the encoder spells them so again. Without that
layout the re-encoding has minimal LEB128s: shorter, decoding to an equal AST,
and a fixpoint.

Component-model binaries (version ``0x0d``, layer 1) are not core modules;
wasmport does not decode components, so they must fail with "unknown binary
version" and are otherwise skipped.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from binary_ast_tools import modules_equal

from wasmport.binary import decode_module, encode_module
from wasmport.errors import DecodeError

COMPONENT_HEADER = b"\x00asm\x0d\x00\x01\x00"


def check_binary(path: Path) -> None:
    data = path.read_bytes()
    if data.startswith(COMPONENT_HEADER):
        with pytest.raises(DecodeError, match="unknown binary version: this is a component"):
            decode_module(data)
        pytest.skip(f"{path.name} is a component, not a core module")
    module = decode_module(data)
    assert encode_module(module) == data, f"{path.name}: did not re-encode byte for byte"
    if module.layout is None:
        return
    minimal = encode_module(dataclasses.replace(module))
    assert len(minimal) < len(data), f"{path.name}: minimal LEB128s did not shrink it"
    again = decode_module(minimal)
    assert again.layout is None, f"{path.name}: the minimal encoding has over-long LEB128s"
    assert modules_equal(again, module), f"{path.name}: decode(encode(m)) != m"
    assert encode_module(again) == minimal, f"{path.name}: no fixpoint"


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
