"""Values of literal tokens: strings, integers and floats (spec "Values").

Integers come back as Python ints; :func:`parse_int` gives the two's-complement
*signed* value of the requested width (so ``i32.const 0xffffffff`` is -1).
Floats come back as their raw IEEE 754 bit patterns, rounded to nearest, ties
to even, with exact rational arithmetic so that neither decimal nor hexadecimal
literals are ever rounded twice.

Each function takes either the token or its text; with a token, errors carry
its position.
"""

from __future__ import annotations

import re
from typing import Optional, Tuple, Union

from ..errors import ParseError
from .lexer import NUMBER_RE, Token, TokenKind

Literal = Union[Token, str]

_ESCAPES = {"n": b"\n", "r": b"\r", "t": b"\t", "\\": b"\\", "'": b"'", '"': b'"'}
_ESCAPE_RE = re.compile(r"\\(?:([nrt\\'\"])|([0-9a-fA-F]{2})|u\{([0-9a-fA-F_]+)\})")


class BadEscape(ValueError):
    """A ``\\u{...}`` escape that names no Unicode scalar value."""


def decode_string(text: str) -> bytes:
    """The bytes of a string literal's source text (including its quotes).

    The text must already be lexically valid; raises :class:`BadEscape` for a
    ``\\u{...}`` escape outside the Unicode scalar values.
    """
    body = text[1:-1]
    if "\\" not in body:
        return body.encode("utf-8")
    out = bytearray()
    pos = 0
    for match in _ESCAPE_RE.finditer(body):
        out += body[pos : match.start()].encode("utf-8")
        simple, hex_byte, code = match.groups()
        if simple is not None:
            out += _ESCAPES[simple]
        elif hex_byte is not None:
            out.append(int(hex_byte, 16))
        else:
            value = int(code.replace("_", ""), 16)
            if value >= 0x110000 or 0xD800 <= value < 0xE000:
                raise BadEscape(f"invalid Unicode escape \\u{{{code}}}")
            out += chr(value).encode("utf-8")
        pos = match.end()
    out += body[pos:].encode("utf-8")
    return bytes(out)


def _error(message: str, where: Literal) -> ParseError:
    if isinstance(where, Token):
        return ParseError(message, where.line, where.column)
    return ParseError(message, 0, 0)


def _text(literal: Literal) -> str:
    return literal.text if isinstance(literal, Token) else literal


def string_bytes(literal: Literal) -> bytes:
    """The bytes a string literal denotes."""
    text = _text(literal)
    if isinstance(literal, Token) and literal.kind is not TokenKind.STRING:
        raise _error("unexpected token", literal)
    try:
        return decode_string(text)
    except BadEscape:
        raise _error("malformed UTF-8 encoding", literal) from None


def string_text(literal: Literal) -> str:
    """A string literal as text (names): its bytes must be valid UTF-8."""
    try:
        return string_bytes(literal).decode("utf-8")
    except UnicodeDecodeError:
        raise _error("malformed UTF-8 encoding", literal) from None


def id_name(literal: Literal) -> str:
    """The name of an identifier token: ``$abc`` and ``$"abc"`` both give ``abc``."""
    text = _text(literal)
    if text.startswith('$"'):
        return string_text(text[1:]) if isinstance(literal, str) else _quoted_id(literal)
    return text[1:]


def _quoted_id(token: Token) -> str:
    try:
        return decode_string(token.text[1:]).decode("utf-8")
    except (BadEscape, UnicodeDecodeError):
        raise _error("malformed UTF-8 encoding", token) from None


# ---------------------------------------------------------------- integers

_INT_RE = re.compile(r"([+-]?)(?:0x([0-9a-fA-F](?:_?[0-9a-fA-F])*)|([0-9](?:_?[0-9])*))")


def _magnitude(literal: Literal) -> Tuple[str, int]:
    """Sign (``''``, ``'+'`` or ``'-'``) and magnitude of an integer literal."""
    match = _INT_RE.fullmatch(_text(literal))
    if match is None:
        if isinstance(literal, Token) and literal.kind is TokenKind.NUMBER:
            raise _error("unexpected token", literal)  # a float where an integer belongs
        raise _error("unknown operator", literal)
    sign, hex_digits, dec_digits = match.groups()
    if hex_digits is not None:
        return sign, int(hex_digits.replace("_", ""), 16)
    return sign, int(dec_digits.replace("_", ""), 10)


def is_int(literal: Literal) -> bool:
    """Whether the literal has integer syntax."""
    return _INT_RE.fullmatch(_text(literal)) is not None


def parse_int(
    literal: Literal, bits: int, message: str = "constant out of range"
) -> int:
    """An ``iN`` literal (signed or unsigned form) as the signed value of width ``bits``."""
    sign, value = _magnitude(literal)
    if sign == "-":
        if value > 1 << (bits - 1):
            raise _error(message, literal)
        value = -value
    elif value >= 1 << bits:
        raise _error(message, literal)
    if value >= 1 << (bits - 1):
        value -= 1 << bits
    return value


def parse_uint(literal: Literal, bits: int = 32, message: Optional[str] = None) -> int:
    """A ``uN`` literal (no sign allowed): indices, offsets, alignments, limits."""
    sign, value = _magnitude(literal)
    if sign:
        raise _error("unexpected token", literal)
    if value >= 1 << bits:
        raise _error(message or f"i{bits} constant out of range", literal)
    return value


# ---------------------------------------------------------------- floats


