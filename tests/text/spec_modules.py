"""Find every module of a spec ``.wast`` script and check our text parser on it.

Text modules are parsed with :func:`wasmport.text.module_from_sexpr` and
compared with the reference tool's binary of the same module (written by
``wasm-tools json-from-wast``); ``(module quote ...)`` inside
``assert_malformed`` must raise :class:`~wasmport.errors.ParseError`.

Run as a script for a summary: ``PYTHONPATH=src python tests/text/spec_modules.py [FILES]``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from wasmport.errors import ParseError, WasmError
from wasmport.syntax import ast
from wasmport.text import module_from_sexpr, parse_module
from wasmport.text.lexer import Token, TokenKind
from wasmport.text.literals import string_bytes
from wasmport.text.sexpr import SList, read

CACHE = Path(tempfile.gettempdir()) / "wasmport-json-from-wast"

#: Commands whose second item may be a module.
_MODULE_ASSERTIONS = (
    "assert_invalid",
    "assert_unlinkable",
    "assert_uninstantiable",
    "assert_trap",
    "assert_malformed",
    "assert_malformed_custom",
    "assert_exception",
    "assert_exhaustion",
)


def wasm_tools() -> Optional[str]:
    return shutil.which("wasm-tools")


def reference(path: Path) -> Tuple[Dict[int, dict], Path]:
    """The reference tool's commands by module line, and the directory of its outputs."""
    key = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:16]
    out = CACHE / f"{path.stem}-{key}"
    listing = out / "commands.json"
    if not listing.exists():
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["wasm-tools", "json-from-wast", str(path), "--wasm-dir", str(out), "-o", str(listing)],
            check=True,
            capture_output=True,
        )
    commands = json.loads(listing.read_text())["commands"]
    return {command["line"]: command for command in commands if "filename" in command}, out


@dataclass
class Outcome:
    """What happened to each module of one script."""

    matched: int = 0
    #: Parsed, but with no reference binary to compare with.
    unchecked: int = 0
    #: Matching modules whose name or custom sections differ from the reference's.
    names_differ: List[str] = field(default_factory=list)
    #: Modules whose text -> AST -> binary -> AST round trip changed the AST.
    round_trip: List[str] = field(default_factory=list)
    mismatched: List[str] = field(default_factory=list)
    rejected: int = 0
    #: Rejected with a message that does not start with the expected text.
    wrong_message: List[str] = field(default_factory=list)
    accepted_malformed: List[str] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)


def _keyword(node: object) -> Optional[str]:
    if isinstance(node, Token) and node.kind is TokenKind.KEYWORD:
        return node.text
    return None


def modules(nodes: Tuple[object, ...]) -> List[Tuple[SList, Optional[str]]]:
    """Every ``(module ...)`` of a script, with the expected message when it sits in
    ``assert_malformed`` (None otherwise)."""
    found: List[Tuple[SList, Optional[str]]] = []
    for node in nodes:
        if not isinstance(node, SList):
            continue
        head = node.head
        if head == "module":
            found.append((node, None))
        elif head in _MODULE_ASSERTIONS and len(node.items) > 1:
            inner = node.items[1]
            if isinstance(inner, SList) and inner.head == "module":
                expected = None
                if head in ("assert_malformed", "assert_malformed_custom"):
                    message = node.items[2] if len(node.items) > 2 else None
                    expected = string_bytes(message).decode() if isinstance(message, Token) else ""
                found.append((inner, expected))
    return found


def module_form(node: SList) -> Tuple[str, int]:
    """``("text" | "binary" | "quote", index of the first item after the form)``."""
    position = 1
    items = node.items
    if position < len(items) and _keyword(items[position]) == "instance":
        return "instance", position + 1
    if position < len(items) and _keyword(items[position]) == "definition":
        position += 1
    if position < len(items) and isinstance(items[position], Token) and items[position].kind is TokenKind.ID:
        position += 1
    word = _keyword(items[position]) if position < len(items) else None
    if word in ("binary", "quote"):
        return word, position + 1
    return "text", position


