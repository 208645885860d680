"""Every text module of the spec suite against the reference tool.

For each script: every text module (top level, and inside assertions) parses
to the same AST as the reference tool's binary of it (decoded by our decoder),
ignoring the name and custom sections (which ``wasm-tools strip`` drops); text -> AST -> binary -> AST is the identity; and every
``assert_malformed`` ``(module quote ...)`` is rejected with a ParseError whose
message starts with the expected text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Set, Tuple

from spec_modules import check_script

#: ``assert_malformed`` modules the Wasm 3.0 text format accepts: the threads
#: proposal's scripts predate memory64, when a memory limit above 2**32 - 1 was a
#: syntax error; in Wasm 3.0 it is a validation error (see spec/memory.wast).
ACCEPTED_IN_WASM3: Set[Tuple[str, int]] = {
    ("proposals/threads/memory.wast", 84),
    ("proposals/threads/memory.wast", 88),
    ("proposals/threads/memory.wast", 92),
}

#: Not supported yet: code-metadata annotations (``@metadata.code.branch_hint``)
#: are ignored like any unknown annotation, so their misuse is not reported.
NOT_SUPPORTED: Set[Tuple[str, int]] = {
    ("custom/branch_hint.wast", 51),
    ("custom/branch_hint.wast", 68),
}

def _relative(path: Path, spec_root: Path) -> str:
    return path.relative_to(spec_root).as_posix()


def test_text_modules_match_reference(
    spec_wast: Path, spec_dir: Path, wasm_tools: str, suite_totals: Dict[str, Dict[str, int]]
) -> None:
    outcome = check_script(spec_wast)
    name = _relative(spec_wast, spec_dir)
    totals = suite_totals.setdefault("text modules", {})
    for key, value in (
        ("matched", outcome.matched),
        ("parsed (no reference)", outcome.unchecked),
        ("malformed rejected", outcome.rejected),
    ):
        totals[key] = totals.get(key, 0) + value
    assert not outcome.errors, outcome.errors[:10]
    assert not outcome.mismatched, outcome.mismatched[:10]
    assert not outcome.round_trip, outcome.round_trip[:10]
    assert not outcome.wrong_message, outcome.wrong_message[:10]
    accepted = {
        where for where in outcome.accepted_malformed
        if (name, int(where.rsplit(":", 1)[1])) not in ACCEPTED_IN_WASM3 | NOT_SUPPORTED
    }
    assert not accepted, sorted(accepted)[:10]
