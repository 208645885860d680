"""The validator against the shared suites.

* Spec scripts: ``wasm-tools json-from-wast`` splits each ``.wast`` into its
  modules as ``.wasm`` files (so this test depends on the binary decoder, not on
  our text parser); every ``assert_invalid`` module must fail validation with the
  expected message prefix, every other module must validate. Scripts the
  reference tool cannot split (legacy exception syntax) go through our own
  script parser instead.

The WASI test programs and sightglass benchmarks are checked against
``wasm-tools validate`` in ``tests/test_suite_binaries.py`` (components too).

Each proposal directory is checked with the features its scripts assume.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

import pytest

from wasmport.binary import decode_module
from wasmport.errors import ValidationError
from wasmport.features import Feature, Features
from wasmport.syntax.ast import Module
from wasmport.valid import validate

WASM_TOOLS = shutil.which("wasm-tools")
needs_wasm_tools = pytest.mark.skipif(WASM_TOOLS is None, reason="wasm-tools not on PATH")

#: The threads proposal's scripts predate multi-memory and reference types.
THREADS = Features.of(
    {
        Feature.MUTABLE_GLOBAL,
        Feature.SIGN_EXTENSION,
        Feature.SATURATING_FLOAT_TO_INT,
        Feature.MULTI_VALUE,
        Feature.BULK_MEMORY,
        Feature.THREADS,
    }
)


def features_for(script: Path) -> Features:
    parts = script.parts
    if "threads" in parts:
        return THREADS
    if "proposals" in parts or "legacy" in parts:
        return Features.all()
    return Features()


#: Scripts without any module to validate (only malformed ones).
NO_MODULES = frozenset(
    {
        "binary-gc.wast",
        "obsolete-keywords.wast",
        "utf8-custom-section-id.wast",
        "utf8-import-field.wast",
        "utf8-import-module.wast",
        "utf8-invalid-encoding.wast",
    }
)

#: (line, command type, expected message or None, module)
Case = Tuple[int, str, Optional[str], Module]


def _cases_from_json(script: Path, directory: Path) -> Iterator[Case]:
    commands = json.loads((directory / "commands.json").read_text())["commands"]
    for command in commands:
        filename = command.get("filename")
        kind = command["type"]
        if not filename or not filename.endswith(".wasm") or kind.startswith("assert_malformed"):
            continue
        if kind == "assert_invalid_custom":
            continue
        module = decode_module((directory / filename).read_bytes())
        yield command["line"], kind, command.get("text"), module


def _cases_from_our_parser(script: Path) -> Iterator[Case]:
    from wasmport.script.ast import AssertInvalid, ModuleCommand
    from wasmport.script.loader import read_module
    from wasmport.script.parser import parse_script

    parsed = parse_script(script.read_bytes(), str(script))
    for command in parsed.commands:
        if isinstance(command, ModuleCommand):
            yield command.line, "module", None, read_module(command.source, str(script))
        elif isinstance(command, AssertInvalid):
            module = read_module(command.module.source, str(script))
            yield command.line, "assert_invalid", command.message, module


def spec_cases(script: Path, directory: Path) -> Iterator[Case]:
    assert WASM_TOOLS is not None
    result = subprocess.run(
        [WASM_TOOLS, "json-from-wast", str(script), "--wasm-dir", str(directory),
         "-o", str(directory / "commands.json")],
        capture_output=True,
    )
    if result.returncode == 0:
        return _cases_from_json(script, directory)
    return _cases_from_our_parser(script)


def check_case(case: Case, features: Features) -> Optional[str]:
    """None if the validator agrees with the script, else a description."""
    line, kind, expected, module = case
    try:
        validate(module, features)
    except ValidationError as error:
        if kind != "assert_invalid":
            return f"line {line}: {kind}: unexpected {error}"
        if expected is not None and not error.message.startswith(expected):
            return f"line {line}: message {error.message!r}, expected {expected!r}"
        return None
    if kind == "assert_invalid":
        return f"line {line}: valid, expected {expected!r}"
    return None


@needs_wasm_tools
def test_spec_script_validation(spec_wast: Path, tmp_path: Path) -> None:
    features = features_for(spec_wast)
    problems: List[str] = []
    checked = 0
    for case in spec_cases(spec_wast, tmp_path):
        checked += 1
        problem = check_case(case, features)
        if problem is not None:
            problems.append(problem)
    assert not problems, f"{len(problems)} of {checked} modules:\n" + "\n".join(problems[:30])
    assert checked or spec_wast.name in NO_MODULES, "no module of the script was checked"
