"""The dispatch table: one validation rule per opcode-table row.

Rows with a fixed signature share the generic rule (:mod:`.generic`); every
other row has a small rule of its own in the modules below, keyed by the row.
:func:`rules_for` gives the table for a feature set: rows of a disabled
proposal get a rule that rejects them with the feature's message.
"""

from __future__ import annotations

from typing import Dict, Optional

from ...features import Features, feature_message
from ...syntax.ast import Instr
from ...syntax.opcodes import ALL_OPS, Op
from ..code import CodeValidator, Rule
from . import aggregate, cast, control, reference, storage, variable
from .generic import fixed_rule
from .helpers import Nested

#: Rules of the rows without a fixed signature, by row.
SPECIFIC: Dict[Op, Rule] = {}
for _module in (control, variable, storage, reference, aggregate, cast):
    SPECIFIC.update(_module.RULES)


def rule_of(op: Op) -> Optional[Rule]:
    """The rule of one row (None if the table has no rule for it)."""
    specific = SPECIFIC.get(op)
    if specific is not None:
        return specific
    return fixed_rule(op)


def _uncovered(v: CodeValidator, instr: Instr) -> Nested:
    raise v.error(f"no validation rule for {instr.op.mnemonic}")


#: Every row's rule, for all features.
ALL_RULES: Dict[Op, Rule] = {op: rule_of(op) or _uncovered for op in ALL_OPS}


def _disabled(op: Op) -> Rule:
    message = f"{op.mnemonic}: {feature_message(op.feature)}"

    def disabled(v: CodeValidator, instr: Instr) -> Nested:
        raise v.error(message)

    return disabled


_CACHE: Dict[Features, Dict[Op, Rule]] = {}


def rules_for(features: Features) -> Dict[Op, Rule]:
    """The dispatch table under ``features`` (cached per feature set)."""
    table = _CACHE.get(features)
    if table is None:
        table = {
            op: rule if op.feature in features else _disabled(op)
            for op, rule in ALL_RULES.items()
        }
        _CACHE[features] = table
    return table


__all__ = ["ALL_RULES", "SPECIFIC", "rule_of", "rules_for"]
