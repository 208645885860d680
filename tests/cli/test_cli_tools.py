"""``wasmport validate``, ``print`` and ``parse``, and ``python -m wasmport``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from wasmport.binary import decode_module
from wasmport.cli.main import main

ADD_ONE = '(module (func (export "f") (param i32) (result i32) local.get 0 i32.const 1 i32.add))'


def test_parse_writes_a_binary_that_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, binary = tmp_path / "m.wat", tmp_path / "m.wasm"
    text.write_text(ADD_ONE)
    assert main(["parse", str(text), "-o", str(binary)]) == 0
    module = decode_module(binary.read_bytes())
    assert [export.name for export in module.exports] == ["f"]
    assert main(["validate", str(binary)]) == 0
    assert capsys.readouterr().out == f"{binary}: valid\n"


def test_print_shows_the_instructions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "m.wat"
    text.write_text(ADD_ONE)
    assert main(["print", str(text)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("(module") and "i32.add" in printed


def test_validate_reports_an_invalid_module(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "bad.wat"
    text.write_text("(module (func (result i32)))")
    assert main(["validate", str(text)]) == 1
    assert capsys.readouterr().err.startswith(f"{text}: error: type mismatch")


def test_validate_honours_features(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "ext.wat"
    text.write_text("(module (func (drop (i32.extend8_s (i32.const 1)))))")
    assert main(["validate", str(text)]) == 0
    assert main(["validate", "--features=-sign-extension", str(text)]) == 1
    assert "sign-extension" in capsys.readouterr().err


def test_malformed_binary_is_an_error_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "cut.wasm"
    binary.write_bytes(b"\0asm\1\0\0\0\1")
    assert main(["validate", str(binary)]) == 1
    assert capsys.readouterr().err.startswith(f"{binary}: error: ")


def test_python_dash_m_runs_the_same_command(tmp_path: Path) -> None:
    script = tmp_path / "s.wast"
    script.write_text("(module)")
    src = Path(__file__).resolve().parents[2] / "src"
    done = subprocess.run(
        [sys.executable, "-m", "wasmport", "wast", str(script)],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(src)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "1 passed, 0 failed, 0 skipped"
