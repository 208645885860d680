"""Acceptance: wasmtime-py 46.0.1's own core tests, run unmodified through ``wasmport shim``.

The tests come from the package's sdist on PyPI and are never copied into this
repository. ``WASMTIME_PY_SDIST`` may name an unpacked sdist; otherwise, under
CI, the sdist is fetched with ``pip download``; elsewhere the test is skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from shared_suites import in_ci

from wasmport.api import shim

#: Integration tests that install third-party packages: CI runs them on the
#: main Python only (marker "suite"), not in the unit runs on other Pythons.
pytestmark = pytest.mark.suite

VERSION = "46.0.1"
EXPECTED_TESTS = 99


def sdist_tests(work: Path) -> Path:
    """The ``tests`` directory of the wasmtime-py sdist."""
    given = os.environ.get("WASMTIME_PY_SDIST")
    if given:
        return Path(given) / "tests"
    if not in_ci():
        pytest.skip("set WASMTIME_PY_SDIST to an unpacked wasmtime sdist (CI downloads it)")
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                    f"wasmtime=={VERSION}", "-d", str(work)], check=True, timeout=600)
    with tarfile.open(work / f"wasmtime-{VERSION}.tar.gz") as archive:
        members = [m for m in archive.getmembers() if "/tests/" in m.name and m.isfile()]
        archive.extractall(work, members=members)
    return work / f"wasmtime-{VERSION}" / "tests"


def test_wasmtime_py_core_suite(tmp_path: Path) -> None:
    pytest.importorskip("pytest")
    source = sdist_tests(tmp_path / "sdist")
    run_dir = tmp_path / "run"
    shutil.copytree(source, run_dir / "tests", ignore=shutil.ignore_patterns("component"))
    (run_dir / "wasmtime").mkdir()  # test_wasi preopens the relative directory "wasmtime"
    done = subprocess.run(
        [sys.executable, "-m", "wasmport.api.shim", "--", sys.executable, "-m", "pytest", "-q",
         "-p", "no:cacheprovider", "-o", "addopts=", "-c", os.devnull, "--rootdir", str(run_dir),
         "tests"],
        cwd=run_dir, capture_output=True, text=True, timeout=1800,
        env=shim.with_wasmport(),
    )
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
    assert f"{EXPECTED_TESTS} passed" in summary, summary
