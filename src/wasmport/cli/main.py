"""``wasmport``: the command-line entry point (also ``python -m wasmport``)."""

from __future__ import annotations

import argparse
import sys
from typing import Callable, List, Optional, TextIO, cast

from .. import __version__
from ..api import shim
from . import tools, wast


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wasmport", description="A WebAssembly runtime written in Python."
    )
    parser.add_argument("--version", action="version", version=f"wasmport {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    wast.add_parser(subparsers)
    tools.add_parsers(subparsers)
    shim.add_parser(subparsers)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    run = cast(Callable[[argparse.Namespace, TextIO], int], args.run)
    try:
        return run(args, sys.stdout)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1


__all__ = ["build_parser", "main"]
