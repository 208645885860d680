"""Building large test modules straight as ASTs (the text parser is not the
subject here, and building 50,000-instruction bodies as text is slow)."""

from __future__ import annotations

from typing import Any, Sequence, Tuple

from wasmport.syntax import opcodes
from wasmport.syntax.ast import Export, ExternKind, Func, Instr, Module
from wasmport.syntax.types import FuncType, RecType, SubType, ValType


def instr(op: opcodes.Op, *args: Any) -> Instr:
    return Instr(op, tuple(args))


def single_function_module(params: Sequence[ValType], results: Sequence[ValType],
                           locals_: Sequence[ValType], body: Sequence[Instr],
                           export: str = "f") -> Module:
    """A module of one exported function."""
    func_type = FuncType(tuple(params), tuple(results))
    return Module(
        types=(RecType((SubType(func_type),), explicit=False),),
        funcs=(Func(0, tuple(locals_), tuple(body)),),
        exports=(Export(export, ExternKind.FUNC, 0),),
    )


def nested_blocks(depth: int, innermost: Tuple[Instr, ...], op: opcodes.Op = opcodes.BLOCK,
                  blocktype: Any = None) -> Instr:
    """``depth`` blocks (or loops) nested inside each other around ``innermost``."""
    body: Tuple[Instr, ...] = innermost
    for _ in range(depth):
        body = (instr(op, blocktype, body),)
    return body[0]
