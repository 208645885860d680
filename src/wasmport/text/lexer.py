"""Tokens of the text format (spec section "Text Format / Lexical Format").

The source is cut into parentheses, annotation openers ``(@id`` and *atoms*:
maximal runs of identifier characters and string literals. An atom is then
classified as a keyword, identifier, string, number or reserved token exactly
as the spec's longest-match rule does, so ``0$x`` or ``"a""b"`` are single
reserved tokens (which the parser rejects as "unknown operator").

White space, line comments ``;;`` and nested block comments ``(; ;)`` are
skipped. Lexical errors (bad characters, unterminated strings or comments,
bad escapes, empty identifiers) raise :class:`~wasmport.errors.ParseError`
with the 1-based line and column where the problem starts.
"""

from __future__ import annotations

import enum
import re
from typing import Callable, Iterator, List, Optional, Tuple

from ..errors import ParseError


class TokenKind(enum.Enum):
    LPAREN = "("
    RPAREN = ")"
    #: ``(@id``: opens an annotation; ``Token.text`` is the id (decoded if quoted).
    ANNOTATION = "(@"
    KEYWORD = "keyword"
    ID = "id"
    STRING = "string"
    NUMBER = "number"
    RESERVED = "reserved"


class Token:
    """One token. ``text`` is the raw source text (for ANNOTATION: the annotation id)."""

    __slots__ = ("kind", "text", "line", "column")

    def __init__(self, kind: TokenKind, text: str, line: int, column: int) -> None:
        self.kind = kind
        self.text = text
        self.line = line
        self.column = column

    def __repr__(self) -> str:
        return f"Token({self.kind.name}, {self.text!r}, {self.line}:{self.column})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Token):
            return NotImplemented
        return self.kind is other.kind and self.text == other.text

    def __hash__(self) -> int:
        return hash((self.kind, self.text))


_IDCHARS = r"0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~"
_STRING = (
    r'"(?:[^"\\\x00-\x1f\x7f]'
    r"|\\(?:[nrt\\'\"]|[0-9a-fA-F]{2}|u\{[0-9a-fA-F](?:_?[0-9a-fA-F])*\}))*\""
)
_ATOM_PART = rf"[{_IDCHARS},\[\]{{}}]|{_STRING}|;(?!;)"

#: The scanner: white space and line comments to skip, then one token (or a
#: block comment / annotation opener, handled in code). Groups: 1 = "(", 2 = ")",
#: 3 = atom, 4 = "(;", 5 = "(@".
_SCAN = re.compile(
    r"(?:[ \t\r\n]+|;;[^\n\r]*)*"
    rf"(?:(\((?![;@]))|(\))|((?:{_ATOM_PART})+)|(\(;)|(\(@))?"
)
_COMMENT_DELIMITER = re.compile(r"\(;|;\)|\n")
_STRING_RE = re.compile(_STRING)
_IDCHAR_RUN = re.compile(rf"[{_IDCHARS}]+")
_ANNOTATION_ID = re.compile(rf"[{_IDCHARS}]+|{_STRING}")

_DEC = r"[0-9](?:_?[0-9])*"
_HEX = r"[0-9a-fA-F](?:_?[0-9a-fA-F])*"
#: Every number token (integers are a subset of the float syntax).
NUMBER_RE = re.compile(
    rf"[+-]?(?:0x{_HEX}(?:\.(?:{_HEX})?)?(?:[pP][+-]?{_DEC})?"
    rf"|{_DEC}(?:\.(?:{_DEC})?)?(?:[eE][+-]?{_DEC})?"
    rf"|inf|nan(?::0x{_HEX})?)"
)


