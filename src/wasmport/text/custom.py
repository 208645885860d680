"""Module-level annotations: ``(@custom "name" placement? "data"*)`` becomes a
custom section, ``(@name "text")`` names the module. Other annotations are
ignored, as the annotations proposal prescribes."""

from __future__ import annotations

from typing import List, Optional, Tuple, cast

from ..errors import ParseError
from ..syntax import ast
from .branch_hints import BRANCH_HINT, misplaced
from .cursor import Cursor
from .lexer import Token, TokenKind
from .literals import string_bytes, string_text
from .sexpr import SList

#: Section kinds a placement may name, by their text keyword.
_SECTIONS = {
    "type": ast.SectionId.TYPE,
    "import": ast.SectionId.IMPORT,
    "func": ast.SectionId.FUNCTION,
    "table": ast.SectionId.TABLE,
    "memory": ast.SectionId.MEMORY,
    "global": ast.SectionId.GLOBAL,
    "export": ast.SectionId.EXPORT,
    "start": ast.SectionId.START,
    "elem": ast.SectionId.ELEMENT,
    "code": ast.SectionId.CODE,
    "data": ast.SectionId.DATA,
    "datacount": ast.SectionId.DATA_COUNT,
    "tag": ast.SectionId.TAG,
}


def _error(message: str, node: object) -> ParseError:
    line = getattr(node, "line", 0)
    column = getattr(node, "column", 0)
    return ParseError(message, line, column)


class CustomCollector:
    """Gathers the module-level ``@custom`` and ``@name`` annotations."""

    def __init__(self) -> None:
        self.customs: List[ast.CustomSection] = []
        self.module_name: Optional[str] = None
        self._named = False

    def annotation(self, node: SList, fields_before: List[SList]) -> None:
        if node.annotation == "custom":
            self.customs.append(_custom(node))
        elif node.annotation == "name":
            if fields_before:
                raise _error("misplaced @name annotation", node)
            if self._named:
                raise _error("@name annotation: multiple module", node)
            self._named = True
            self.module_name = name_annotation_text(node)
        elif node.annotation == BRANCH_HINT:
            raise misplaced(node)

    def sections(self) -> Tuple[ast.CustomSection, ...]:
        """The custom sections in binary order (stable for equal placements)."""
        order = {section: rank for rank, section in enumerate((ast.SectionId.CUSTOM, *ast.SECTION_ORDER))}
        return tuple(sorted(self.customs, key=lambda custom: order[custom.after]))


def name_annotation_text(node: SList) -> str:
    """The string of an ``(@name "...")`` annotation."""
    cursor = Cursor(node)
    token = cursor.peek_token(TokenKind.STRING)
    if token is None or len(node.items) != 1:
        raise _error("@name annotation: string expected", node)
    return string_text(token)


def _custom(node: SList) -> ast.CustomSection:
    items = node.items
    if not items or not (isinstance(items[0], Token) and items[0].kind is TokenKind.STRING):
        raise _error("@custom annotation: missing section name", node)
    try:
        name = string_text(items[0])
    except ParseError as error:
        raise _error("@custom annotation: malformed UTF-8 encoding", node) from error
    after = ast.SectionId.DATA
    rest = items[1:]
    if rest and isinstance(rest[0], SList):
        after = _placement(rest[0])
        rest = rest[1:]
    data = bytearray()
    for item in rest:
        if not (isinstance(item, Token) and item.kind is TokenKind.STRING):
            raise _error("@custom annotation: unexpected token", item)
        data += string_bytes(item)
    return ast.CustomSection(name, bytes(data), after)


def _placement(node: SList) -> ast.SectionId:
    items = node.items
    if len(items) != 2 or not all(isinstance(item, Token) for item in items):
        if len(items) == 1 and isinstance(items[0], Token) and items[0].text in ("before", "after"):
            raise _error("@custom annotation: malformed section kind", node)
        raise _error("@custom annotation: malformed placement", node)
    where, kind = cast(Token, items[0]), cast(Token, items[1])
    if where.text not in ("before", "after"):
        raise _error("@custom annotation: malformed placement", node)
    if kind.text in ("first", "last"):
        if (where.text, kind.text) == ("before", "first"):
            return ast.SectionId.CUSTOM
        if (where.text, kind.text) == ("after", "last"):
            return ast.SectionId.DATA
        raise _error("@custom annotation: malformed placement", node)
    section = _SECTIONS.get(kind.text)
    if section is None:
        raise _error("@custom annotation: malformed section kind", node)
    if where.text == "after":
        return section
    order = ast.SECTION_ORDER
    position = order.index(section)
    return order[position - 1] if position > 0 else ast.SectionId.CUSTOM


__all__ = ["CustomCollector"]
