"""``wasmport run -W timeout=DURATION`` in process: epoch interruption, and the
SIGINT handler of the run put back afterwards."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from wasmport.cli.run import TRAP_EXIT_STATUS, main

SPIN = """(module (func $spin (loop $l (br $l)))
  (func (export "_start") (call $spin)))"""

QUICK = """(module (func (export "_start")))"""


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "program.wat"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_an_infinite_loop_traps_with_interrupt(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    before = signal.getsignal(signal.SIGINT)
    assert main(["-W", "timeout=0.5s", write(tmp_path, SPIN)]) == TRAP_EXIT_STATUS
    err = capsys.readouterr().err
    assert "0: program.wat!spin" in err
    assert err.rstrip().endswith("2: wasm trap: interrupt")
    assert signal.getsignal(signal.SIGINT) is before


def test_a_quick_program_is_not_interrupted(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    before = signal.getsignal(signal.SIGINT)
    assert main(["-W", "timeout=30s", write(tmp_path, QUICK)]) == 0
    assert capsys.readouterr().err == ""
    assert signal.getsignal(signal.SIGINT) is before


def test_timeout_with_fuel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Whichever limit comes first ends the loop: both are traps with status 134.
    assert main(["-W", "timeout=30s,fuel=5000", write(tmp_path, SPIN)]) == TRAP_EXIT_STATUS
    assert "all fuel consumed by WebAssembly" in capsys.readouterr().err


def test_a_bad_duration_is_a_usage_error(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-W", "timeout=soon", write(tmp_path, QUICK)]) == 1
    assert "invalid duration" in capsys.readouterr().err
