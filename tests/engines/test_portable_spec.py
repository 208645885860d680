"""Acceptance: the spec scripts run fully on the portable engine.

Every script must report 0 failed and 0 skipped commands, except those listed
in ``portable_spec_expectations.txt`` with the feature they need.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Dict, Optional

import pytest

from wasmport.features import Features
from wasmport.runtime.config import Config
from wasmport.runtime.script_engine import RuntimeEngine
from wasmport.script.runner import ScriptRunner

EXPECTATIONS = Path(__file__).with_name("portable_spec_expectations.txt")


def load_expectations() -> Dict[str, str]:
    expected: Dict[str, str] = {}
    for line in EXPECTATIONS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            path, feature = line.split(None, 1)
            expected[path] = feature.strip()
    return expected


def needed_feature(script: Path, spec_root: Path, expected: Dict[str, str]) -> Optional[str]:
    relative = script.relative_to(spec_root).as_posix()
    if relative in expected:
        return expected[relative]
    for path, feature in expected.items():
        if path.endswith("/") and relative.startswith(path):
            return feature
    return None


def test_expectations_name_existing_scripts(spec_dir: Path) -> None:
    for path in load_expectations():
        assert (spec_dir / path).exists(), path


def test_spec_script_on_portable_engine(spec_wast: Path, spec_dir: Path) -> None:
    feature = needed_feature(spec_wast, spec_dir, load_expectations())
    if feature is not None:
        pytest.skip(f"needs {feature} (portable_spec_expectations.txt)")
    engine = RuntimeEngine(Config(engine="portable", features=Features.all()),
                           output=io.StringIO())
    report = ScriptRunner(Features.all(), engine).run_file(str(spec_wast))
    failures = report.failures()
    assert not failures, f"{len(failures)} failed:\n" + "\n".join(
        failure.describe() for failure in failures[:40]
    )
    skipped = [result for result in report.results if result.outcome.name == "SKIPPED"]
    assert not skipped, f"{len(skipped)} skipped"
    assert report.results
