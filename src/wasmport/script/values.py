"""Parsing a script's constants (action arguments) and result patterns."""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Tuple

from ..errors import ParseError
from ..syntax.types import AbsHeapType, NumType
from ..text import literals
from ..text.lexer import Token, TokenKind
from ..text.sexpr import SList
from .ast import (
    EitherPattern,
    LanePattern,
    LaneShape,
    NanKind,
    NanPattern,
    NumValue,
    RefExternPattern,
    RefExternValue,
    RefHostPattern,
    RefHostValue,
    RefKindPattern,
    RefNullPattern,
    RefNullValue,
    ResultPattern,
    V128Pattern,
    V128Value,
    Value,
    ValuePattern,
)
from .cursor import Cursor

_NUM_CONSTS = {
    "i32.const": NumType.I32,
    "i64.const": NumType.I64,
    "f32.const": NumType.F32,
    "f64.const": NumType.F64,
}
_HEAP_TYPES = {heap.text: heap for heap in AbsHeapType}
_SHAPES = {shape.text: shape for shape in LaneShape}
_NANS = {kind.value: kind for kind in NanKind}
#: Result keywords that stand for "a non-null reference of this abstract type".
_REF_KINDS = {
    "ref.func": AbsHeapType.FUNC,
    "ref.any": AbsHeapType.ANY,
    "ref.eq": AbsHeapType.EQ,
    "ref.i31": AbsHeapType.I31,
    "ref.struct": AbsHeapType.STRUCT,
    "ref.array": AbsHeapType.ARRAY,
    "ref.exn": AbsHeapType.EXN,
}


def _number(token: Token, bits: int, is_float: bool) -> int:
    """The unsigned bits of a number literal of width ``bits``."""
    if token.kind is not TokenKind.NUMBER:
        raise ParseError("unexpected token", token.line, token.column)
    if is_float:
        return literals.parse_f32(token) if bits == 32 else literals.parse_f64(token)
    return literals.parse_int(token, bits) & ((1 << bits) - 1)


def _signed(bits: int, width: int) -> int:
    return bits - (1 << width) if bits >> (width - 1) else bits


def _num_value(cursor: Cursor, type_: NumType) -> NumValue:
    token = cursor.token(TokenKind.NUMBER)
    width = 32 if type_ in (NumType.I32, NumType.F32) else 64
    is_float = type_ in (NumType.F32, NumType.F64)
    bits = _number(token, width, is_float)
    return NumValue(type_, bits if is_float else _signed(bits, width))


def _lanes(cursor: Cursor, allow_nan: bool) -> Tuple[LaneShape, Tuple[LanePattern, ...]]:
    shape_token = cursor.token(TokenKind.KEYWORD)
    shape = _SHAPES.get(shape_token.text)
    if shape is None:
        raise cursor.error("unexpected token", shape_token)
    lanes: List[LanePattern] = []
    for _ in range(shape.lanes):
        item = cursor.next()
        if not isinstance(item, Token):
            raise cursor.error("unexpected token", item)
        nan = _NANS.get(item.text) if allow_nan and shape.is_float else None
        lanes.append(nan if nan is not None else _number(item, shape.lane_bits, shape.is_float))
    return shape, tuple(lanes)


def _v128_bytes(shape: LaneShape, lanes: Tuple[int, ...]) -> bytes:
    size = shape.lane_bits // 8
    return b"".join(lane.to_bytes(size, "little") for lane in lanes)


def _heap_type(cursor: Cursor) -> AbsHeapType:
    token = cursor.token(TokenKind.KEYWORD)
    heap = _HEAP_TYPES.get(token.text)
    if heap is None:
        raise cursor.error("unknown heap type", token)
    return heap


def _payload(cursor: Cursor) -> int:
    return literals.parse_uint(cursor.token(TokenKind.NUMBER), 64)


def _v128_value(cursor: Cursor) -> Value:
    shape, lanes = _lanes(cursor, allow_nan=False)
    return V128Value(_v128_bytes(shape, tuple(lane for lane in lanes if isinstance(lane, int))))


_VALUE_PARSERS: Dict[str, Callable[[Cursor], Value]] = {
    "v128.const": _v128_value,
    "ref.null": lambda cursor: RefNullValue(_heap_type(cursor)),
    "ref.extern": lambda cursor: RefExternValue(_payload(cursor)),
    "ref.host": lambda cursor: RefHostValue(_payload(cursor)),
}


def parse_value(node: SList, filename: str) -> Value:
    """A constant: ``(i32.const 1)``, ``(v128.const i8x16 ...)``, ``(ref.null func)``..."""
    cursor = Cursor(node, filename)
    head = cursor.head
    type_ = _NUM_CONSTS.get(head or "")
    if type_ is not None:
        value: Value = _num_value(cursor, type_)
    else:
        parser = _VALUE_PARSERS.get(head or "")
        if parser is None:
            raise cursor.error("unexpected token", node)
        value = parser(cursor)
    cursor.finish()
    return value


def _num_pattern(cursor: Cursor, type_: NumType) -> ResultPattern:
    item = cursor.peek()
    if type_ in (NumType.F32, NumType.F64) and isinstance(item, Token):
        nan = _NANS.get(item.text)
        if nan is not None:
            cursor.next()
            return NanPattern(type_, nan)
    return ValuePattern(_num_value(cursor, type_))


def _v128_pattern(cursor: Cursor) -> ResultPattern:
    shape, lanes = _lanes(cursor, allow_nan=True)
    return V128Pattern(shape, lanes)


def _ref_null_pattern(cursor: Cursor) -> ResultPattern:
    return RefNullPattern(None if cursor.at_end() else _heap_type(cursor))


def _ref_extern_pattern(cursor: Cursor) -> ResultPattern:
    return RefExternPattern(None if cursor.at_end() else _payload(cursor))


def _either_pattern(cursor: Cursor) -> ResultPattern:
    """``(either r...)``; a nested ``either`` contributes its alternatives (the
    same meaning), read with an explicit stack so nesting depth is unbounded."""
    alternatives: List[ResultPattern] = []
    pending: List[Cursor] = [cursor]
    while pending:
        current = pending[-1]
        if current.at_end():
            pending.pop()
            continue
        node = current.list()
        inner = Cursor(node, cursor.filename)
        if inner.head == "either":
            if inner.at_end():
                raise inner.error("unexpected token")
            pending.append(inner)
        else:
            alternatives.append(parse_result(node, cursor.filename))
    if not alternatives:
        raise cursor.error("unexpected token")
    return EitherPattern(tuple(alternatives))


_PATTERN_PARSERS: Dict[str, Callable[[Cursor], ResultPattern]] = {
    "v128.const": _v128_pattern,
    "ref.null": _ref_null_pattern,
    "ref.extern": _ref_extern_pattern,
    "ref.host": lambda cursor: RefHostPattern(_payload(cursor)),
    "either": _either_pattern,
}


def parse_result(node: SList, filename: str) -> ResultPattern:
    """A result pattern of ``assert_return``."""
    cursor = Cursor(node, filename)
    head = cursor.head or ""
    type_: Optional[NumType] = _NUM_CONSTS.get(head)
    if type_ is not None:
        pattern = _num_pattern(cursor, type_)
    elif head in _REF_KINDS:
        pattern = RefKindPattern(_REF_KINDS[head])
    else:
        parser = _PATTERN_PARSERS.get(head)
        if parser is None:
            raise cursor.error("unexpected token", node)
        pattern = parser(cursor)
    cursor.finish()
    return pattern


__all__ = ["parse_result", "parse_value"]
