"""Sightglass benchmarks through ``wasmport run --preload bench=bench.wat``.

Each benchmark runs in its own directory, preopened as ``.``, with the
``bench`` module (``start``/``end`` markers) preloaded; its stdout and
stderr must equal ``<name>.stdout.expected``/``<name>.stderr.expected``
(or the ``default.*`` files), ignoring trailing whitespace: several recorded
files (libsodium's ``default.stdout.expected``) lack the final newline the
program prints. The portable engine is slow, so these run only
when ``WASMPORT_SIGHTGLASS`` is set: to a comma list of benchmark names (or
``all``). ``WASMPORT_SIGHTGLASS_TIMEOUT`` (seconds, default 600) bounds each.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BENCH_MODULE = Path(__file__).resolve().parent / "bench.wat"


def expected_file(wasm: Path, stream: str) -> Optional[Path]:
    for stem in (wasm.stem, "default"):
        candidate = wasm.parent / f"{stem}.{stream}.expected"
        if candidate.exists():
            return candidate
    return None


def same_output(actual: bytes, expected: bytes) -> bool:
    return actual.rstrip() == expected.rstrip()


def selected(wasm: Path) -> bool:
    wanted = os.environ.get("WASMPORT_SIGHTGLASS", "")
    if wanted == "all":
        return True
    names = {name.strip() for name in wanted.split(",") if name.strip()}
    return wasm.stem in names or wasm.parent.name in names


def run_benchmark(wasm: Path, timeout: float) -> subprocess.CompletedProcess[bytes]:
    env = {"PYTHONPATH": str(REPO_ROOT / "src"), "PATH": os.environ.get("PATH", "")}
    command = [sys.executable, "-m", "wasmport", "run", "--preload", f"bench={BENCH_MODULE}",
               "--dir", ".", wasm.name]
    return subprocess.run(command, cwd=wasm.parent, env=env, capture_output=True,
                          timeout=timeout)


def test_sightglass_benchmark(sightglass_wasm: Path) -> None:
    if not selected(sightglass_wasm):
        pytest.skip("set WASMPORT_SIGHTGLASS=all (or names) to run sightglass benchmarks")
    stdout = expected_file(sightglass_wasm, "stdout")
    stderr = expected_file(sightglass_wasm, "stderr")
    if stdout is None and stderr is None:
        pytest.skip("no expected output recorded for this benchmark")
    timeout = float(os.environ.get("WASMPORT_SIGHTGLASS_TIMEOUT", "600"))
    done = run_benchmark(sightglass_wasm, timeout)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    if stdout is not None:
        assert same_output(done.stdout, stdout.read_bytes())
    if stderr is not None:
        assert same_output(done.stderr, stderr.read_bytes())
