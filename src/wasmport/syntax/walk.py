"""Walking a body's instructions in preorder: each structured instruction,
then the instructions of its nested bodies (``then`` before ``else``, a legacy
``try``'s body before its handlers), as the validator visits them and the
encoder writes them."""

from __future__ import annotations

from itertools import chain
from typing import Iterator, List

from . import opcodes
from .ast import Expr, Instr


def nested_instrs(instr: Instr) -> Iterator[Instr]:
    """The instructions of a structured ``instr``'s bodies, in order (none for
    other instructions)."""
    op, args = instr.op, instr.args
    if op is opcodes.BLOCK or op is opcodes.LOOP:
        return iter(args[1])
    if op is opcodes.IF:
        return chain(args[1], args[2] or ())
    if op is opcodes.TRY_TABLE:
        return iter(args[2])
    if op is opcodes.TRY:
        return chain(args[1], *(handler.body for handler in args[2]))
    return iter(())


STRUCTURED = frozenset({opcodes.BLOCK, opcodes.LOOP, opcodes.IF, opcodes.TRY, opcodes.TRY_TABLE})


def preorder(body: Expr) -> Iterator[Instr]:
    """The instructions of ``body``, nested ones right after their block's."""
    stack: List[Iterator[Instr]] = [iter(body)]
    while stack:
        for instr in stack[-1]:
            yield instr
            if instr.op in STRUCTURED:
                stack.append(nested_instrs(instr))
                break
        else:
            stack.pop()


__all__ = ["STRUCTURED", "nested_instrs", "preorder"]
