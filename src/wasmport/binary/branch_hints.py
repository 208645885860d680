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
from typing import List, Sequence, Tuple

from ..errors import DecodeError
from ..syntax.ast import Func
from ..syntax.walk import preorder
from .encoder import instruction_offsets
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


def body_offsets(func: Func) -> List[int]:
    """Each instruction's offset from the start of ``func``'s body, in
    :func:`preorder`: as decoded when the function came from a binary, else
    as the encoder writes it."""
    instrs = list(preorder(func.body))
    if func.offset >= 0 and all(instr.offset >= 0 for instr in instrs):
        return [instr.offset - func.offset for instr in instrs]
    return instruction_offsets(func)


__all__ = [
    "ANNOTATION",
    "SECTION",
    "SECTION_NAME",
    "BranchHint",
    "FuncHints",
    "body_offsets",
    "decode_branch_hints",
    "encode_branch_hints",
]
