"""``wasmport run``'s trap backtrace: each Wasm frame with the byte offset of
the instruction it executes (for a binary module), as wasmtime prints it."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasmport.binary import encode_module
from wasmport.cli.run import TRAP_EXIT_STATUS, main
from wasmport.text import parse_module

PROGRAM = """(module $m
  (func $bar (param i32) (result i32) i32.const 7 local.get 0 i32.div_u)
  (func $foo (param i32) (result i32) local.get 0 return_call $bar)
  (func $spin (loop $l (br $l)))
  (func (export "_start") i32.const 0 call $foo drop)
  (func (export "spin") call $spin))"""


def binary(tmp_path: Path) -> str:
    path = tmp_path / "program.wasm"
    path.write_bytes(bytes(encode_module(parse_module(PROGRAM))))
    return str(path)


def test_frames_carry_instruction_offsets(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main([binary(tmp_path)]) == TRAP_EXIT_STATUS
    lines = capsys.readouterr().err.splitlines()
    start = lines.index("    1: error while executing at wasm backtrace:")
    # $foo tail-called $bar, so its frame is gone; offsets as wasmtime reports them.
    assert lines[start + 1:start + 4] == [
        "           0:     0x37 - m!bar",
        "           1:     0x4c - m!<wasm function 3>",
        "    2: wasm trap: integer divide by zero",
    ]


def test_running_out_of_fuel_in_a_binary(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["-W", "fuel=500", "--invoke", "spin", binary(tmp_path)])
    assert status == TRAP_EXIT_STATUS
    err = capsys.readouterr().err
    # The offsets wasmtime reports for this binary.
    assert "           0:     0x42 - m!spin\n           1:     0x52 - m!<wasm function 4>\n" in err
    assert err.endswith("wasm trap: all fuel consumed by WebAssembly\n")


def test_text_modules_have_no_offsets(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "program.wat"
    path.write_text(PROGRAM, encoding="utf-8")
    assert main([str(path)]) == TRAP_EXIT_STATUS
    assert "           0: m!bar\n" in capsys.readouterr().err
