"""Binary tests: a summary of the spec suite's byte-for-byte round trips."""

from __future__ import annotations

import pytest
from binary_ast_tools import OUTCOMES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not OUTCOMES:
        return
    exact = sum(outcome.exact for outcome in OUTCOMES.values())
    overlong = [where for outcome in OUTCOMES.values() for where in outcome.overlong]
    terminalreporter.section("binary round trips")
    terminalreporter.write_line(
        f"{exact} spec-suite modules re-encoded byte for byte, {len(overlong)} of them "
        "hand-written with over-long LEB128s (their layout dropped, they re-encode shorter):"
    )
    for where in overlong:
        terminalreporter.write_line(f"  {where}")