def quoted_source(node: SList, start: int) -> bytes:
    return b" ".join(string_bytes(item) for item in node.items[start:] if isinstance(item, Token))


def comparable(module: ast.Module) -> ast.Module:
    """``module`` without what a stripped binary does not keep (names, custom sections)."""
    return replace(module, names=None, customs=())


def _parse(node: SList, form: str, start: int) -> ast.Module:
    if form == "quote":
        return parse_module(quoted_source(node, start))
    return module_from_sexpr(node)


def round_trips(module: ast.Module) -> bool:
    """Whether encoding ``module`` and decoding the binary gives ``module`` back."""
    from wasmport.binary import decode_module, encode_module

    return decode_module(encode_module(module)) == module


def check_script(path: Path) -> Outcome:
    from wasmport.binary import decode_module

    outcome = Outcome()
    try:
        by_line, directory = reference(path)
    except subprocess.CalledProcessError:
        # The reference tool cannot read some scripts (the legacy exceptions'
        # folded try); their modules are still parsed, just not compared.
        by_line, directory = {}, path.parent
    for node, malformed in modules(read(path.read_bytes(), str(path))):
        form, start = module_form(node)
        where = f"{path.name}:{node.line}"
        if form in ("binary", "instance"):
            continue
        if malformed is not None:
            if form != "quote":
                continue
            try:
                parse_module(quoted_source(node, start))
            except ParseError as error:
                outcome.rejected += 1
                if not error.message.startswith(malformed):
                    outcome.wrong_message.append(f"{where}: expected {malformed!r}, got {error}")
            else:
                outcome.accepted_malformed.append(where)
            continue
        command = by_line.get(node.line)
        try:
            ours = _parse(node, form, start)
        except WasmError as error:
            outcome.errors.append(f"{where}: {error}")
            continue
        try:
            if not round_trips(ours):
                outcome.round_trip.append(where)
        except WasmError as error:
            outcome.round_trip.append(f"{where}: {error}")
        if command is None or not command["filename"].endswith(".wasm"):
            outcome.unchecked += 1
            continue
        try:
            theirs = decode_module((directory / command["filename"]).read_bytes())
        except WasmError as error:
            outcome.errors.append(f"{where}: reference binary does not decode: {error}")
            continue
        if comparable(ours) == comparable(theirs):
            outcome.matched += 1
            if ours.customs != theirs.customs or ours.names != theirs.names:
                outcome.names_differ.append(where)
        else:
            outcome.mismatched.append(where)
    return outcome


def main(argv: List[str]) -> int:
    root = Path(__file__).resolve().parents[3] / "shared" / "testsuite" / "spec"
    paths = [Path(arg) for arg in argv] or sorted(root.rglob("*.wast"))
    total = Outcome()
    for path in paths:
        try:
            outcome = check_script(path)
        except Exception as error:  # report and go on: this is a survey tool
            total.errors.append(f"{path.name}: {type(error).__name__}: {error}")
            continue
        total.matched += outcome.matched
        total.unchecked += outcome.unchecked
        total.rejected += outcome.rejected
        total.mismatched += outcome.mismatched
        total.accepted_malformed += outcome.accepted_malformed
        total.wrong_message += outcome.wrong_message
        total.round_trip += outcome.round_trip
        total.names_differ += outcome.names_differ
        total.errors += outcome.errors
    for line in total.errors:
        print("ERROR", line)
    for line in total.mismatched:
        print("MISMATCH", line)
    for line in total.accepted_malformed:
        print("ACCEPTED", line)
    for line in total.wrong_message:
        print("MESSAGE", line)
    for line in total.round_trip:
        print("ROUNDTRIP", line)
    for line in total.names_differ:
        print("NAMES", line)
    print(
        f"modules matched {total.matched}, mismatched {len(total.mismatched)}, "
        f"parsed without reference {total.unchecked}, "
        f"round trips changed {len(total.round_trip)}, "
        f"names or custom sections differ {len(total.names_differ)}, "
        f"errors {len(total.errors)}; malformed rejected {total.rejected}, "
        f"accepted {len(total.accepted_malformed)}, "
        f"rejected with another message {len(total.wrong_message)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
