"""Helpers for the binary tests: comparing module ASTs without recursion.

Dataclass equality recurses once per nesting level, so comparing the bodies
of real binaries (thousands of nested blocks) would exceed Python's recursion
limit; :func:`modules_equal` compares bodies as flat token lists instead.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Dict, Iterator, List, Tuple

from wasmport.syntax.ast import Expr, Instr, LegacyCatch, Module
from wasmport.syntax.opcodes import Imm


def _nested_tokens(rest: Tuple[Any, ...]) -> Iterator[Any]:
    for part in rest:
        if isinstance(part, tuple) and all(isinstance(item, Instr) for item in part):
            yield ("open",)
            yield from part
            yield ("close",)
        elif isinstance(part, tuple):  # legacy catches
            for handler in part:
                assert isinstance(handler, LegacyCatch)
                yield ("catch", handler.tag, "open")
                yield from handler.body
                yield ("close",)
        else:
            yield ("value", part)


def flatten(expr: Expr) -> List[Any]:
    """``expr`` as a flat list of (op, immediates) and structure tokens."""
    tokens: List[Any] = []
    stack: List[Iterator[Any]] = [iter(expr)]
    while stack:
        for item in stack[-1]:
            if not isinstance(item, Instr):
                tokens.append(item)
                continue
            count = sum(1 for imm in item.op.imms if imm is not Imm.ZERO_BYTE)
            tokens.append((item.op, item.args[:count]))
            if len(item.args) > count:
                stack.append(_nested_tokens(item.args[count:]))
                break
        else:
            stack.pop()
    return tokens


def modules_equal(left: Module, right: Module) -> bool:
    """``left == right``, comparing function bodies without recursion."""
    if len(left.funcs) != len(right.funcs):
        return False
    for one, other in zip(left.funcs, right.funcs):
        if flatten(one.body) != flatten(other.body):
            return False
    shallow_left = dataclasses.replace(
        left, funcs=tuple(dataclasses.replace(f, body=()) for f in left.funcs)
    )
    shallow_right = dataclasses.replace(
        right, funcs=tuple(dataclasses.replace(f, body=()) for f in right.funcs)
    )
    return shallow_left == shallow_right


@dataclasses.dataclass
class Outcome:
    """How many of one script's modules re-encoded byte for byte, and which of
    those spelled LEB128s over-long."""

    exact: int = 0
    overlong: List[str] = dataclasses.field(default_factory=list)


#: Per-script byte round-trip results of the spec-suite test (summarised by conftest).
OUTCOMES: Dict[str, Outcome] = {}
