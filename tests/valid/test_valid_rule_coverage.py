"""The validator covers every row of the opcode table."""

from __future__ import annotations

from wasmport.features import Feature, Features
from wasmport.syntax import opcodes
from wasmport.valid.rules import ALL_RULES, SPECIFIC, rule_of, rules_for


def test_every_row_has_a_rule() -> None:
    missing = [op.mnemonic for op in opcodes.ALL_OPS if rule_of(op) is None]
    assert missing == []
    assert set(ALL_RULES) == set(opcodes.ALL_OPS)


def test_specific_rules_are_for_rows_without_fixed_signature() -> None:
    all_rows = set(opcodes.ALL_OPS)
    for op in SPECIFIC:
        assert op in all_rows, op.mnemonic
        assert op.params is None, f"{op.mnemonic} has a fixed signature but a specific rule"


def test_rows_with_fixed_signature_use_the_generic_rule() -> None:
    fixed = [op for op in opcodes.ALL_OPS if op.params is not None]
    assert fixed, "the table has rows with fixed signatures"
    for op in fixed:
        assert op not in SPECIFIC


def test_disabled_feature_rows_are_rejected_with_the_feature_message() -> None:
    features = Features.of({Feature.MVP})
    table = rules_for(features)
    for op in opcodes.ALL_OPS:
        if op.feature is Feature.MVP:
            assert table[op] is ALL_RULES[op]
        else:
            assert table[op] is not ALL_RULES[op]
