"""Literal values: strings, integers and floats, including exact rounding."""

from __future__ import annotations

import struct
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wasmport.errors import ParseError
from wasmport.text.lexer import Token, TokenKind
from wasmport.text.literals import (
    id_name,
    parse_f32,
    parse_f64,
    parse_int,
    parse_uint,
    string_bytes,
    string_text,
)


def f64_bits(value: float) -> int:
    return int(struct.unpack("<Q", struct.pack("<d", value))[0])


def f32_bits(value: float) -> int:
    return int(struct.unpack("<I", struct.pack("<f", value))[0])


def test_string_escapes() -> None:
    assert string_bytes('"a\\n\\t\\r\\\\\\\'\\"\\00\\ff\\u{41}\\u{1F600}é"') == (
        b"a\n\t\r\\'\"\x00\xffA" + "\U0001f600é".encode()
    )


def test_string_text_requires_utf8() -> None:
    assert string_text('"\\u{3bb}"') == "λ"
    with pytest.raises(ParseError, match="malformed UTF-8 encoding"):
        string_text('"\\ff"')


def test_id_names() -> None:
    assert id_name("$abc") == "abc"
    assert id_name('$"abc"') == "abc"
    assert id_name(Token(TokenKind.ID, '$"\\u{3bb}"', 1, 1)) == "λ"


@pytest.mark.parametrize(
    ("text", "bits", "value"),
    [
        ("0", 32, 0),
        ("0xffffffff", 32, -1),
        ("4294967295", 32, -1),
        ("-0x80000000", 32, -(2**31)),
        ("+0x7fff_ffff", 32, 2**31 - 1),
        ("0_123_456_789", 32, 123456789),
        ("0xffff_ffff_ffff_ffff", 64, -1),
        ("-9223372036854775808", 64, -(2**63)),
        ("255", 8, -1),
    ],
)
def test_parse_int(text: str, bits: int, value: int) -> None:
    assert parse_int(text, bits) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0x100000000", "constant out of range"),
        ("4294967296", "constant out of range"),
        ("-0x80000001", "constant out of range"),
        ("-2147483649", "constant out of range"),
        ("1_", "unknown operator"),
        ("_1", "unknown operator"),
        ("0x", "unknown operator"),
    ],
)
def test_parse_int_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_int(text, 32)
    assert caught.value.message == message


def test_parse_int_float_token_is_unexpected() -> None:
    with pytest.raises(ParseError, match="unexpected token"):
        parse_int(Token(TokenKind.NUMBER, "1.5", 3, 7), 32)


def test_parse_uint() -> None:
    assert parse_uint("0xffff_ffff") == 2**32 - 1
    assert parse_uint("0x1_0000_0000", 64) == 2**32
    with pytest.raises(ParseError, match="i32 constant out of range"):
        parse_uint("0x1_0000_0000")
    with pytest.raises(ParseError, match="unexpected token"):
        parse_uint("+1")


@pytest.mark.parametrize(
    ("text", "bits"),
    [
        ("0", 0),
        ("-0", 0x80000000),
        ("1", 0x3F800000),
        ("0.1", 0x3DCCCCCD),
        ("0x1p-149", 0x00000001),
        ("0x1p-150", 0x00000000),  # exactly half the smallest subnormal: ties to even
        ("0x1.000001p-149", 0x00000001),
        ("0x1.fffffep127", 0x7F7FFFFF),
        ("0x1.fffffefffffp127", 0x7F7FFFFF),
        ("inf", 0x7F800000),
        ("-inf", 0xFF800000),
        ("nan", 0x7FC00000),
        ("-nan", 0xFFC00000),
        ("nan:0x1", 0x7F800001),
        ("-nan:0x7f_ffff", 0xFFFFFFFF),
        ("1e-45", 0x00000001),
        ("3.4028234e38", 0x7F7FFFFF),
        # 1 + 2**-24 + 2**-60: just above a tie, must round up (rounding through
        # f64 first would land on the tie and round down to even).
        ("1.0000000596046447753906250000000000867", 0x3F800001),
        ("0x1.000001000000001p0", 0x3F800001),
        ("0x1.000001p0", 0x3F800000),
        ("0x1.000003p0", 0x3F800002),
    ],
)
def test_parse_f32(text: str, bits: int) -> None:
    assert parse_f32(text) == bits


