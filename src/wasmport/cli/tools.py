"""``wasmport validate``, ``wasmport print`` and ``wasmport parse``: one module at a time."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from ..errors import WasmError
from ..features import Features
from ..syntax.ast import Module
from .features import FeatureArgument, feature_names

#: File suffixes read as text; anything else is read as a binary module.
TEXT_SUFFIXES = (".wat", ".wast")


def read_module_file(path: str) -> Module:
    """Decode a ``.wasm`` file or parse a ``.wat`` file (no validation)."""
    with open(path, "rb") as stream:
        data = stream.read()
    if path.endswith(TEXT_SUFFIXES) or not data.startswith(b"\0asm"):
        from ..text import parse_module
        from ..text.sexpr import decode_source

        return parse_module(decode_source(data, path), path)
    from ..binary import decode_module

    return decode_module(data)


def _features_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--features",
        type=FeatureArgument(Features()),
        default=Features(),
        help=f"comma list starting from Wasm 3.0 + threads: all, wasm2, wasm3, NAME, -NAME "
        f"(names: {feature_names()}); write --features=-NAME when the list starts with a minus",
    )


def add_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    validate = subparsers.add_parser("validate", help="decode (or parse) and validate a module")
    validate.add_argument("path", metavar="FILE", help=".wasm or .wat file")
    _features_argument(validate)
    validate.set_defaults(run=run_validate)

    printer = subparsers.add_parser("print", help="print a module as WAT")
    printer.add_argument("path", metavar="FILE", help=".wasm or .wat file")
    printer.set_defaults(run=run_print)

    parse = subparsers.add_parser("parse", help="convert a .wat module to binary")
    parse.add_argument("path", metavar="FILE", help=".wat file")
    parse.add_argument("-o", "--output", required=True, metavar="OUT", help=".wasm to write")
    parse.set_defaults(run=run_parse)


def _report(path: str, error: Exception, err: TextIO) -> int:
    print(f"{path}: error: {error}", file=err)
    return 1


def run_validate(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    from ..valid import validate

    try:
        validate(read_module_file(args.path), args.features)
    except (WasmError, OSError) as error:
        return _report(args.path, error, sys.stderr)
    print(f"{args.path}: valid", file=out)
    return 0


def run_print(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    from ..text.printer import print_module

    try:
        text = print_module(read_module_file(args.path))
    except (WasmError, OSError) as error:
        return _report(args.path, error, sys.stderr)
    out.write(text if text.endswith("\n") else text + "\n")
    return 0


def run_parse(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    from ..binary.encoder import encode_module

    try:
        data = encode_module(read_module_file(args.path))
        with open(args.output, "wb") as stream:
            stream.write(data)
    except (WasmError, OSError) as error:
        return _report(args.path, error, sys.stderr)
    return 0


__all__ = ["add_parsers", "read_module_file", "run_parse", "run_print", "run_validate"]
