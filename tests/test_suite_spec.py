"""Acceptance: every spec script parses and every static check passes.

One case per ``.wast`` file under the shared spec suite (Wasm 3.0 core,
``proposals/``, ``legacy/`` and ``custom/``), run by our own script runner:
each ``module`` decodes (or parses) and validates, each ``assert_malformed``
and ``assert_invalid`` fails with the right error class. Commands that need
execution are skipped until the runtime exists.

Scripts run with every feature enabled, except the threads proposal's: they
are written against Wasm 1.0 plus threads, so they expect a second table or
memory to be invalid (reference types and multi-memory are off for them).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Dict, Tuple

from wasmport.features import WASM2, Feature, Features
from wasmport.script.runner import ScriptRunner

#: Features for the scripts of a directory of the suite (first match wins).
DIRECTORY_FEATURES: Tuple[Tuple[str, Features], ...] = (
    (
        "proposals/threads",
        Features.of(WASM2 | {Feature.THREADS}).without(Feature.REFERENCE_TYPES),
    ),
)


def features_for(script: Path) -> Features:
    posix = script.as_posix()
    for directory, features in DIRECTORY_FEATURES:
        if f"/{directory}/" in posix:
            return features
    return Features.all()


def test_spec_script(spec_wast: Path, suite_totals: Dict[str, Dict[str, int]]) -> None:
    report = ScriptRunner(features_for(spec_wast)).run_file(str(spec_wast))
    totals = suite_totals.setdefault("spec suite commands", defaultdict(int))
    for key, value in vars(report.tally).items():
        totals[key] += value
    failures = report.failures()
    assert not failures, f"{len(failures)} failed:\n" + "\n".join(
        failure.describe() for failure in failures[:40]
    )
    assert report.results, "the script has no commands"