class Lexer:
    """Iterates over the tokens of ``source``; see :func:`tokenize`."""

    def __init__(self, source: str, filename: Optional[str] = None) -> None:
        self.source = source
        self.filename = filename
        self.pos = 0
        self.line = 1
        self.line_start = 0
        #: Parenthesis depth, and the depths at which open annotations started.
        self.depth = 0
        self.annotation_depths: List[int] = []

    def error(self, message: str, pos: int) -> ParseError:
        line, column = self.position(pos)
        return ParseError(message, line, column, self.filename)

    def position(self, pos: int) -> Tuple[int, int]:
        """Line and column of ``pos`` (cheap when ``pos`` is on the current line)."""
        if pos >= self.line_start:
            return self.line, pos - self.line_start + 1
        line = self.source.count("\n", 0, pos) + 1
        return line, pos - (self.source.rfind("\n", 0, pos) + 1) + 1

    def _advance_lines(self, start: int, end: int) -> None:
        newlines = self.source.count("\n", start, end)
        if newlines:
            self.line += newlines
            self.line_start = self.source.rfind("\n", start, end) + 1

    def tokens(self) -> Iterator[Token]:
        source = self.source
        size = len(source)
        scan = _SCAN.match
        lparen, rparen = TokenKind.LPAREN, TokenKind.RPAREN
        while self.pos < size:
            match = scan(source, self.pos)
            kind = match.lastindex  # type: ignore[union-attr]
            start = match.start(kind) if kind else match.end()  # type: ignore[union-attr]
            if start != self.pos and "\n" in source[self.pos : start]:
                self._advance_lines(self.pos, start)
            if kind is None:
                if start < size:
                    raise self._bad_input(start)
                self.pos = start
            elif kind == 1:
                self.pos = start + 1
                self.depth += 1
                yield Token(lparen, "(", self.line, start - self.line_start + 1)
            elif kind == 2:
                self.pos = start + 1
                self.depth -= 1
                if self.annotation_depths and self.annotation_depths[-1] == self.depth:
                    self.annotation_depths.pop()
                yield Token(rparen, ")", self.line, start - self.line_start + 1)
            elif kind == 3:
                yield self._atom(start, match.end())  # type: ignore[union-attr]
            elif kind == 4:
                self._skip_block_comment(start)
            else:
                yield self._annotation(start)

    def _skip_block_comment(self, start: int) -> None:
        depth = 1
        pos = start + 2
        starts: List[int] = [start]
        while depth:
            match = _COMMENT_DELIMITER.search(self.source, pos)
            if match is None:
                raise self.error("unclosed comment", starts[-1])
            text = match.group()
            pos = match.end()
            if text == "\n":
                self.line += 1
                self.line_start = pos
            elif text == "(;":
                depth += 1
                starts.append(match.start())
            else:
                depth -= 1
                starts.pop()
        self.pos = pos

    def _annotation(self, start: int) -> Token:
        column = start - self.line_start + 1
        match = _ANNOTATION_ID.match(self.source, start + 2)
        if match is None and self.annotation_depths:
            # Inside an annotation, "(@" without an id is a plain "(" then "@...".
            self.pos = start + 1
            self.depth += 1
            return Token(TokenKind.LPAREN, "(", self.line, column)
        if match is None:
            if self.source.startswith('"', start + 2):
                raise self._bad_string(start + 2, "empty annotation id")
            raise self.error("empty annotation id", start)
        text = match.group()
        if text.startswith('"'):
            name = _decode_name(text, self.error, start, "empty annotation id")
        else:
            name = text
        self.pos = match.end()
        self.annotation_depths.append(self.depth)
        self.depth += 1
        return Token(TokenKind.ANNOTATION, name, self.line, column)

    def _atom(self, start: int, end: int) -> Token:
        text = self.source[start:end]
        column = start - self.line_start + 1
        self.pos = end
        if end < len(self.source) and self.source[end] == '"':
            # The atom stopped at a string literal that does not lex.
            if text == "$":
                raise self._bad_string(end, "empty identifier", start)
            raise self._bad_string(end, None)
        kind = _classify(text)
        if kind is TokenKind.ID:
            self._check_id(text, start)
        elif kind is TokenKind.STRING and "\\u" in text:
            from .literals import BadEscape, decode_string

            try:
                decode_string(text)
            except BadEscape:
                raise self.error("illegal escape", start) from None
        return Token(kind, text, self.line, column)

    def _check_id(self, text: str, start: int) -> None:
        if text == "$":
            raise self.error("empty identifier", start)
        if text[1] == '"':
            _decode_name(text[1:], self.error, start, "empty identifier")

    def _bad_input(self, pos: int) -> ParseError:
        char = self.source[pos]
        if char == '"':
            return self._bad_string(pos, None)
        return self.error("illegal character", pos)

    def _bad_string(self, pos: int, message: Optional[str], report_at: int = -1) -> ParseError:
        """Diagnose the string literal starting at ``pos`` that failed to lex."""
        source = self.source
        index = pos + 1
        while index < len(source):
            char = source[index]
            if char == '"':
                break
            if char == "\n":
                return self._string_error(message, "unclosed string literal", pos, report_at)
            if char == "\\":
                escape = _STRING_ESCAPE.match(source, index)
                if escape is None:
                    return self._string_error(message, "illegal escape", index, report_at)
                index = escape.end()
                continue
            if ord(char) < 0x20 or char == "\x7f":
                return self._string_error(
                    message, "illegal control character in string literal", index, report_at
                )
            index += 1
        else:
            return self._string_error(message, "unclosed string literal", pos, report_at)
        return self.error("unknown operator", pos)

    def _string_error(
        self, override: Optional[str], message: str, pos: int, report_at: int
    ) -> ParseError:
        if override is not None:
            return self.error(override, report_at if report_at >= 0 else pos)
        return self.error(message, pos)


_STRING_ESCAPE = re.compile(r"\\(?:[nrt\\'\"]|[0-9a-fA-F]{2}|u\{[0-9a-fA-F](?:_?[0-9a-fA-F])*\})")


_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")


def _classify(text: str) -> TokenKind:
    first = text[0]
    if first in _LOWER and first != "i" and first != "n":
        return TokenKind.KEYWORD if _IDCHAR_RUN.fullmatch(text) else TokenKind.RESERVED
    if first == '"':
        return TokenKind.STRING if _STRING_RE.fullmatch(text) else TokenKind.RESERVED
    if first == "$":
        rest = text[1:]
        if not rest or _IDCHAR_RUN.fullmatch(rest) or _STRING_RE.fullmatch(rest):
            return TokenKind.ID
        return TokenKind.RESERVED
    if NUMBER_RE.fullmatch(text):
        return TokenKind.NUMBER
    if "a" <= first <= "z" and _IDCHAR_RUN.fullmatch(text):
        return TokenKind.KEYWORD
    return TokenKind.RESERVED


def _decode_name(
    text: str, error: Callable[[str, int], ParseError], start: int, empty_message: str
) -> str:
    """Decode a quoted id or annotation id; it must be non-empty valid UTF-8."""
    from .literals import decode_string

    raw = decode_string(text)
    try:
        name = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise error("malformed UTF-8 encoding", start) from None
    if not name:
        raise error(empty_message, start)
    return name


def tokenize(source: str, filename: Optional[str] = None) -> Iterator[Token]:
    """The tokens of ``source``, without white space and comments."""
    return Lexer(source, filename).tokens()


__all__ = ["NUMBER_RE", "Lexer", "Token", "TokenKind", "tokenize"]
