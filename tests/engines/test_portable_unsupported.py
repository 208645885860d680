"""The portable tier's ``unsupported`` features are exactly the proposals some
of whose instructions it has no handler for."""

from __future__ import annotations

from wasmport.engines.base import get_tier
from wasmport.engines.portable.translator import HANDLERS, STRUCTURED
from wasmport.syntax import opcodes
from wasmport.syntax.opcodes import ALL_OPS

#: Handled by the translator's structure walk, not by a handler of their own.
STRUCTURE_MARKERS = {opcodes.BY_MNEMONIC["else"], opcodes.BY_MNEMONIC["end"]}


def test_unsupported_features_match_the_missing_handlers() -> None:
    missing = {op.feature for op in ALL_OPS
               if op not in HANDLERS and op not in STRUCTURED and op not in STRUCTURE_MARKERS}
    for name in ("portable", "portable-flat"):
        assert get_tier(name).unsupported == missing
