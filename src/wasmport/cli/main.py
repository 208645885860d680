"""``wasmport``: the command-line entry point (also ``python -m wasmport``).

As with ``wasmtime``, a first argument that is not a command name means
``run``: ``wasmport [OPTIONS] MODULE [ARGS...]`` is ``wasmport run ...``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable, List, Optional, TextIO, cast

from .. import __version__
from ..api import shim
from . import run as run_command
from . import tools, wast


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wasmport", description="A WebAssembly runtime written in Python."
    )
    parser.add_argument("--version", action="version", version=f"wasmport {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    run_command.add_parser(subparsers)
    wast.add_parser(subparsers)
    tools.add_parsers(subparsers)
    shim.add_parser(subparsers)
    return parser


def command_names(parser: argparse.ArgumentParser) -> List[str]:
    """The subcommands ``parser`` knows."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


def with_default_command(argv: List[str], parser: argparse.ArgumentParser) -> List[str]:
    """``argv`` with ``run`` in front unless it starts with a command or a top-level flag."""
    if not argv or argv[0] in command_names(parser) or argv[0] in ("-h", "--help", "--version"):
        return argv
    return ["run"] + argv


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(with_default_command(list(sys.argv[1:] if argv is None else argv),
                                                  parser))
    run = cast(Callable[[argparse.Namespace, TextIO], int], args.run)
    try:
        return run(args, sys.stdout)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1


__all__ = ["build_parser", "main"]
