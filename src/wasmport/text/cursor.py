"""A cursor over the items of one s-expression list, with the small look-ahead
helpers every part of the parser uses. All errors carry a position."""

from __future__ import annotations

from typing import NoReturn, Optional, Tuple

from ..errors import ParseError
from .branch_hints import BRANCH_HINT, note
from .keywords import misplaced
from .lexer import Token, TokenKind
from .sexpr import Node, SList


def error_at(node: Optional[Node], message: str) -> ParseError:
    if node is None:
        return ParseError(message, 0, 0)
    return ParseError(message, node.line, node.column)


class Cursor:
    """Reads the items of ``node`` (an :class:`SList`) left to right, skipping annotations
    unless asked for them."""

    __slots__ = ("node", "items", "pos")

    def __init__(self, node: SList, start: int = 0) -> None:
        self.node = node
        self.items: Tuple[Node, ...] = node.items
        self.pos = start
        self._skip_annotations()

    def _skip_annotations(self) -> None:
        items = self.items
        while self.pos < len(items):
            item = items[self.pos]
            if isinstance(item, SList) and item.annotation is not None:
                _check_placement(self.node, item)
                self.pos += 1
            else:
                return

    # -- position and errors ------------------------------------------------

    def fail(self, message: str, node: Optional[Node] = None) -> NoReturn:
        if node is None:
            node = self.peek()
        if node is None:
            raise ParseError(message, self.node.end_line, self.node.end_column)
        raise error_at(node, message)

    def unexpected(self) -> NoReturn:
        item = self.peek()
        if item is None:
            raise ParseError("unexpected token", self.node.end_line, self.node.end_column)
        raise misplaced(item)

    # -- look-ahead ------------------------------------------------------------

    def at_end(self) -> bool:
        return self.pos >= len(self.items)

    def peek(self, offset: int = 0) -> Optional[Node]:
        """The item ``offset`` places ahead (annotations do not count)."""
        items = self.items
        index = self.pos
        if offset == 0:
            return items[index] if index < len(items) else None
        while index < len(items):
            item = items[index]
            if not (isinstance(item, SList) and item.annotation is not None):
                if offset == 0:
                    return item
                offset -= 1
            index += 1
        return None

    def advance(self) -> Node:
        item = self.items[self.pos]
        self.pos += 1
        self._skip_annotations()
        return item

    def next(self) -> Node:
        if self.pos >= len(self.items):
            self.fail("unexpected token")
        return self.advance()

    def peek_token(self, kind: TokenKind) -> Optional[Token]:
        item = self.peek()
        if isinstance(item, Token) and item.kind is kind:
            return item
        return None

    def peek_keyword(self) -> Optional[str]:
        token = self.peek_token(TokenKind.KEYWORD)
        return token.text if token is not None else None

    def peek_list(self, head: Optional[str] = None) -> Optional[SList]:
        """The next item if it is a list (whose head keyword is ``head`` when given)."""
        item = self.peek()
        if not isinstance(item, SList) or item.annotation is not None:
            return None
        if head is not None and item.head != head:
            return None
        return item

    # -- consuming -----------------------------------------------------------

    def take(self, kind: TokenKind) -> Optional[Token]:
        token = self.peek_token(kind)
        if token is not None:
            self.advance()
        return token

    def take_keyword(self, word: str) -> bool:
        if self.peek_keyword() == word:
            self.advance()
            return True
        return False

    def expect(self, kind: TokenKind) -> Token:
        token = self.peek_token(kind)
        if token is None:
            self.unexpected()
        self.advance()
        return token

    def expect_keyword(self, word: str) -> Token:
        token = self.peek_token(TokenKind.KEYWORD)
        if token is None or token.text != word:
            self.unexpected()
        self.advance()
        return token

    def take_list(self, head: Optional[str] = None) -> Optional[SList]:
        item = self.peek_list(head)
        if item is not None:
            self.advance()
        return item

    def expect_list(self, head: Optional[str] = None) -> SList:
        item = self.peek_list(head)
        if item is None:
            self.unexpected()
        self.advance()
        return item

    def expect_end(self) -> None:
        if not self.at_end():
            self.unexpected()


#: Fields whose ``(@name "...")`` annotation names the entity they define.
NAMED_FIELDS = frozenset({"func", "table", "memory", "global", "tag", "elem", "data", "type"})


def _check_placement(node: SList, annotation: SList) -> None:
    """``@custom`` belongs at module level only, ``@name`` to definitions (and the
    module); branch hints are noted, to be placed once the module is parsed."""
    if annotation.annotation == BRANCH_HINT:
        note(annotation)
    elif annotation.annotation == "custom":
        raise ParseError("misplaced @custom annotation", annotation.line, annotation.column)
    if annotation.annotation == "name" and node.head not in NAMED_FIELDS:
        raise ParseError("misplaced @name annotation", annotation.line, annotation.column)


def sub(node: SList) -> Cursor:
    """A cursor over ``node``'s items after its head keyword."""
    return Cursor(node, 1)


__all__ = ["Cursor", "error_at", "sub"]
