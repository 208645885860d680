"""``wasmport wast`` executes scripts on the portable engine by default."""

from __future__ import annotations

from pathlib import Path

from wasmport.cli.main import main

SCRIPT = """(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "trap") (unreachable)))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_trap (invoke "trap") "unreachable")
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 4))
"""


def test_wast_runs_commands_on_the_engine(tmp_path: Path, capsys) -> None:
    script = tmp_path / "s.wast"
    script.write_text(SCRIPT)
    assert main(["wast", str(script)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "3 passed, 1 failed, 0 skipped"
    assert lines[0].startswith(f"{script}:6: assert_return")


def test_wast_engine_choice(tmp_path: Path, capsys) -> None:
    script = tmp_path / "s.wast"
    script.write_text(SCRIPT)
    assert main(["wast", "--engine", "portable-flat", str(script)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "3 passed, 1 failed, 0 skipped"
    assert main(["wast", "--engine", "none", str(script)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 passed, 0 failed, 3 skipped"
