"""The binary decoder and encoder over every module of the spec suite.

``wasm-tools json-from-wast`` splits each ``.wast`` script into its modules
(text modules are encoded by wasm-tools). For every script:

* each module of ``module``/``assert_invalid``/``assert_unlinkable``/
  ``assert_trap``... decodes;
* each binary ``assert_malformed`` module raises :class:`DecodeError` whose
  message starts with the expected text;
* decode -> encode -> decode gives an equal AST;
* decode -> encode reproduces the bytes of every module, including the
  ``(module binary ...)`` ones written by hand with non-canonical encodings
  that the AST records (sections present though empty, locals groups of count
  zero or split, an explicit memory index 0 in a memarg) -- except exactly the
  modules of :data:`OVERLONG_LEB128`. Those spell integers with over-long
  LEB128s; reproducing them would mean recording the width of every integer in
  the AST, so the encoder writes minimal LEB128s and their re-encoding must
  instead be strictly shorter and itself a fixpoint. The session summary lists
  them.

Only the custom-page-sizes scripts are decoded with that proposal enabled: the
core scripts use its limits flag as an example of a malformed one.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Set

import pytest
from binary_ast_tools import OUTCOMES, Outcome, modules_equal

from wasmport.binary import decode_module, encode_module
from wasmport.errors import DecodeError
from wasmport.features import Features

WASM_TOOLS = shutil.which("wasm-tools")


#: The spec-suite modules (script below ``spec``: module lines) whose bytes do
#: not come back: hand-written with over-long LEB128s (counts, sizes, indices,
#: immediates, opcodes). Exact: a module missing here, or listed but
#: reproduced, fails the script's test.
OVERLONG_LEB128: Dict[str, FrozenSet[int]] = {
    "binary-leb128.wast": frozenset(
        (2, 7, 12, 18, 24, 32, 41, 49, 57, 66, 75, 87, 99, 111, 120, 133, 146)
        + (158, 165, 172, 179, 187, 194, 201, 208, 964, 1002, 1010, 1019, 1030)
        + (1038, 1047, 1056)
    ),
    "binary0.wast": frozenset((2, 8, 36)),
    "float_literals.wast": frozenset((224,)),
    "proposals/wide-arithmetic/wide-arithmetic.wast": frozenset((326,)),
}


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


def check_round_trip(data: bytes, overlong: bool, where: str, outcome: Outcome) -> None:
    module = decode_module(data)
    encoded = encode_module(module)
    assert modules_equal(decode_module(encoded), module), f"{where}: decode(encode(m)) != m"
    if encoded == data:
        assert not overlong, f"{where}: listed in OVERLONG_LEB128 but re-encoded exactly"
        outcome.exact += 1
        return
    assert overlong, f"{where}: did not re-encode byte for byte"
    assert len(encoded) < len(data), (
        f"{where}: re-encoding a module with over-long LEB128s did not shrink it"
    )
    assert encode_module(decode_module(encoded)) == encoded, f"{where}: no fixpoint"
    outcome.shortened.append(where)


def test_spec_script(spec_wast: Path, tmp_path: Path) -> None:
    commands = split_script(spec_wast, tmp_path)
    if commands is None:
        pytest.skip(f"wasm-tools json-from-wast cannot read {spec_wast.name}")
    overlong = OVERLONG_LEB128.get(script_name(spec_wast), frozenset())
    features = features_for(spec_wast)
    outcome = OUTCOMES.setdefault(str(spec_wast), Outcome())
    failures: List[str] = []
    checked: Set[int] = set()
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
        checked.add(line)
        try:
            check_round_trip(data, line in overlong, where, outcome)
        except AssertionError as error:
            failures.append(str(error))
    failures.extend(
        f"{script_name(spec_wast)}:{line}: listed in OVERLONG_LEB128 but no module there"
        for line in sorted(overlong - checked)
    )
    assert not failures, "\n".join(failures)
