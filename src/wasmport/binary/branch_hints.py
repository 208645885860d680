"""The ``metadata.code.branch_hint`` custom section of the branch-hinting proposal.

Its payload is a vector of functions, each ``funcidx`` then a vector of hints;
a hint is the byte offset of an ``if`` or ``br_if`` from the start of the
function's body (its locals declaration included), the reserved size ``1``
and the hint byte (``0`` unlikely, ``1`` likely taken). The section goes
before the code section.

Decoding the payload (:func:`decode_branch_hints`) raises
:class:`~wasmport.errors.DecodeError` on a malformed structure; whether the
offsets name instructions, and the right ones, is for the caller to check
against the module (:func:`body_offsets` gives each instruction's offset).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import Iterator, List, Sequence, Tuple, Union

from ..errors import DecodeError
from ..syntax import opcodes
from ..syntax.ast import Expr, Func, Instr
from .encode_instructions import IMMEDIATE_WRITERS
from .encode_types import val_type
from .encoder import local_groups
from .reader import Reader
from .writer import uleb

#: The custom section's name.
SECTION_NAME = "metadata.code.branch_hint"
#: The message prefix of every problem with the section or its annotations.
ANNOTATION = "@metadata.code.branch_hint annotation"
SECTION = "@metadata.code.branch_hint section"


@dataclass(frozen=True)
class BranchHint:
    """One hint: the instruction's offset in the function body and its value."""

    offset: int
    likely: bool


#: A function's hints: ``(function index, hints in increasing offset)``.
FuncHints = Tuple[int, Tuple[BranchHint, ...]]


def encode_branch_hints(funcs: Sequence[FuncHints]) -> bytes:
    """The section's payload for ``funcs`` (in the order given)."""
    out = bytearray()
    uleb(out, len(funcs))
    for index, hints in funcs:
        uleb(out, index)
        uleb(out, len(hints))
        for hint in hints:
            uleb(out, hint.offset)
            out += b"\x01\x01" if hint.likely else b"\x01\x00"
    return bytes(out)


def decode_branch_hints(data: bytes) -> Tuple[FuncHints, ...]:
    """The functions and hints of a payload. Offsets in errors are into ``data``."""
    reader = Reader(data)
    funcs: List[FuncHints] = []
    for _ in range(reader.u32()):
        index = reader.u32()
        hints: List[BranchHint] = []
        for _ in range(reader.u32()):
            offset = reader.u32()
            if reader.u32() != 1:
                raise DecodeError(f"{SECTION}: missing reserved byte", reader.pos - 1)
            value = reader.byte()
            if value > 1:
                raise DecodeError(f"{SECTION}: invalid hint value", reader.pos - 1)
            hints.append(BranchHint(offset, value == 1))
        funcs.append((index, tuple(hints)))
    if not reader.at_end():
        raise DecodeError(f"{SECTION}: unexpected content after last hint", reader.pos)
    return tuple(funcs)


# -- instruction offsets -------------------------------------------------------

_STRUCTURED = frozenset({opcodes.BLOCK, opcodes.LOOP, opcodes.IF, opcodes.TRY, opcodes.TRY_TABLE})
_END = opcodes.END.encoding
_ELSE = opcodes.ELSE.encoding
Item = Union[Instr, bytes]


def preorder(body: Expr) -> Iterator[Instr]:
    """The instructions of ``body``, nested ones right after their block's."""
    stack: List[Iterator[Instr]] = [iter(body)]
    while stack:
        for instr in stack[-1]:
            yield instr
            if instr.op in _STRUCTURED:
                stack.append(_nested_bodies(instr))
                break
        else:
            stack.pop()


def _nested_bodies(instr: Instr) -> Iterator[Instr]:
    args = instr.args
    if instr.op is opcodes.IF:
        return chain(args[1], args[2] or ())
    if instr.op is opcodes.TRY:
        return chain(args[1], *(handler.body for handler in args[2]))
    return iter(args[-1])


def body_offsets(func: Func) -> List[int]:
    """Each instruction's offset from the start of ``func``'s body, in
    :func:`preorder`: as decoded when the function came from a binary, else
    as the encoder writes it."""
    instrs = list(preorder(func.body))
    if func.offset >= 0 and all(instr.offset >= 0 for instr in instrs):
        return [instr.offset - func.offset for instr in instrs]
    out = bytearray()
    groups = local_groups(func.locals)
    uleb(out, len(groups))
    for count, value_type in groups:
        uleb(out, count)
        val_type(out, value_type)
    return _code_offsets(out, func.body)


def _code_offsets(out: bytearray, body: Expr) -> List[int]:
    """Write ``body`` after ``out``'s contents, noting where each instruction starts."""
    offsets: List[int] = []
    stack: List[Iterator[Item]] = [iter(body)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, bytes):
                out += item
                continue
            offsets.append(len(out))
            used = _write_head(out, item)
            if item.op in _STRUCTURED:
                stack.append(_tail(item, used))
                break
        else:
            stack.pop()
    return offsets


def _write_head(out: bytearray, instr: Instr) -> int:
    """The opcode and immediates; returns how many ``args`` they used."""
    op = instr.op
    out += op.encoding
    used = 0
    for imm in op.imms:
        write = IMMEDIATE_WRITERS.get(imm)
        if write is None:
            out.append(0x00)
        else:
            write(out, instr.args[used])
            used += 1
    return used


def _tail(instr: Instr, used: int) -> Iterator[Item]:
    """What follows a structured instruction's immediates, up to its ``end``."""
    args = instr.args
    if instr.op is opcodes.IF:
        if args[used + 1] is None:
            return chain(args[used], (_END,))
        return chain(args[used], (_ELSE,), args[used + 1], (_END,))
    if instr.op is not opcodes.TRY:
        return chain(args[used], (_END,))
    body, catches, delegate = args[used : used + 3]
    parts: List[Sequence[Item]] = [body]
    for handler in catches:
        clause = bytearray()
        if handler.tag is None:
            clause += opcodes.CATCH_ALL.encoding
        else:
            clause += opcodes.CATCH.encoding
            uleb(clause, handler.tag)
        parts += [(bytes(clause),), handler.body]
    close = bytearray(_END if delegate is None else opcodes.DELEGATE.encoding)
    if delegate is not None:
        uleb(close, delegate)
    parts.append((bytes(close),))
    return chain.from_iterable(parts)


__all__ = [
    "ANNOTATION",
    "SECTION",
    "SECTION_NAME",
    "BranchHint",
    "FuncHints",
    "body_offsets",
    "decode_branch_hints",
    "encode_branch_hints",
    "preorder",
]
