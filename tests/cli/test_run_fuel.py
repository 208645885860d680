"""``wasmport run -W fuel=N``: a guest gets N units of fuel and traps when it
runs out (see wasmport.engines.portable.metering for what costs fuel)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasmport.cli.run import TRAP_EXIT_STATUS, main

SPIN = """(module (func $spin (loop $l (br $l)))
  (func (export "_start") (call $spin)))"""

#: ``twice`` costs 1 (entry) + 3 = 4 units; ``_start`` 1 + 2 (``drop`` is free) + 4 = 7.
TWICE = """(module
  (func $twice (export "twice") (param i32) (result i32)
    (i32.add (local.get 0) (local.get 0)))
  (func (export "_start") (drop (call $twice (i32.const 21)))))"""


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "program.wat"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_running_out_of_fuel_traps_with_a_backtrace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["-W", "fuel=1000", write(tmp_path, SPIN)])
    assert status == TRAP_EXIT_STATUS
    err = capsys.readouterr().err
    assert "error while executing at wasm backtrace:" in err
    assert "0: program.wat!spin" in err
    assert err.rstrip().endswith("wasm trap: all fuel consumed by WebAssembly")


def test_enough_fuel_runs_to_the_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-W", "fuel=7", write(tmp_path, TWICE)]) == 0
    assert main(["-W", "fuel=6", write(tmp_path, TWICE)]) == TRAP_EXIT_STATUS
    assert "all fuel consumed" in capsys.readouterr().err


def test_fuel_with_invoke(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, TWICE)
    assert main(["-W", "fuel=4", "--invoke", "twice", path, "4"]) == 0
    assert capsys.readouterr().out == "8\n"
    assert main(["-W", "fuel=3", "--invoke", "twice", path, "4"]) == TRAP_EXIT_STATUS


def test_fuel_beside_other_limits(tmp_path: Path) -> None:
    path = write(tmp_path, TWICE)
    assert main(["-W", "fuel=100,max-wasm-stack=65536", path]) == 0
    assert main(["-W", "max-memory-size=65536", "-W", "fuel=0x64", path]) == 0


@pytest.mark.parametrize("value", ["abc", "-5", ""])
def test_bad_fuel_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   value: str) -> None:
    assert main(["-W", f"fuel={value}", write(tmp_path, TWICE)]) == 1
    assert "fuel" in capsys.readouterr().err
