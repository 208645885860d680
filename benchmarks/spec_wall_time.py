"""Wall time of the whole spec-suite run on the portable engine.

    python benchmarks/spec_wall_time.py [--all] [--via runner|cli] [--slowest N] [PATH ...]

By default runs every ``.wast`` under ``$WASMPORT_SHARED/testsuite/spec`` (or
``../shared`` beside the checkout) that the portable engine is expected to pass,
i.e. all but those listed in ``tests/engines/portable_spec_expectations.txt``
(what CI's ``tests/engines/test_portable_spec.py`` runs); ``--all`` runs the
listed ones too and reports them on a separate line.

``--via runner`` (the default) runs the scripts in this process through the
script runner with :class:`wasmport.runtime.script_engine.RuntimeEngine`, each
with the features the official suite's directory is written against (as the
``wasmport wast`` command chooses them), and prints per-group counts and the
slowest scripts. ``--via cli`` times ``python -m wasmport wast --engine
portable PATH...`` in a subprocess and reports its closing line (only once the
command has ``--engine``). Wall seconds by ``time.perf_counter``, CPU seconds
by ``time.process_time`` (runner only); the load average is printed because
the machine may be shared.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from _runtimes import REPO, machine_line

from wasmport.runtime.config import Config
from wasmport.runtime.script_engine import RuntimeEngine
from wasmport.script.profiles import features_for_script
from wasmport.script.report import Tally
from wasmport.script.runner import ScriptRunner

EXPECTATIONS = REPO / "tests" / "engines" / "portable_spec_expectations.txt"


def spec_dir() -> Path:
    shared = Path(os.environ.get("WASMPORT_SHARED") or REPO.parent / "shared")
    return shared / "testsuite" / "spec"


def load_expectations() -> Dict[str, str]:
    expected: Dict[str, str] = {}
    if not EXPECTATIONS.exists():
        return expected
    for line in EXPECTATIONS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            path, feature = line.split(None, 1)
            expected[path] = feature.strip()
    return expected


def excluded(script: Path, root: Path, expected: Dict[str, str]) -> bool:
    """Whether the expectations file lists ``script`` (or a directory holding it)."""
    relative = _name(script, root)
    return relative in expected or any(
        path.endswith("/") and relative.startswith(path) for path in expected
    )


def scripts(paths: List[Path]) -> List[Path]:
    found: List[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.rglob("*.wast")))
        elif path.is_file():
            found.append(path)
        else:
            raise SystemExit(f"not found: {path} (set WASMPORT_SHARED)")
    return found


def _name(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def run_one(path: Path) -> Tuple[Tally, float, List[str]]:
    features = features_for_script(path)
    engine = RuntimeEngine(Config(engine="portable", features=features), output=io.StringIO())
    started = time.perf_counter()
    report = ScriptRunner(features, engine).run_file(str(path))
    elapsed = time.perf_counter() - started
    return report.tally, elapsed, [failure.describe() for failure in report.failures()]


def via_runner(files: List[Path], root: Path, show_all: bool, slowest: int) -> int:
    expected = load_expectations()
    groups = {"in scope": Tally(), "listed in expectations": Tally()}
    counts = {"in scope": 0, "listed in expectations": 0}
    seconds: Dict[str, float] = {"in scope": 0.0, "listed in expectations": 0.0}
    timings: List[Tuple[float, str]] = []
    failures: List[str] = []
    wall, cpu = time.perf_counter(), time.process_time()
    for path in files:
        group = "listed in expectations" if excluded(path, root, expected) else "in scope"
        if group != "in scope" and not show_all:
            continue
        tally, elapsed, failed = run_one(path)
        failures.extend(failed)
        groups[group].merge(tally)
        counts[group] += 1
        seconds[group] += elapsed
        timings.append((elapsed, _name(path, root)))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print("| scripts | count | passed | failed | skipped | wall s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for group, tally in groups.items():
        if counts[group]:
            print(f"| {group} | {counts[group]} | {tally.passed} | {tally.failed} "
                  f"| {tally.skipped} | {seconds[group]:.1f} |")
    print()
    print(f"total: {sum(counts.values())} scripts in {wall:.1f} s wall, {cpu:.1f} s CPU")
    if slowest:
        print(f"slowest {min(slowest, len(timings))}: " + ", ".join(
            f"{name} {elapsed:.1f} s" for elapsed, name in sorted(timings, reverse=True)[:slowest]))
    for line in failures[:20]:
        print(f"failed: {line}")
    return 1 if groups["in scope"].failed else 0


def via_cli(files: List[Path]) -> int:
    command = [sys.executable, "-m", "wasmport", "wast", "--engine", "portable",
               *map(str, files)]
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    if "--engine" in done.stderr and done.returncode == 2:
        raise SystemExit("`wasmport wast` has no --engine option yet: use --via runner")
    closing = [line for line in done.stdout.splitlines()
               if re.match(r"\d+ passed, \d+ failed", line)]
    print(f"command: python -m wasmport wast --engine portable ({len(files)} scripts)")
    print(f"closing line: {closing[-1] if closing else '(none)'}")
    print(f"wall: {wall:.1f} s (exit status {done.returncode})")
    return done.returncode


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="scripts or directories")
    parser.add_argument("--all", action="store_true",
                        help="also run the scripts listed in the expectations file")
    parser.add_argument("--via", choices=("runner", "cli"), default="runner")
    parser.add_argument("--slowest", type=int, default=5, help="list the N slowest scripts")
    args = parser.parse_args(argv)
    root = spec_dir()
    files = scripts(args.paths or [root])
    print(f"# spec wall time: {machine_line()}")
    if args.via == "cli":
        expected = load_expectations()
        if not args.all:
            files = [path for path in files if not excluded(path, root, expected)]
        return via_cli(files)
    return via_runner(files, root, args.all, args.slowest)


if __name__ == "__main__":
    sys.exit(main())
