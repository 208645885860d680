"""Encoding of instructions, driven by the opcode table.

One writer per :class:`Imm` kind (:data:`IMMEDIATE_WRITERS`); nested bodies
are walked with an explicit stack of iterators, never by recursion.
"""

from __future__ import annotations

from itertools import chain
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from ..syntax import opcodes
from ..syntax.ast import Catch, CatchKind, Expr, Instr, MemArg
from ..syntax.opcodes import Imm, Op
from .encode_types import block_type, heap_type, val_types
from .instructions import MEMARG_HAS_MEMORY
from .writer import sleb, sleb64, uleb, uleb64

Writer = Callable[[bytearray, Any], None]
#: What a body is written as: instructions, delimiters (``end``/``else``/
#: ``catch_all``) and, for ``catch``/``delegate``, the opcode and its index.
Item = Union[Instr, bytes, Tuple[bytes, int]]


def _index(out: bytearray, value: int) -> None:
    uleb(out, value)


def _label_table(out: bytearray, value: Tuple[Tuple[int, ...], int]) -> None:
    targets, default = value
    uleb(out, len(targets))
    for target in targets:
        uleb(out, target)
    uleb(out, default)


def _catches(out: bytearray, catches: Tuple[Catch, ...]) -> None:
    uleb(out, len(catches))
    for clause in catches:
        out.append(clause.kind.value)
        if clause.kind in (CatchKind.CATCH, CatchKind.CATCH_REF):
            uleb(out, clause.tag if clause.tag is not None else 0)
        uleb(out, clause.label)


def _memarg(out: bytearray, memarg: MemArg) -> None:
    if memarg.memory or memarg.explicit_memory:
        uleb(out, memarg.align | MEMARG_HAS_MEMORY)
        uleb(out, memarg.memory)
    else:
        uleb(out, memarg.align)
    uleb64(out, memarg.offset)


def _byte(out: bytearray, value: int) -> None:
    out.append(value)


def _raw(out: bytearray, value: Iterable[int]) -> None:
    out += bytes(value)


def _s32(out: bytearray, value: int) -> None:
    sleb(out, value - (1 << 32) if value >= 1 << 31 else value)


def _s64(out: bytearray, value: int) -> None:
    sleb64(out, value - (1 << 64) if value >= 1 << 63 else value)


def _f32(out: bytearray, bits: int) -> None:
    out += bits.to_bytes(4, "little")


def _f64(out: bytearray, bits: int) -> None:
    out += bits.to_bytes(8, "little")


def _cast_flags(out: bytearray, flags: Any) -> None:
    out.append((1 if flags.source_nullable else 0) | (2 if flags.target_nullable else 0))


IMMEDIATE_WRITERS: Dict[Imm, Writer] = {
    Imm.BLOCK_TYPE: block_type,
    Imm.CATCHES: _catches,
    Imm.LABEL: _index,
    Imm.LABEL_TABLE: _label_table,
    Imm.FUNC: _index,
    Imm.TYPE: _index,
    Imm.TABLE: _index,
    Imm.MEMORY: _index,
    Imm.GLOBAL: _index,
    Imm.LOCAL: _index,
    Imm.ELEM: _index,
    Imm.DATA: _index,
    Imm.TAG: _index,
    Imm.FIELD: _index,
    Imm.U32: _index,
    Imm.MEMARG: _memarg,
    Imm.LANE: _byte,
    Imm.SHUFFLE: _raw,
    Imm.I32: _s32,
    Imm.I64: _s64,
    Imm.F32: _f32,
    Imm.F64: _f64,
    Imm.V128: _raw,
    Imm.HEAP_TYPE: heap_type,
    Imm.VALTYPES: val_types,
    Imm.CAST_FLAGS: _cast_flags,
}

#: Per row: its opcode bytes and the writers of its immediates (None: the zero byte).
_PLANS: Dict[Op, Tuple[bytes, Tuple[Any, ...]]] = {
    op: (op.encoding, tuple(IMMEDIATE_WRITERS.get(imm) for imm in op.imms))
    for op in opcodes.ALL_OPS
}

END_BYTES = opcodes.END.encoding
ELSE_BYTES = opcodes.ELSE.encoding


def _write_instr(out: bytearray, instr: Instr) -> int:
    """Write the opcode and immediates; return how many ``args`` they used."""
    op = instr.op
    encoding, writers = _PLANS[op]
    if op.prefix is not None and out.__class__ is not bytearray:
        out.append(op.prefix)
        uleb(out, op.code)  # spelled as the decoded binary did (see writer.SpelledBuffer)
    else:
        out += encoding
    args = instr.args
    used = 0
    for write in writers:
        if write is None:
            out.append(0x00)
        else:
            write(out, args[used])
            used += 1
    return used


def _legacy_try_tail(instr: Instr, used: int) -> Iterator[Item]:
    body, catches, delegate = instr.args[used : used + 3]
    parts: List[Iterable[Item]] = [body]
    for handler in catches:
        if handler.tag is None:
            parts.append((opcodes.CATCH_ALL.encoding,))
        else:
            parts.append(((opcodes.CATCH.encoding, handler.tag),))
        parts.append(handler.body)
    if delegate is None:
        parts.append((END_BYTES,))
    else:
        parts.append(((opcodes.DELEGATE.encoding, delegate),))
    return chain.from_iterable(parts)


def _nested(instr: Instr, used: int) -> Iterator[Item]:
    """The items that follow a structured instruction's immediates."""
    op = instr.op
    if op is opcodes.IF:
        then_body, else_body = instr.args[used], instr.args[used + 1]
        if else_body is None:
            return chain(then_body, (END_BYTES,))
        return chain(then_body, (ELSE_BYTES,), else_body, (END_BYTES,))
    if op is opcodes.TRY:
        return _legacy_try_tail(instr, used)
    return chain(instr.args[used], (END_BYTES,))


_STRUCTURED = frozenset({opcodes.BLOCK, opcodes.LOOP, opcodes.IF, opcodes.TRY, opcodes.TRY_TABLE})


def write_expr(out: bytearray, body: Expr, offsets: Optional[List[int]] = None) -> None:
    """Write ``body`` and the ``end`` that closes it; with ``offsets``, append
    where each instruction starts in ``out`` (nested ones after their block's)."""
    stack: List[Iterator[Item]] = [chain(body, (END_BYTES,))]
    structured = _STRUCTURED
    while stack:
        for item in stack[-1]:
            if item.__class__ is bytes:
                out += item  # type: ignore[operator]
                continue
            if item.__class__ is tuple:
                encoding, index = item  # type: ignore[misc]
                out += encoding
                uleb(out, index)
                continue
            instr: Instr = item  # type: ignore[assignment]
            if offsets is not None:
                offsets.append(len(out))
            used = _write_instr(out, instr)
            if instr.op in structured:
                stack.append(_nested(instr, used))
                break
        else:
            stack.pop()


__all__ = ["IMMEDIATE_WRITERS", "write_expr"]
