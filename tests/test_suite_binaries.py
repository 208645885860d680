"""Acceptance: every core ``.wasm`` of the WASI test suite and of sightglass
decodes and validates, and our verdict agrees with ``wasm-tools validate``
(default features) on each of them.

Two sightglass programs are *components* (binary version 0x0d, layer 1), not
core modules. wasmport's front end decodes core modules only, so for those
the test checks that the decoder rejects them with a DecodeError at the
version field, and that wasm-tools sees a component there.
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Dict, Optional

import pytest

from wasmport.binary import decode_module
from wasmport.errors import DecodeError, WasmError
from wasmport.features import Features
from wasmport.valid import validate

#: Preamble of a component binary: magic, version 0x0d, layer 1.
COMPONENT_PREAMBLE = b"\0asm\x0d\x00\x01\x00"


def our_verdict(data: bytes) -> Optional[str]:
    """None if the module is valid, else our error."""
    try:
        validate(decode_module(data), Features())
    except WasmError as error:
        return f"{type(error).__name__}: {error}"
    return None


def wasm_tools_run(wasm_tools: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([wasm_tools, *args], capture_output=True, text=True, check=False)


def check_component(wasm_tools: str, path: Path, data: bytes) -> None:
    with pytest.raises(DecodeError) as caught:
        decode_module(data)
    assert caught.value.offset == 4, str(caught.value)
    printed = wasm_tools_run(wasm_tools, "print", str(path))
    assert printed.returncode == 0 and printed.stdout.lstrip().startswith("(component")


def check_agreement(
    wasm_tools: str, path: Path, totals: Dict[str, Dict[str, int]], label: str
) -> None:
    counts = totals.setdefault(label, defaultdict(int))
    data = path.read_bytes()
    if data.startswith(COMPONENT_PREAMBLE):
        check_component(wasm_tools, path, data)
        counts["components (not core modules)"] += 1
        return
    ours = our_verdict(data)
    reference = wasm_tools_run(wasm_tools, "validate", str(path))
    reference_text = reference.stderr.strip() if reference.returncode else None
    assert (ours is None) == (reference_text is None), (
        f"wasmport: {ours}; wasm-tools: {reference_text}"
    )
    assert ours is None, f"expected every suite binary to be valid: {ours}"
    counts["valid, agreeing with wasm-tools"] += 1


def test_wasi_binary(
    wasi_wasm: Path, wasm_tools: str, suite_totals: Dict[str, Dict[str, int]]
) -> None:
    check_agreement(wasm_tools, wasi_wasm, suite_totals, "wasi binaries")


def test_sightglass_binary(
    sightglass_wasm: Path, wasm_tools: str, suite_totals: Dict[str, Dict[str, int]]
) -> None:
    check_agreement(wasm_tools, sightglass_wasm, suite_totals, "sightglass binaries")
