"""Outcomes of running script commands, and their tallies."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional


class Outcome(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class CommandResult:
    """The verdict on one command.

    ``expected``/``actual`` describe what the script asked for and what
    happened (for failures and skips, in words a person can act on).
    ``message_mismatch`` marks a command that raised the right error class
    with a message that does not start with the script's expected text (the
    class decides the verdict; mismatches are tallied separately).
    """

    filename: str
    line: int
    command: str
    outcome: Outcome
    expected: str = ""
    actual: str = ""
    message_mismatch: bool = False

    def describe(self) -> str:
        """``file:line: command: expected ..., got ...``."""
        return (
            f"{self.filename}:{self.line}: {self.command}: "
            f"expected {self.expected}, got {self.actual}"
        )


@dataclass
class Tally:
    """Counts of outcomes, plus the number of message mismatches."""

    passed: int = 0
    failed: int = 0
    skipped: int = 0
    message_mismatches: int = 0

    def add(self, result: CommandResult) -> None:
        if result.outcome is Outcome.PASSED:
            self.passed += 1
        elif result.outcome is Outcome.FAILED:
            self.failed += 1
        else:
            self.skipped += 1
        if result.message_mismatch:
            self.message_mismatches += 1

    def merge(self, other: Tally) -> None:
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped
        self.message_mismatches += other.message_mismatches

    def summary(self) -> str:
        """The closing line: ``N passed, M failed, K skipped``."""
        return f"{self.passed} passed, {self.failed} failed, {self.skipped} skipped"


@dataclass
class ScriptReport:
    """Every command's result for one script file."""

    filename: str
    results: List[CommandResult] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)

    def add(self, result: CommandResult) -> None:
        self.results.append(result)
        self.tally.add(result)

    def failures(self) -> List[CommandResult]:
        return [r for r in self.results if r.outcome is Outcome.FAILED]

    def mismatches(self) -> List[CommandResult]:
        return [r for r in self.results if r.message_mismatch]

    def skipped_by_command(self) -> Dict[str, int]:
        counts: Dict[str, int] = {}
        for result in self.results:
            if result.outcome is Outcome.SKIPPED:
                counts[result.command] = counts.get(result.command, 0) + 1
        return counts


def total(reports: Iterable[ScriptReport], into: Optional[Tally] = None) -> Tally:
    """The sum of the reports' tallies."""
    tally = into if into is not None else Tally()
    for report in reports:
        tally.merge(report.tally)
    return tally


__all__ = ["CommandResult", "Outcome", "ScriptReport", "Tally", "total"]
