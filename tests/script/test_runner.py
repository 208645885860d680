"""The script runner: static checks, error classes, skips and the engine hook."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

from wasmport.cli.main import main
from wasmport.features import Feature, Features
from wasmport.script import ast
from wasmport.script.engine import Engine, Result
from wasmport.script.parser import parse_script
from wasmport.script.report import Outcome, ScriptReport
from wasmport.script.runner import ScriptRunner
from wasmport.syntax.ast import Module
from wasmport.syntax.types import NumType

EMPTY = '"\\00asm\\01\\00\\00\\00"'


def run(source: str, features: Optional[Features] = None) -> ScriptReport:
    return ScriptRunner(features).run(parse_script(source, "t.wast"))


def outcomes(report: ScriptReport) -> List[Tuple[str, Outcome]]:
    return [(result.command, result.outcome) for result in report.results]


def test_valid_modules_pass() -> None:
    report = run(f"(module (func)) (module binary {EMPTY}) (module quote \"(memory 1)\")")
    assert outcomes(report) == [("module", Outcome.PASSED)] * 3


def test_invalid_module_definition_fails_with_the_error() -> None:
    report = run("(module (func (result i32)))")
    (result,) = report.results
    assert result.outcome is Outcome.FAILED
    assert result.expected == "a valid module"
    assert result.actual.startswith("ValidationError")
    assert result.describe().startswith("t.wast:1: module: expected a valid module, got ")


def test_malformed_binary_needs_a_decode_error() -> None:
    report = run('(assert_malformed (module binary "\\00asm") "unexpected end")')
    (result,) = report.results
    assert result.outcome is Outcome.PASSED and not result.message_mismatch


def test_malformed_quote_needs_a_parse_error() -> None:
    report = run('(assert_malformed (module quote "(func (i32.const))") "unexpected token")')
    assert outcomes(report) == [("assert_malformed", Outcome.PASSED)]


def test_malformed_module_that_reads_fine_fails() -> None:
    report = run(f'(assert_malformed (module binary {EMPTY}) "whatever")')
    (result,) = report.results
    assert result.outcome is Outcome.FAILED and result.actual == "no error"


def test_invalid_needs_a_validation_error() -> None:
    report = run('(assert_invalid (module (func (result i32))) "type mismatch")')
    assert outcomes(report) == [("assert_invalid", Outcome.PASSED)]


def test_wrong_error_class_fails() -> None:
    report = run('(assert_invalid (module binary "\\00asm") "type mismatch")')
    (result,) = report.results
    assert result.outcome is Outcome.FAILED
    assert result.actual.startswith("DecodeError")


def test_message_mismatch_is_recorded_but_passes() -> None:
    report = run('(assert_invalid (module (func (result i32))) "no such message")')
    (result,) = report.results
    assert result.outcome is Outcome.PASSED and result.message_mismatch
    assert report.tally.message_mismatches == 1


def test_malformed_utf8_in_quote_is_a_parse_error() -> None:
    report = run('(assert_malformed (module quote "(func $\\ff)") "malformed UTF-8 encoding")')
    assert outcomes(report) == [("assert_malformed", Outcome.PASSED)]


def test_runtime_commands_are_skipped_and_their_modules_checked() -> None:
    report = run(
        '(module (func (export "f") (result i32) (i32.const 1)))\n'
        '(assert_return (invoke "f") (i32.const 1))\n'
        '(register "m")\n'
        '(assert_trap (module (func $s unreachable) (start $s)) "unreachable")\n'
        '(assert_unlinkable (module (import "x" "y" (func))) "unknown import")\n'
        '(assert_uninstantiable (module (func (result i32))) "x")\n'
    )
    assert outcomes(report) == [
        ("module", Outcome.PASSED),
        ("assert_return", Outcome.SKIPPED),
        ("register", Outcome.SKIPPED),
        ("assert_trap", Outcome.SKIPPED),
        ("assert_unlinkable", Outcome.SKIPPED),
        ("assert_uninstantiable", Outcome.FAILED),  # its module is invalid
    ]


def test_features_gate_validation() -> None:
    source = "(module (func (drop (i32.extend8_s (i32.const 1)))))"
    assert run(source).tally.failed == 0
    without = Features().without(Feature.SIGN_EXTENSION)
    report = run(source, without)
    assert report.tally.failed == 1
    assert "sign-extension" in report.results[0].actual


def test_unexpected_exception_is_the_commands_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(module: Module, features: Optional[Features] = None) -> None:
        raise IndexError("boom")

    monkeypatch.setattr("wasmport.script.loader.validate", broken)
    report = run("(module) (module)")
    assert [r.outcome for r in report.results] == [Outcome.FAILED, Outcome.FAILED]
    assert "internal error IndexError: boom" in report.results[0].actual


class RecordingEngine(Engine):
    """A test engine: remembers calls, answers invocations from a table."""

    trap_errors = (RuntimeError,)

    def __init__(self, answers: Dict[str, Tuple[Result, ...]]) -> None:
        self.answers = answers
        self.calls: List[str] = []

    def instantiate(self, module: Module, name: Optional[str]) -> None:
        self.calls.append(f"instantiate {name}")

    def define(self, module: Module, name: Optional[str]) -> None:
        self.calls.append(f"define {name}")

    def instantiate_definition(self, definition: Optional[str], name: Optional[str]) -> None:
        self.calls.append(f"instance {name} of {definition}")

    def register(self, as_name: str, module: Optional[str]) -> None:
        self.calls.append(f"register {as_name}")

    def invoke(
        self, module: Optional[str], name: str, args: Tuple[ast.Value, ...]
    ) -> Tuple[Result, ...]:
        self.calls.append(f"invoke {name}")
        if name == "trap":
            raise RuntimeError("unreachable")
        return self.answers[name]

    def get(self, module: Optional[str], name: str) -> Result:
        return self.answers[name][0]


def test_engine_hook_executes_runtime_commands() -> None:
    one = ast.NumValue(NumType.I32, 1)
    engine = RecordingEngine({"f": (one,), "g": (one,)})
    script = parse_script(
        "(module $m (func))\n"
        '(assert_return (invoke "f") (i32.const 1))\n'
        '(assert_return (invoke "f") (i32.const 2))\n'
        '(assert_return (get "g") (i32.const 1))\n'
        '(assert_trap (invoke "trap") "unreachable")\n'
        '(register "lib" $m)\n',
        "t.wast",
    )
    report = ScriptRunner(engine=engine).run(script)
    assert [r.outcome for r in report.results] == [
        Outcome.PASSED,
        Outcome.PASSED,
        Outcome.FAILED,
        Outcome.PASSED,
        Outcome.PASSED,
        Outcome.PASSED,
    ]
    assert engine.calls == ["instantiate m", "invoke f", "invoke f", "invoke trap", "register lib"]


def test_cli_prints_failures_and_the_closing_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "s.wast"
    script.write_text(
        "(module)\n"
        '(assert_invalid (module) "type mismatch")\n'
        '(assert_return (invoke "f"))\n'
    )
    status = main(["wast", "--engine", "none", str(tmp_path)])
    lines = capsys.readouterr().out.splitlines()
    assert status == 1
    assert lines[0] == f"{script}:2: assert_invalid: expected ValidationError \"type mismatch\", got no error"
    assert lines[-1] == "1 passed, 1 failed, 1 skipped"


def test_cli_reports_a_script_that_does_not_parse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "bad.wast"
    script.write_text("(module)\n(assert_return")
    assert main(["wast", str(script)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{script}:2: script: expected a script that parses, got ParseError")
    assert out[-1] == "0 passed, 1 failed, 0 skipped"


def test_cli_exit_status_zero_when_nothing_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "ok.wast"
    script.write_text("(module (func))")
    assert main(["wast", "--features", "wasm2", str(script)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 passed, 0 failed, 0 skipped"


def test_cli_reports_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.wast"
    assert main(["wast", str(missing)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"{missing}:0: script: expected a readable file, got FileNotFoundError: "
        "No such file or directory"
    )
    assert out[-1] == "0 passed, 1 failed, 0 skipped"


def test_custom_assertions_are_checked() -> None:
    hint = '(@metadata.code.branch_hint \\"\\\\01\\")'
    report = run(
        f'(assert_malformed_custom (module quote "(func {hint} {hint} (if (i32.const 0) (then)))")'
        ' "@metadata.code.branch_hint annotation: duplicate annotation")'
        '(assert_invalid_custom (module (func (i32.const 0) (@metadata.code.branch_hint "\\01")'
        ' (drop))) "@metadata.code.branch_hint annotation: invalid target")'
        '(assert_malformed_custom (module (func)) "@custom annotation: missing section name")'
        '(assert_invalid_custom (module (func)) "whatever")'
    )
    assert outcomes(report) == [
        ("assert_malformed_custom", Outcome.PASSED),
        ("assert_invalid_custom", Outcome.PASSED),
        ("assert_malformed_custom", Outcome.FAILED),
        ("assert_invalid_custom", Outcome.FAILED),
    ]
    assert not any(result.message_mismatch for result in report.results)
    assert report.results[2].actual == "no error"