@pytest.mark.parametrize(
    ("text", "bits"),
    [
        ("0x1p-1074", 1),
        ("0x1p-1075", 0),
        ("0x1.8p-1074", 2),
        ("2.2250738585072014e-308", 0x0010000000000000),
        ("1.7976931348623157e308", 0x7FEFFFFFFFFFFFFF),
        ("0x1.fffffffffffff7ffp1023", 0x7FEFFFFFFFFFFFFF),
        ("nan:0xf_ffff_ffff_ffff", 0x7FFFFFFFFFFFFFFF),
        ("-0x0.0p0", 0x8000000000000000),
        ("1_000.000_1", f64_bits(1000.0001)),
        ("1e-400", 0),
        ("1e-100000000000", 0),
    ],
)
def test_parse_f64(text: str, bits: int) -> None:
    assert parse_f64(text) == bits


@pytest.mark.parametrize(
    "text",
    ["0x1p128", "-0x1.ffffffp127", "1e39", "nan:0x0", "nan:0x80_0000", "1e100000000000"],
)
def test_f32_out_of_range(text: str) -> None:
    with pytest.raises(ParseError, match="constant out of range"):
        parse_f32(text)


@pytest.mark.parametrize("text", ["0x1p1024", "0x1.fffffffffffff8p1023", "1e309", "nan:0x0"])
def test_f64_out_of_range(text: str) -> None:
    with pytest.raises(ParseError, match="constant out of range"):
        parse_f64(text)


@pytest.mark.parametrize("text", ["1_.0", "1._0", ".5", "1e", "0x1p", "0x.p1", "nan:1", "infinity"])
def test_malformed_floats(text: str) -> None:
    with pytest.raises(ParseError, match="unknown operator"):
        parse_f64(text)


finite_doubles = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=400, deadline=None)
@given(finite_doubles)
def test_f64_decimal_matches_python(value: float) -> None:
    for text in (repr(value), f"{value:.25e}", f"{value:.3e}"):
        if float(text) in (float("inf"), float("-inf")):
            with pytest.raises(ParseError, match="constant out of range"):
                parse_f64(text)
        else:
            assert parse_f64(text) == f64_bits(float(text))


@settings(max_examples=400, deadline=None)
@given(finite_doubles)
def test_f64_hex_matches_python(value: float) -> None:
    assert parse_f64(value.hex()) == f64_bits(value)


def nearest_f32_bits(exact: Fraction) -> int:
    """Round-to-nearest-even ``exact`` to f32 by brute force over neighbours."""
    sign = 0x80000000 if exact < 0 else 0
    magnitude = abs(exact)
    approx = float(magnitude)
    candidates = {f32_bits(approx)}
    for bits in list(candidates):
        candidates.update({max(bits - 1, 0), min(bits + 1, 0x7F7FFFFF)})

    def value(bits: int) -> Fraction:
        return Fraction(struct.unpack("<f", struct.pack("<I", bits))[0])

    best = min(candidates, key=lambda bits: (abs(value(bits) - magnitude), bits & 1))
    return sign | best


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=10**30),
    st.integers(min_value=-60, max_value=25),
    st.booleans(),
)
def test_f32_decimal_rounds_exactly_once(mantissa: int, exponent: int, negative: bool) -> None:
    text = f"{'-' if negative else ''}{mantissa}e{exponent}"
    exact = Fraction(mantissa) * Fraction(10) ** exponent * (-1 if negative else 1)
    if abs(exact) >= Fraction(2**128 - 2**103):
        with pytest.raises(ParseError):
            parse_f32(text)
        return
    assert parse_f32(text) == nearest_f32_bits(exact)


@settings(max_examples=300, deadline=None)
@given(st.floats(width=32, allow_nan=False, allow_infinity=False))
def test_f32_round_trips_through_its_shortest_decimal(value: float) -> None:
    assert parse_f32(repr(value)) == f32_bits(value)
