"""Sightglass benchmarks through ``wasmport run --preload bench=bench.wat``.

Each benchmark runs in its own directory, preopened as ``.``, with the
``bench`` module (``start``/``end`` markers) preloaded; its stdout and
stderr must equal ``<name>.stdout.expected``/``<name>.stderr.expected``
(or the ``default.*`` files), ignoring trailing whitespace: several recorded
files (libsodium's ``default.stdout.expected``) lack the final newline the
program prints. The portable engine is slow, so these run only
when ``WASMPORT_SIGHTGLASS`` is set: to a comma list of benchmark names,
``all``, or ``portable`` -- the programs ``sightglass_portable.txt`` lists as
``finishes`` (measured within ten minutes by
``benchmarks/sightglass_portable.py``; the others there are for a native
engine, need a feature this milestone lacks, or are components).
``WASMPORT_SIGHTGLASS_TIMEOUT`` (seconds, default 600) bounds each.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Optional, Set

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BENCH_MODULE = Path(__file__).resolve().parent / "bench.wat"
PORTABLE_LIST = Path(__file__).resolve().parent / "sightglass_portable.txt"


def portable_programs() -> Set[str]:
    """The programs ``sightglass_portable.txt`` marks ``finishes``."""
    names = set()
    for line in PORTABLE_LIST.read_text().splitlines():
        fields = line.split()
        if fields and not fields[0].startswith("#") and fields[1:2] == ["finishes"]:
            names.add(fields[0])
    return names


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
    if "portable" in names:
        names |= portable_programs()
    return wasm.stem in names or wasm.parent.name in names


def run_benchmark(wasm: Path, timeout: float) -> subprocess.CompletedProcess[bytes]:
    env = {"PYTHONPATH": str(REPO_ROOT / "src"), "PATH": os.environ.get("PATH", "")}
    command = [sys.executable, "-m", "wasmport", "run", "--preload", f"bench={BENCH_MODULE}",
               "--dir", ".", wasm.name]
    return subprocess.run(command, cwd=wasm.parent, env=env, capture_output=True,
                          timeout=timeout)


def test_sightglass_benchmark(sightglass_wasm: Path) -> None:
    if not selected(sightglass_wasm):
        pytest.skip("set WASMPORT_SIGHTGLASS=all, portable or names to run sightglass benchmarks")
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


VERDICTS = ("finishes", "native-engine", "component", "unconfirmed")


def test_portable_list_names_real_programs(sightglass_dir: Path) -> None:
    """Every row of ``sightglass_portable.txt`` names a program and a known verdict."""
    programs = {wasm.parent.name if wasm.stem == "benchmark" else wasm.stem
                for wasm in sightglass_dir.glob("*/*.wasm")}
    rows = [line.split() for line in PORTABLE_LIST.read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    assert {row[0] for row in rows} == programs
    for row in rows:
        assert row[1] in VERDICTS or row[1].startswith("needs-feature:"), row
    assert portable_programs() <= programs
