"""Binary tests: a summary of the spec suite's byte-for-byte round trips."""

from __future__ import annotations

import pytest
from binary_ast_tools import OUTCOMES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not OUTCOMES:
        return
    exact = sum(outcome.exact for outcome in OUTCOMES.values())
    shortened = [where for outcome in OUTCOMES.values() for where in outcome.shortened]
    terminalreporter.section("binary round trips")
    terminalreporter.write_line(
        f"{exact} spec-suite modules re-encoded byte for byte; {len(shortened)} hand-written "
        "ones with over-long LEB128s re-encoded shorter (the AST does not record "
        "integer widths):"
    )
    for where in shortened:
        terminalreporter.write_line(f"  {where}")
