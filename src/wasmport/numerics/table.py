"""``IMPLEMENTATIONS``: the numeric function of every scalar opcode-table row.

Built by name from the table: the row ``I32_ADD`` maps to ``i32_add``. Rows
covered are the scalar (non-``v128``) rows of the classes UNARY, BINARY, TEST,
COMPARE and CONVERT, which include the wide-arithmetic rows.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Tuple

from ..syntax.opcodes import ALL_OPS, Op, OpClass
from ..syntax.types import NumType
from . import bits, conversions, floats, integers, wide

#: The operator classes whose scalar rows are pure numeric functions.
NUMERIC_CLASSES = frozenset(
    {OpClass.UNARY, OpClass.BINARY, OpClass.TEST, OpClass.COMPARE, OpClass.CONVERT}
)


def is_scalar_numeric(op: Op) -> bool:
    """Whether ``op`` is a scalar numeric row (one :data:`IMPLEMENTATIONS` covers)."""
    if op.klass not in NUMERIC_CLASSES or op.params is None or op.results is None:
        return False
    return NumType.V128 not in op.params and NumType.V128 not in op.results


def scalar_numeric_ops() -> Tuple[Op, ...]:
    """Every scalar numeric row of the opcode table, in table order."""
    return tuple(op for op in ALL_OPS if is_scalar_numeric(op))


def _functions() -> Dict[str, Callable[..., Any]]:
    found: Dict[str, Callable[..., Any]] = {}
    for module in (bits, integers, floats, conversions, wide):
        for name, value in vars(module).items():
            if not name.startswith("_") and callable(value):
                found[name] = value
    return found


def _build() -> Dict[Op, Callable[..., Any]]:
    functions = _functions()
    table: Dict[Op, Callable[..., Any]] = {}
    for op in scalar_numeric_ops():
        function = functions.get(op.name.lower())
        if function is not None:
            table[op] = function
    return table


#: Row -> function taking and returning runtime values. Functions of rows with
#: two results (wide arithmetic) return a tuple in stack order.
IMPLEMENTATIONS: Dict[Op, Callable[..., Any]] = _build()


__all__ = ["IMPLEMENTATIONS", "NUMERIC_CLASSES", "is_scalar_numeric", "scalar_numeric_ops"]