class _Format:
    """An IEEE 754 binary format: ``fraction`` stored bits, ``exponent`` bits."""

    def __init__(self, fraction: int, exponent: int) -> None:
        self.fraction = fraction
        self.bias = (1 << (exponent - 1)) - 1
        self.emin = 1 - self.bias
        self.emax = self.bias
        self.sign_bit = 1 << (fraction + exponent)
        self.exponent_mask = ((1 << exponent) - 1) << fraction
        self.fraction_mask = (1 << fraction) - 1
        # |log2| bounds beyond which a literal is certainly 0 or certainly too big.
        self.tiny = self.emin - fraction - 2
        self.huge = self.emax + 2


F32_FORMAT = _Format(23, 8)
F64_FORMAT = _Format(52, 11)

_HEXFLOAT_RE = re.compile(
    r"0x([0-9a-fA-F_]+)(?:\.([0-9a-fA-F_]*))?(?:[pP]([+-]?[0-9_]+))?"
)
_DECFLOAT_RE = re.compile(r"([0-9_]+)(?:\.([0-9_]*))?(?:[eE]([+-]?[0-9_]+))?")


def _round(fmt: _Format, numerator: int, denominator: int) -> Optional[int]:
    """Bits of the positive rational numerator/denominator, or None on overflow."""
    exponent = numerator.bit_length() - denominator.bit_length()
    if (numerator << max(0, -exponent)) < (denominator << max(0, exponent)):
        exponent -= 1  # now 2**exponent <= value < 2**(exponent+1)
    exponent = max(exponent, fmt.emin)
    shift = fmt.fraction - exponent
    if shift >= 0:
        divisor = denominator
        quotient, remainder = divmod(numerator << shift, divisor)
    else:
        divisor = denominator << -shift
        quotient, remainder = divmod(numerator, divisor)
    twice = remainder * 2
    if twice > divisor or (twice == divisor and quotient & 1):
        quotient += 1
    if quotient >> (fmt.fraction + 1):
        quotient >>= 1
        exponent += 1
    if exponent > fmt.emax:
        return None
    if quotient >> fmt.fraction == 0:
        return quotient  # subnormal (or zero)
    return ((exponent + fmt.bias) << fmt.fraction) | (quotient & fmt.fraction_mask)


_LOG2 = {2: 1.0, 10: 3.321928094887362}


def _scaled(mantissa: int, base: int, power: int, digits: int, fmt: _Format) -> Optional[int]:
    """Round ``mantissa * base**power``; ``digits`` is the mantissa's digit count.

    The value lies in ``[base**(power+digits-1), base**(power+digits))``; values
    far outside the format's range are decided without big-number arithmetic.
    """
    if mantissa == 0:
        return 0
    if (power + digits) * _LOG2[base] < fmt.tiny - 4:
        return 0
    if (power + digits - 1) * _LOG2[base] > fmt.huge + 4:
        return None
    if power >= 0:
        return _round(fmt, mantissa * base**power, 1)
    return _round(fmt, mantissa, base ** (-power))


def _hex_float(body: str, fmt: _Format) -> Optional[int]:
    match = _HEXFLOAT_RE.fullmatch(body)
    if match is None:
        return None
    whole, fraction, exponent = match.groups()
    whole = whole.replace("_", "")
    fraction = (fraction or "").replace("_", "")
    mantissa = int(whole + fraction, 16)
    power = int((exponent or "0").replace("_", ""), 10) - 4 * len(fraction)
    return _scaled(mantissa, 2, power, mantissa.bit_length(), fmt)


def _dec_float(body: str, fmt: _Format) -> Optional[int]:
    match = _DECFLOAT_RE.fullmatch(body)
    if match is None:
        return None
    whole, fraction, exponent = match.groups()
    whole = whole.replace("_", "")
    fraction = (fraction or "").replace("_", "")
    digits = (whole + fraction).lstrip("0")
    if not digits:
        return 0
    power = int((exponent or "0").replace("_", ""), 10) - len(fraction)
    return _scaled(int(digits), 10, power, len(digits), fmt)


def _parse_float(literal: Literal, fmt: _Format) -> int:
    text = _text(literal)
    if NUMBER_RE.fullmatch(text) is None:
        raise _error("unknown operator", literal)
    sign = fmt.sign_bit if text.startswith("-") else 0
    body = text.lstrip("+-")
    if body == "inf":
        return sign | fmt.exponent_mask
    if body == "nan":
        return sign | fmt.exponent_mask | (1 << (fmt.fraction - 1))
    if body.startswith("nan:0x"):
        payload = int(body[6:].replace("_", ""), 16)
        if payload == 0 or payload > fmt.fraction_mask:
            raise _error("constant out of range", literal)
        return sign | fmt.exponent_mask | payload
    if body.startswith("0x"):
        bits = _hex_float(body, fmt)
    else:
        bits = _dec_float(body, fmt)
    if bits is None:
        raise _error("constant out of range", literal)
    return sign | bits


def parse_f32(literal: Literal) -> int:
    """An ``f32`` literal as its 32 raw bits."""
    return _parse_float(literal, F32_FORMAT)


def parse_f64(literal: Literal) -> int:
    """An ``f64`` literal as its 64 raw bits."""
    return _parse_float(literal, F64_FORMAT)


__all__ = [
    "BadEscape",
    "decode_string",
    "id_name",
    "is_int",
    "parse_f32",
    "parse_f64",
    "parse_int",
    "parse_uint",
    "string_bytes",
    "string_text",
]
