"""The lexer and the s-expression reader: token classes, positions, comments,
annotations, and the lexical errors with the spec's messages."""

from __future__ import annotations

from typing import List, Tuple

import pytest

from wasmport.errors import ParseError
from wasmport.text.lexer import Token, TokenKind, tokenize
from wasmport.text.sexpr import SList, read


def kinds(source: str) -> List[Tuple[TokenKind, str]]:
    return [(token.kind, token.text) for token in tokenize(source)]


K = TokenKind


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("i32.add", K.KEYWORD),
        ("offset=0x10", K.KEYWORD),
        ("nan:canonical", K.KEYWORD),
        ("$x", K.ID),
        ("$a.b!c#$%&'*+-./:<=>?@\\^_`|~", K.ID),
        ('$"quoted id"', K.ID),
        ('"str\\n\\t\\\\\\"\\u{1F600}\\ff"', K.STRING),
        ("0", K.NUMBER),
        ("-0x1_F", K.NUMBER),
        ("+1_000", K.NUMBER),
        ("1.5e-3", K.NUMBER),
        ("0x1.fp+3", K.NUMBER),
        ("inf", K.NUMBER),
        ("-nan:0x1", K.NUMBER),
        ("1.", K.NUMBER),
        ("0x", K.RESERVED),
        ("1_", K.RESERVED),
        ("1__0", K.RESERVED),
        ("0$x", K.RESERVED),
        ('"a""b"', K.RESERVED),
        ('$x"a"', K.RESERVED),
        ("@a", K.RESERVED),
        ("Upper", K.RESERVED),
        (",{}[]", K.RESERVED),
    ],
)
def test_token_classes(source: str, kind: TokenKind) -> None:
    assert kinds(source) == [(kind, source)]


def test_parentheses_and_comments_delimit_tokens() -> None:
    source = "(func(nop)nop;;line\n(; block (; nested ;) ;)br 0)"
    assert kinds(source) == [
        (K.LPAREN, "("),
        (K.KEYWORD, "func"),
        (K.LPAREN, "("),
        (K.KEYWORD, "nop"),
        (K.RPAREN, ")"),
        (K.KEYWORD, "nop"),
        (K.KEYWORD, "br"),
        (K.NUMBER, "0"),
        (K.RPAREN, ")"),
    ]


def test_positions_are_one_based_lines_and_columns() -> None:
    tokens = list(tokenize('(module\n  (; c\n ;) $m\n\t"s")'))
    where = [(token.text, token.line, token.column) for token in tokens]
    assert where == [("(", 1, 1), ("module", 1, 2), ("$m", 3, 5), ('"s"', 4, 2), (")", 4, 5)]


@pytest.mark.parametrize(
    ("source", "message", "line", "column"),
    [
        ('"abc', "unclosed string literal", 1, 1),
        ('(x "a\nb")', "unclosed string literal", 1, 4),
        ('"a\tb"', "illegal control character in string literal", 1, 3),
        ('"\\q"', "illegal escape", 1, 2),
        ('"\\u{110000}"', "illegal escape", 1, 1),
        ("(; never closed", "unclosed comment", 1, 1),
        ("(a \x01)", "illegal character", 1, 4),
        ("ä", "illegal character", 1, 1),
        ("$", "empty identifier", 1, 1),
        ('$""', "empty identifier", 1, 1),
        ('$"\\ff"', "malformed UTF-8 encoding", 1, 1),
        ("(@)", "empty annotation id", 1, 1),
        ('(@"")', "empty annotation id", 1, 1),
    ],
)
def test_lexical_errors(source: str, message: str, line: int, column: int) -> None:
    with pytest.raises(ParseError) as caught:
        read(source)
    assert caught.value.message == message
    assert (caught.value.line, caught.value.column) == (line, column)


def test_reader_builds_lists_with_positions() -> None:
    (module,) = read("(module\n  (func $f (param i32)))")
    assert isinstance(module, SList)
    assert module.head == "module" and (module.line, module.column) == (1, 1)
    func = module.items[1]
    assert isinstance(func, SList) and func.head == "func"
    assert (func.line, func.column) == (2, 3)
    param = func.items[2]
    assert isinstance(param, SList) and [t.text for t in param.items if isinstance(t, Token)] == [
        "param",
        "i32",
    ]


def test_annotations_are_kept_and_may_nest() -> None:
    (module,) = read('(module (@custom "sec" (after func) "data") (@a (@b x) (@) y))')
    assert isinstance(module, SList)
    custom, other = module.items[1], module.items[2]
    assert isinstance(custom, SList) and custom.annotation == "custom"
    assert isinstance(custom.items[0], Token) and custom.items[0].text == '"sec"'
    assert isinstance(other, SList) and other.annotation == "a"
    inner = other.items[0]
    assert isinstance(inner, SList) and inner.annotation == "b"
    # Inside an annotation "(@" without an id is an ordinary parenthesis.
    plain = other.items[1]
    assert isinstance(plain, SList) and plain.annotation is None


def test_annotation_before_the_head_moves_after_it() -> None:
    (node,) = read("((@a) module $m)")
    assert isinstance(node, SList) and node.head == "module"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("(module", "unexpected end of input"),
        ("(module))", "unexpected token"),
        ("(@x (y)", "unclosed annotation"),
        (b"(module \xff)", "malformed UTF-8 encoding"),
    ],
)
def test_unbalanced_input(source: object, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        read(source)  # type: ignore[arg-type]
    assert caught.value.message == message


def test_deep_nesting_does_not_recurse() -> None:
    depth = 100_000
    (node,) = read("(" * depth + ")" * depth)
    for _ in range(depth - 1):
        assert isinstance(node, SList)
        node = node.items[0]
    assert isinstance(node, SList) and node.items == ()


@pytest.mark.parametrize("newline", ["\n", "\r", "\r\n"])
def test_line_comments_end_at_every_newline_form(newline: str) -> None:
    (node,) = read(f"(a ;; comment{newline} (b))")
    assert isinstance(node, SList)
    inner = node.items[1]
    assert isinstance(inner, SList)
    assert [item.text for item in inner.items if isinstance(item, Token)] == ["b"]
