"""S-expressions: the token stream of the text format read into a tree.

:func:`read` turns source text into a tuple of top-level nodes. A node is a
:class:`~wasmport.text.lexer.Token` (keyword, id, string, number or reserved)
or an :class:`SList`, a parenthesised list. Annotations ``(@id ...)`` are kept
as an :class:`SList` whose :attr:`~SList.annotation` is the annotation id and
whose items are the annotation's contents (after the id); consumers that do
not know an annotation skip it. Annotations written before a list's head word
are moved just after it, so the head is always the first item.

The reader uses an explicit stack, so nesting depth is bounded only by memory.
"""

from __future__ import annotations

from typing import Iterator, List, Optional, Tuple, Union

from ..errors import ParseError
from .lexer import Lexer, Token, TokenKind


class SList:
    """A parenthesised list. ``line``/``column`` locate its opening parenthesis;
    ``end_line``/``end_column`` its closing one."""

    __slots__ = ("items", "line", "column", "annotation", "end_line", "end_column")

    def __init__(
        self,
        items: Tuple[Node, ...],
        line: int,
        column: int,
        annotation: Optional[str] = None,
        end_line: int = 0,
        end_column: int = 0,
    ) -> None:
        self.items = items
        self.line = line
        self.column = column
        self.annotation = annotation
        self.end_line = end_line
        self.end_column = end_column

    @property
    def head(self) -> Optional[str]:
        """The text of the first item if it is a keyword (``"func"`` for ``(func ...)``)."""
        if self.annotation is None and self.items:
            first = self.items[0]
            if isinstance(first, Token) and first.kind is TokenKind.KEYWORD:
                return first.text
        return None

    def __repr__(self) -> str:
        inner = " ".join(map(repr, self.items))
        if self.annotation is not None:
            return f"(@{self.annotation} {inner})"
        return f"({inner})"

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Node]:
        return iter(self.items)


Node = Union[SList, Token]


class _Open:
    """A list being read: where it started and what it holds so far."""

    __slots__ = ("items", "line", "column", "annotation")

    def __init__(self, line: int, column: int, annotation: Optional[str]) -> None:
        self.items: List[Node] = []
        self.line = line
        self.column = column
        self.annotation = annotation


def decode_source(source: Union[str, bytes], filename: Optional[str] = None) -> str:
    """Text of a source given as bytes; invalid UTF-8 is a :class:`ParseError`."""
    if isinstance(source, str):
        return source
    try:
        return bytes(source).decode("utf-8")
    except UnicodeDecodeError as error:
        good = bytes(source[: error.start]).decode("utf-8")
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        raise ParseError("malformed UTF-8 encoding", line, column, filename) from None


def read(source: Union[str, bytes], filename: Optional[str] = None) -> Tuple[Node, ...]:
    """Read every top-level node of ``source`` (text, or UTF-8 bytes)."""
    text = decode_source(source, filename)
    top: List[Node] = []
    stack: List[_Open] = []
    for token in Lexer(text, filename).tokens():
        kind = token.kind
        if kind is TokenKind.LPAREN:
            stack.append(_Open(token.line, token.column, None))
        elif kind is TokenKind.ANNOTATION:
            stack.append(_Open(token.line, token.column, token.text))
        elif kind is TokenKind.RPAREN:
            if not stack:
                raise ParseError("unexpected token", token.line, token.column, filename)
            done = stack.pop()
            items = tuple(done.items) if done.annotation else _head_first(done.items)
            node = SList(
                items, done.line, done.column, done.annotation,
                token.line, token.column,
            )
            (stack[-1].items if stack else top).append(node)
        else:
            (stack[-1].items if stack else top).append(token)
    if stack:
        _unclosed(stack, text, filename)
    return tuple(top)


def _head_first(items: List[Node]) -> Tuple[Node, ...]:
    """The items with annotations written before the head word moved after it, so
    that ``items[0]`` is always the head: ``((@a) module ...)`` reads as
    ``(module (@a) ...)``."""
    if not items or not _is_annotation(items[0]):
        return tuple(items)
    for index, item in enumerate(items):
        if not _is_annotation(item):
            return (item, *items[:index], *items[index + 1 :])
    return tuple(items)


def _is_annotation(node: Node) -> bool:
    return isinstance(node, SList) and node.annotation is not None


def _unclosed(stack: List[_Open], text: str, filename: Optional[str]) -> None:
    line = text.count("\n") + 1
    column = len(text) - (text.rfind("\n") + 1) + 1
    for opened in stack:
        if opened.annotation is not None:
            raise ParseError("unclosed annotation", opened.line, opened.column, filename)
    raise ParseError("unexpected end of input", line, column, filename)


def strip_annotations(nodes: Tuple[Node, ...]) -> Tuple[Node, ...]:
    """``nodes`` without annotation lists (at this level only)."""
    return tuple(
        node for node in nodes if not (isinstance(node, SList) and node.annotation is not None)
    )


__all__ = ["Node", "SList", "decode_source", "read", "strip_annotations"]
