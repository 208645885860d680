"""``(@metadata.code.branch_hint "\\00")`` annotations into the branch hint section.

An annotation hints the instruction that starts next in the source, which must
be in the same function (``"\\00"``: unlikely taken, ``"\\01"``: likely). While
a module's fields are parsed, every such annotation a :class:`Cursor` skips is
noted (:func:`note`); afterwards :func:`hint_section` places each one and
builds the ``metadata.code.branch_hint`` custom section (see
:mod:`wasmport.binary.branch_hints`). Whether the hinted instruction is an
``if`` or ``br_if`` is a validity question, left to
:func:`wasmport.valid.custom.check_custom_sections`.
"""

from __future__ import annotations

from bisect import bisect_right
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from ..binary.branch_hints import (
    ANNOTATION,
    SECTION_NAME,
    BranchHint,
    FuncHints,
    body_offsets,
    encode_branch_hints,
)
from ..errors import ParseError
from ..syntax import ast
from .lexer import Token, TokenKind
from .literals import string_bytes
from .sexpr import Node, SList

#: The annotation's id.
BRANCH_HINT = SECTION_NAME

Position = Tuple[int, int]

_found: ContextVar[Optional[Dict[int, SList]]] = ContextVar("branch_hints", default=None)


def _error(message: str, node: SList) -> ParseError:
    return ParseError(f"{ANNOTATION}: {message}", node.line, node.column)


def note(annotation: SList) -> None:
    """Record a branch hint annotation met while parsing a module's fields."""
    found = _found.get()
    if found is not None:
        found[id(annotation)] = annotation


def misplaced(annotation: SList) -> ParseError:
    """The error for a branch hint outside every function."""
    return _error("not in a function", annotation)


@contextmanager
def collecting() -> Iterator[Dict[int, SList]]:
    """Note the branch hint annotations cursors skip until the block ends."""
    found: Dict[int, SList] = {}
    token = _found.set(found)
    try:
        yield found
    finally:
        _found.reset(token)


@dataclass
class FuncSource:
    """A defined function's field and where its instructions start (preorder)."""

    index: int
    node: SList
    starts: Sequence[Node]


def _likely(annotation: SList) -> bool:
    payload = bytearray()
    for item in annotation.items:
        if not (isinstance(item, Token) and item.kind is TokenKind.STRING):
            raise _error("unexpected token", annotation)
        payload += string_bytes(item)
    if len(payload) != 1 or payload[0] > 1:
        raise _error("invalid hint value", annotation)
    return payload[0] == 1


def _contains(node: SList, annotation: SList) -> bool:
    start = (node.line, node.column) <= (annotation.line, annotation.column)
    return start and (annotation.end_line, annotation.end_column) <= (node.end_line, node.end_column)


def _target(source: FuncSource, annotation: SList) -> int:
    """The preorder index of the instruction that starts next after ``annotation``."""
    positions = [(node.line, node.column) for node in source.starts]
    order = sorted(range(len(positions)), key=positions.__getitem__)
    starts = [positions[index] for index in order]
    at = bisect_right(starts, (annotation.end_line, annotation.end_column))
    if at == len(order):
        raise _error("invalid placement", annotation)
    return order[at]


def _place(
    annotations: Sequence[SList], funcs: Sequence[FuncSource]
) -> Dict[int, Dict[int, bool]]:
    """Per function (index in ``funcs``): hinted instruction -> likely."""
    placed: Dict[int, Dict[int, bool]] = {}
    for annotation in annotations:
        likely = _likely(annotation)
        owner = next((n for n, f in enumerate(funcs) if _contains(f.node, annotation)), None)
        if owner is None:
            raise misplaced(annotation)
        target = _target(funcs[owner], annotation)
        hints = placed.setdefault(owner, {})
        if target in hints:
            raise _error("duplicate annotation", annotation)
        hints[target] = likely
    return placed


def hint_section(
    found: Dict[int, SList], funcs: Sequence[FuncSource], module_funcs: Sequence[ast.Func]
) -> Optional[ast.CustomSection]:
    """The branch hint section of the annotations ``found``, or None without any.

    ``module_funcs`` are the defined functions (``funcs[n].node`` defines
    ``module_funcs[n]``); ``FuncSource.index`` is the function index."""
    if not found:
        return None
    annotations = sorted(found.values(), key=lambda node: (node.line, node.column))
    entries: List[FuncHints] = []
    for owner, hints in sorted(_place(annotations, funcs).items()):
        offsets = body_offsets(module_funcs[owner])
        entries.append((
            funcs[owner].index,
            tuple(BranchHint(offsets[target], hints[target]) for target in sorted(hints)),
        ))
    data = encode_branch_hints(entries)
    # "Before the code section": after the last section that may precede it.
    return ast.CustomSection(SECTION_NAME, data, ast.SectionId.DATA_COUNT)


__all__ = ["BRANCH_HINT", "FuncSource", "collecting", "hint_section", "misplaced", "note"]
