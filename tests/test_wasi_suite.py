"""The WASI test suite (``testsuite/wasi``) through ``wasmport run``.

Follows ``testsuite/wasi/doc/specification.md``: every ``*.wasm`` is a test
case; stale ``*.cleanup`` artifacts are removed first; a ``.json`` of the
same base name gives the specification (legacy keys ``args``, ``env``,
``root``, ``exit_code``, ``stdout``, ``stderr`` or a list of ``operations``),
a missing one means the defaults. The guest environment is exactly the given
keys, ``root`` is preopened as ``/`` from a temporary copy of that directory,
``args`` follow the module, and the exit code, stdout and stderr are checked.
A stream is compared only when the specification gives it (a ``stdout`` or
``stderr`` key, or a ``read`` operation), as the suite's reference runner
does: several programs print diagnostics nobody specifies (``stdio``,
``poll_oneoff_stdio``, ``path_open_preopen``).
Each program runs in a subprocess on the portable engine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

#: Seconds one program may take on the portable engine.
TIMEOUT = 600


@dataclass
class Expectation:
    """What one test case runs with and must produce."""

    args: List[str] = field(default_factory=list)
    env: Dict[str, str] = field(default_factory=dict)
    root: Optional[str] = None
    exit_code: int = 0
    outputs: List[Tuple[str, str]] = field(default_factory=list)


def _from_operations(spec: Dict[str, Any]) -> Expectation:
    expectation = Expectation()
    runs = 0
    for operation in spec["operations"]:
        kind = operation.get("type")
        if kind == "run":
            runs += 1
            expectation.args = list(operation.get("args", []))
            expectation.env = dict(operation.get("env", {}))
            expectation.root = operation.get("root")
        elif kind == "wait":
            expectation.exit_code = int(operation.get("exit_code", 0))
        elif kind == "read":
            expectation.outputs.append((operation.get("id", "stdout"),
                                        operation.get("payload", "")))
        else:
            raise ValueError(f"operation {kind!r} needs a network client (not supported)")
    if runs != 1:
        raise ValueError("a specification needs exactly one run operation")
    return expectation


def load_expectation(wasm: Path) -> Expectation:
    """The specification for ``wasm`` (defaults when there is no ``.json``)."""
    spec_path = wasm.with_suffix(".json")
    spec: Dict[str, Any] = {}
    if spec_path.exists():
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
    if "operations" in spec:
        return _from_operations(spec)
    return Expectation(
        args=list(spec.get("args", [])),
        env=dict(spec.get("env", {})),
        root=spec.get("root"),
        exit_code=int(spec.get("exit_code", 0)),
        outputs=[(stream, spec[stream]) for stream in ("stdout", "stderr") if stream in spec],
    )


def remove_cleanup_files(directory: Path) -> None:
    for stale in directory.rglob("*.cleanup"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale)
        else:
            stale.unlink()


def command(wasm: Path, expectation: Expectation, root: Optional[Path]) -> List[str]:
    cmd = [sys.executable, "-m", "wasmport", "run", "--engine", "portable"]
    for name, value in expectation.env.items():
        cmd += ["--env", f"{name}={value}"]
    if root is not None:
        cmd += ["--dir", f"{root}::/"]
    return cmd + [str(wasm)] + expectation.args


def run_case(wasm: Path) -> List[str]:
    """Run one program; the list of mismatches (empty: passed)."""
    expectation = load_expectation(wasm)
    with tempfile.TemporaryDirectory(prefix="wasmport-wasi-") as scratch:
        root: Optional[Path] = None
        if expectation.root is not None:
            root = Path(scratch) / "root"
            shutil.copytree(wasm.parent / expectation.root, root, symlinks=True)
        env = {"PYTHONPATH": str(REPO_ROOT / "src"), "PATH": os.environ.get("PATH", "")}
        done = subprocess.run(command(wasm, expectation, root), env=env, cwd=scratch,
                              capture_output=True, timeout=TIMEOUT)
    streams = {"stdout": done.stdout.decode("utf-8", "replace"),
               "stderr": done.stderr.decode("utf-8", "replace")}
    problems = []
    if done.returncode != expectation.exit_code:
        problems.append(f"exit code {done.returncode}, expected {expectation.exit_code}")
    for stream, payload in expectation.outputs:
        if streams[stream] != payload:
            problems.append(f"{stream} {streams[stream]!r}, expected {payload!r}")
    return problems


@pytest.fixture(scope="module")
def clean_suite(wasi_dir: Path) -> Path:
    remove_cleanup_files(wasi_dir)
    return wasi_dir


def test_wasi_program(wasi_wasm: Path, clean_suite: Path,
                      suite_totals: Dict[str, Dict[str, int]]) -> None:
    problems = run_case(wasi_wasm)
    totals = suite_totals.setdefault("wasi suite", {"passed": 0, "failed": 0})
    totals["failed" if problems else "passed"] += 1
    assert not problems, "; ".join(problems)


if __name__ == "__main__":
    # ``python tests/test_wasi_suite.py DIR``: run the suite without pytest.
    suite = Path(sys.argv[1] if len(sys.argv) > 1 else REPO_ROOT.parent / "shared/testsuite/wasi")
    remove_cleanup_files(suite)
    failed = 0
    cases = sorted(suite.rglob("*.wasm"))
    for case in cases:
        found = run_case(case)
        failed += bool(found)
        print(("FAIL " if found else "ok   ") + str(case.relative_to(suite)),
              "; ".join(found)[:600] if found else "")
    print(f"{len(cases) - failed} passed, {failed} failed")
