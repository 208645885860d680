"""The legacy exception scripts, which ``wasm-tools json-from-wast`` cannot
split: their text modules (parsed by wasmport's own WAST and WAT parsers)
encode to binaries that decode back to the same AST and that
``wasm-tools validate --features all`` accepts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import List

import pytest
from binary_ast_tools import modules_equal

from wasmport.binary import decode_module, encode_module
from wasmport.script.ast import ModuleCommand, TextModule
from wasmport.script.parser import parse_script
from wasmport.syntax.ast import Module
from wasmport.text import module_from_sexpr

SCRIPTS = ("rethrow.wast", "throw.wast", "try_catch.wast", "try_delegate.wast")


def text_modules(path: Path) -> List[Module]:
    script = parse_script(path.read_bytes(), str(path))
    return [
        module_from_sexpr(command.source.node)
        for command in script.commands
        if isinstance(command, ModuleCommand) and isinstance(command.source, TextModule)
    ]


@pytest.mark.parametrize("name", SCRIPTS)
def test_legacy_exception_modules_round_trip(spec_dir: Path, tmp_path: Path, name: str) -> None:
    modules = text_modules(spec_dir / "legacy" / name)
    assert modules, f"{name} has no text modules"
    wasm_tools = shutil.which("wasm-tools")
    for index, module in enumerate(modules):
        encoded = encode_module(module)
        assert modules_equal(decode_module(encoded), module)
        if wasm_tools is not None:
            path = tmp_path / f"{index}.wasm"
            path.write_bytes(encoded)
            result = subprocess.run(
                [wasm_tools, "validate", "--features", "all", str(path)],
                capture_output=True,
                text=True,
            )
            assert result.returncode == 0, f"{name} module {index}: {result.stderr}"
