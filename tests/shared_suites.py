"""Where the shared test suites live, for tests and fixtures alike.

Import these helpers as ``from shared_suites import suite_path`` (``tests/`` is
on pytest's ``pythonpath``); never import from ``conftest``, whose module name
is not unique. The fixtures built on them are in ``tests/conftest.py``.

The suites sit outside the repository, in ``$WASMPORT_SHARED`` (default: the
``shared`` directory beside the checkout). A missing suite skips the tests that
need it -- except under CI (``CI`` set to anything but ``0``/``false``/``no``),
where it is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

#: Suite name -> (path inside the shared directory, file pattern for parametrising).
SUITES: Dict[str, Tuple[str, str]] = {
    "spec": ("testsuite/spec", "*.wast"),
    "wasi": ("testsuite/wasi", "*.wasm"),
    "sightglass": ("bench/sightglass", "*.wasm"),
}

#: Suites (and tools) found missing during this session, with the reason.
MISSING: Dict[str, str] = {}


def in_ci() -> bool:
    """True when running under CI, where missing suites must fail."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def shared_root() -> Path:
    """The shared directory: ``$WASMPORT_SHARED`` or ``<repo>/../shared``."""
    configured = os.environ.get("WASMPORT_SHARED")
    if configured:
        return Path(configured).expanduser().resolve()
    return (REPO_ROOT.parent / "shared").resolve()


def suite_path(name: str) -> Path:
    """Where suite ``name`` should be (it may not exist)."""
    return shared_root() / SUITES[name][0]


def suite_files(name: str) -> List[Path]:
    """Every file of suite ``name`` matching its pattern, sorted; [] if missing."""
    root = suite_path(name)
    if not root.is_dir():
        return []
    return sorted(root.rglob(SUITES[name][1]))


def require_suite(name: str) -> Path:
    """Return suite ``name``'s directory, or skip (fail under CI) if it is missing."""
    path = suite_path(name) if name in SUITES else shared_root()
    if path.is_dir():
        return path
    reason = (
        f"shared suite '{name}' not found at {path} "
        "(set WASMPORT_SHARED to the directory holding testsuite/ and bench/)"
    )
    MISSING[name] = reason
    if in_ci():
        pytest.fail(f"{reason}; under CI every shared suite is required", pytrace=False)
    pytest.skip(reason)


__all__ = [
    "MISSING",
    "REPO_ROOT",
    "SUITES",
    "in_ci",
    "require_suite",
    "shared_root",
    "suite_files",
    "suite_path",
]
