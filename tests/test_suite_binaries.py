"""Acceptance: every ``.wasm`` of the WASI test suite and of sightglass
decodes and validates, and our verdict agrees with ``wasm-tools validate``
(default features) on each of them.

Two sightglass programs are *components* (binary version 0x0d, layer 1):
those are validated by :func:`wasmport.component.validate_component`, and the
core decoder must refuse them at the version field, naming the component model.
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Dict, Optional

import pytest

from wasmport.binary import decode_module
from wasmport.component import validate_component
from wasmport.errors import DecodeError, WasmError
from wasmport.features import Features
from wasmport.valid import validate

#: Preamble of a component binary: magic, version 0x0d, layer 1.
COMPONENT_PREAMBLE = b"\0asm\x0d\x00\x01\x00"


def our_verdict(data: bytes) -> Optional[str]:
    """None if the module or component is valid, else our error."""
    try:
        if data.startswith(COMPONENT_PREAMBLE):
            validate_component(data)
        else:
            validate(decode_module(data), Features())
    except WasmError as error:
        return f"{type(error).__name__}: {error}"
    return None


def wasm_tools_run(wasm_tools: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([wasm_tools, *args], capture_output=True, text=True, check=False)


def check_not_core(data: bytes) -> None:
    with pytest.raises(DecodeError, match="component-model binary") as caught:
        decode_module(data)
    assert caught.value.offset == 4, str(caught.value)


def check_agreement(
    wasm_tools: str, path: Path, totals: Dict[str, Dict[str, int]], label: str
) -> None:
    counts = totals.setdefault(label, defaultdict(int))
    data = path.read_bytes()
    is_component = data.startswith(COMPONENT_PREAMBLE)
    if is_component:
        check_not_core(data)
    ours = our_verdict(data)
    reference = wasm_tools_run(wasm_tools, "validate", str(path))
    reference_text = reference.stderr.strip() if reference.returncode else None
    assert (ours is None) == (reference_text is None), (
        f"wasmport: {ours}; wasm-tools: {reference_text}"
    )
    assert ours is None, f"expected every suite binary to be valid: {ours}"
    counts["valid components, agreeing with wasm-tools" if is_component
           else "valid modules, agreeing with wasm-tools"] += 1


def test_wasi_binary(
    wasi_wasm: Path, wasm_tools: str, suite_totals: Dict[str, Dict[str, int]]
) -> None:
    check_agreement(wasm_tools, wasi_wasm, suite_totals, "wasi binaries")


def test_sightglass_binary(
    sightglass_wasm: Path, wasm_tools: str, suite_totals: Dict[str, Dict[str, int]]
) -> None:
    check_agreement(wasm_tools, sightglass_wasm, suite_totals, "sightglass binaries")
