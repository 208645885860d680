"""Acceptance: every spec script parses and every static check passes.

One case per ``.wast`` file under the shared spec suite (Wasm 3.0 core,
``proposals/``, ``legacy/`` and ``custom/``), run by our own script runner:
each ``module`` decodes (or parses) and validates, each ``assert_malformed``
and ``assert_invalid`` fails with the right error class. Commands that need
execution are skipped until the runtime exists.

Each script runs with the features its part of the suite is written against
(:func:`wasmport.script.profiles.features_for_script`).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Dict

from wasmport.script.profiles import features_for_script
from wasmport.script.runner import ScriptRunner


def test_spec_script(spec_wast: Path, suite_totals: Dict[str, Dict[str, int]]) -> None:
    report = ScriptRunner(features_for_script(spec_wast)).run_file(str(spec_wast))
    totals = suite_totals.setdefault("spec suite commands", defaultdict(int))
    for key, value in vars(report.tally).items():
        totals[key] += value
    failures = report.failures()
    assert not failures, f"{len(failures)} failed:\n" + "\n".join(
        failure.describe() for failure in failures[:40]
    )
    assert report.results, "the script has no commands"
