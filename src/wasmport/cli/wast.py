"""``wasmport wast FILE...``: check WAST scripts and report every failure."""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, TextIO

from ..features import Features
from ..script.engine import Engine
from ..script.report import ScriptReport, Tally
from .features import FeatureArgument, feature_names


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "wast",
        help="check .wast scripts (directories are searched for *.wast)",
        description=(
            "Run each script: static checks (module definitions, assert_malformed, "
            "assert_invalid) and, on the chosen engine, every command that needs "
            "execution. With --engine none those are counted as skipped."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="FILE", help=".wast file or directory")
    parser.add_argument(
        "--features",
        type=FeatureArgument(Features.all()),
        default=None,
        help=f"comma list starting from all features: all, wasm2, wasm3, NAME, -NAME "
        f"(names: {feature_names()}); write --features=-NAME when the list starts with a "
        "minus. Default: the features each script of the official suite is written "
        "against (by its directory: proposals/NAME/, legacy/), Wasm 3.0 elsewhere",
    )
    parser.add_argument(
        "--show-mismatches",
        action="store_true",
        help="also list commands that failed with the right error class but another message",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print each file's tally as it finishes"
    )
    parser.add_argument(
        "--engine",
        default="portable",
        help="execution tier for commands that need a runtime (default portable; "
        "'none' checks statically and skips them)",
    )
    parser.set_defaults(run=run)


def script_paths(paths: Iterable[str]) -> Iterator[str]:
    """The given files, and every ``*.wast`` under the given directories (sorted)."""
    for path in paths:
        if os.path.isdir(path):
            for found in sorted(Path(path).rglob("*.wast")):
                yield str(found)
        else:
            yield path


def _print_report(report: ScriptReport, args: argparse.Namespace, out: TextIO) -> None:
    for failure in report.failures():
        print(failure.describe(), file=out)
    if args.show_mismatches:
        for result in report.mismatches():
            print(f"message mismatch: {result.describe()}", file=out)
    if args.verbose:
        print(f"{report.filename}: {report.tally.summary()}", file=out)


def _engine(name: str, features: Features) -> Optional[Engine]:
    """A fresh runtime for one script (None for ``--engine none``)."""
    if name == "none":
        return None
    from ..runtime.config import Config
    from ..runtime.script_engine import RuntimeEngine

    # spectest's print functions write to a discarded stream, not the report.
    return RuntimeEngine(Config(engine=name, features=features), output=io.StringIO())


def run(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    from ..script.profiles import features_for_script
    from ..script.runner import ScriptRunner

    tally = Tally()
    files: List[str] = list(script_paths(args.paths))
    started = time.perf_counter()
    for path in files:
        features = args.features or features_for_script(path)
        report = ScriptRunner(features, _engine(args.engine, features)).run_file(path)
        _print_report(report, args, out)
        tally.merge(report.tally)
    elapsed = time.perf_counter() - started
    if tally.message_mismatches:
        print(
            f"{tally.message_mismatches} message mismatches "
            "(right error class, message differs from the script's text)",
            file=out,
        )
    print(f"{len(files)} scripts in {elapsed:.1f}s", file=out)
    print(tally.summary(), file=out)
    return 1 if tally.failed else 0


__all__ = ["add_parser", "run", "script_paths"]
