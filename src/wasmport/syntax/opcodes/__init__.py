"""The opcode table: the single source of truth for every instruction.

Rows are :class:`~.model.Op` objects defined as module-level constants in the
table modules (``core``, ``simd``, ``atomics``, ``gc``); this package gathers
them, checks that encodings and mnemonics are unique, and offers look-ups.
Refer to a row by its constant, e.g. ``opcodes.I32_ADD``.
"""

from __future__ import annotations

from types import ModuleType
from typing import Dict, List, Optional, Tuple

from . import atomics, core, gc, simd
from .atomics import *  # noqa: F403
from .core import *  # noqa: F403
from .gc import *  # noqa: F403
from .model import Imm, Op, OpClass, parse_signature
from .simd import *  # noqa: F403

_TABLES: Tuple[ModuleType, ...] = (core, simd, atomics, gc)


def _gather() -> Tuple[Op, ...]:
    rows: List[Op] = []
    for table in _TABLES:
        rows.extend(value for value in vars(table).values() if isinstance(value, Op))
    return tuple(rows)


#: Every row, in table order.
ALL_OPS: Tuple[Op, ...] = _gather()
#: Row by (prefix byte or None, code).
BY_CODE: Dict[Tuple[Optional[int], int], Op] = {}
#: Row by text mnemonic.
BY_MNEMONIC: Dict[str, Op] = {}

for _op in ALL_OPS:
    if (_op.prefix, _op.code) in BY_CODE:
        raise RuntimeError(f"duplicate encoding for {_op.mnemonic}")
    if _op.mnemonic in BY_MNEMONIC:
        raise RuntimeError(f"duplicate mnemonic {_op.mnemonic}")
    BY_CODE[(_op.prefix, _op.code)] = _op
    BY_MNEMONIC[_op.mnemonic] = _op
del _op

#: The prefix bytes that introduce multi-byte opcodes.
PREFIXES = frozenset(op.prefix for op in ALL_OPS if op.prefix is not None)

__all__ = ["ALL_OPS", "BY_CODE", "BY_MNEMONIC", "PREFIXES", "Imm", "Op", "OpClass", "parse_signature"]
