"""A cursor over the items of one S-expression list, for the script parser."""

from __future__ import annotations

from typing import Optional

from ..errors import ParseError
from ..text import literals
from ..text.lexer import Token, TokenKind
from ..text.sexpr import Node, SList, strip_annotations


class Cursor:
    """Reads the items of ``node`` after its head keyword, left to right.

    Annotations among the items are ignored. Errors are
    :class:`~wasmport.errors.ParseError` at the offending item, or at the
    closing parenthesis when an item is missing.
    """

    def __init__(self, node: SList, filename: str) -> None:
        self.node = node
        self.filename = filename
        self.items = strip_annotations(node.items)
        self.pos = 1

    @property
    def head(self) -> Optional[str]:
        """The list's head keyword, annotations before it ignored."""
        first = self.items[0] if self.items else None
        if isinstance(first, Token) and first.kind is TokenKind.KEYWORD:
            return first.text
        return None

    def error(self, message: str, at: Optional[Node] = None) -> ParseError:
        if at is None:
            line = self.node.end_line or self.node.line
            column = self.node.end_column or self.node.column
        else:
            line, column = at.line, at.column
        return ParseError(message, line, column, self.filename)

    def peek(self) -> Optional[Node]:
        return self.items[self.pos] if self.pos < len(self.items) else None

    def at_end(self) -> bool:
        return self.pos >= len(self.items)

    def next(self) -> Node:
        item = self.peek()
        if item is None:
            raise self.error("unexpected token")
        self.pos += 1
        return item

    def keyword(self, text: str) -> bool:
        """Consume the keyword ``text`` if it comes next."""
        item = self.peek()
        if isinstance(item, Token) and item.kind is TokenKind.KEYWORD and item.text == text:
            self.pos += 1
            return True
        return False

    def optional_id(self) -> Optional[str]:
        """Consume an identifier if one comes next; return its name without ``$``."""
        item = self.peek()
        if isinstance(item, Token) and item.kind is TokenKind.ID:
            self.pos += 1
            return literals.id_name(item)
        return None

    def token(self, kind: TokenKind) -> Token:
        item = self.next()
        if not isinstance(item, Token) or item.kind is not kind:
            raise self.error("unexpected token", item)
        return item

    def string_bytes(self) -> bytes:
        return literals.string_bytes(self.token(TokenKind.STRING))

    def string_text(self) -> str:
        token = self.token(TokenKind.STRING)
        try:
            return literals.string_text(token)
        except ParseError as error:
            raise self.error(error.message, token) from None

    def has_string(self) -> bool:
        item = self.peek()
        return isinstance(item, Token) and item.kind is TokenKind.STRING

    def list(self) -> SList:
        item = self.next()
        if not isinstance(item, SList):
            raise self.error("unexpected token", item)
        return item

    def finish(self) -> None:
        """Raise if any item is left over."""
        item = self.peek()
        if item is not None:
            raise self.error("unexpected token", item)


def head_of(node: Optional[Node]) -> Optional[str]:
    """The head keyword of a list node, annotations before it ignored (None for
    tokens and annotations)."""
    if not isinstance(node, SList) or node.annotation is not None:
        return None
    return Cursor(node, "").head


__all__ = ["Cursor", "head_of"]
