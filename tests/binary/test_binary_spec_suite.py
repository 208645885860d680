"""The binary decoder and encoder over every module of the spec suite.

``wasm-tools json-from-wast`` splits each ``.wast`` script into its modules
(text modules are encoded by wasm-tools). For every script:

* each module of ``module``/``assert_invalid``/``assert_unlinkable``/
  ``assert_trap``... decodes;
* each binary ``assert_malformed`` module raises :class:`DecodeError` whose
  message starts with the expected text;
* decode -> encode -> decode gives an equal AST;
* decode -> encode reproduces the bytes of every module, including the
  ``(module binary ...)`` ones written by hand with non-canonical encodings:
  those the AST records (sections present though empty, locals groups of count
  zero or split, an explicit memory index 0 in a memarg) and the over-long
  LEB128s (counts, sizes, indices, immediates, opcodes) that the decoder notes
  in :attr:`Module.layout`;
* such a module with its layout dropped re-encodes with minimal LEB128s:
  shorter, decoding to an equal AST, and a fixpoint.

Only the custom-page-sizes scripts are decoded with that proposal enabled: the
core scripts use its limits flag as an example of a malformed one.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path
from typing import List, Optional

import pytest
from binary_ast_tools import OUTCOMES, Outcome, modules_equal

from wasmport.binary import decode_module, encode_module
from wasmport.errors import DecodeError
from wasmport.features import Features

WASM_TOOLS = shutil.which("wasm-tools")


def split_script(wast: Path, out_dir: Path) -> Optional[List[dict]]:
    """The script's commands (None when wasm-tools cannot read the script)."""
    if WASM_TOOLS is None:
        pytest.skip("wasm-tools is not on PATH (it splits .wast scripts into modules)")
    result = subprocess.run(
        [
            WASM_TOOLS,
            "json-from-wast",
            str(wast),
            "--wasm-dir",
            str(out_dir),
            "-o",
            str(out_dir / "commands.json"),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        return None
    commands: List[dict] = json.loads((out_dir / "commands.json").read_text())["commands"]
    return commands


def script_name(wast: Path) -> str:
    """The script's path below the suite's ``spec`` directory."""
    parts = wast.parts
    below = (
        parts[len(parts) - 1 - parts[::-1].index("spec") + 1 :] if "spec" in parts else parts[-1:]
    )
    return "/".join(below)


def features_for(wast: Path) -> Features:
    if "custom-page-sizes" in wast.parts:
        return Features.all()
    return Features()


def check_round_trip(data: bytes, where: str, outcome: Outcome) -> None:
    module = decode_module(data)
    encoded = encode_module(module)
    assert encoded == data, f"{where}: did not re-encode byte for byte"
    assert modules_equal(decode_module(encoded), module), f"{where}: decode(encode(m)) != m"
    outcome.exact += 1
    if module.layout is None:
        return
    rebuilt = dataclasses.replace(module)
    assert rebuilt == module and rebuilt.layout is None
    minimal = encode_module(rebuilt)
    assert len(minimal) < len(data), f"{where}: minimal LEB128s did not shrink the module"
    again = decode_module(minimal)
    assert again.layout is None, f"{where}: the minimal encoding has over-long LEB128s"
    assert modules_equal(again, module), f"{where}: minimal encoding differs"
    assert encode_module(again) == minimal, f"{where}: no fixpoint"
    outcome.overlong.append(where)


def test_spec_script(spec_wast: Path, tmp_path: Path) -> None:
    commands = split_script(spec_wast, tmp_path)
    if commands is None:
        pytest.skip(f"wasm-tools json-from-wast cannot read {spec_wast.name}")
    features = features_for(spec_wast)
    outcome = OUTCOMES.setdefault(str(spec_wast), Outcome())
    failures: List[str] = []
    for command in commands:
        filename = command.get("filename")
        if not filename or not filename.endswith(".wasm"):
            continue
        data = (tmp_path / filename).read_bytes()
        line = command["line"]
        where = f"{script_name(spec_wast)}:{line}"
        if command["type"] == "assert_malformed":
            try:
                decode_module(data, features)
            except DecodeError as error:
                if not error.message.startswith(command["text"]):
                    failures.append(f"{where}: {error.message!r}, expected {command['text']!r}")
            else:
                failures.append(f"{where}: decoded, expected {command['text']!r}")
            continue
        try:
            decode_module(data, features)
        except DecodeError as error:
            failures.append(f"{where}: {command['type']} module failed to decode: {error}")
            continue
        try:
            check_round_trip(data, where, outcome)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n".join(failures)
