"""Immediate operands of plain instructions, one small reader per
:class:`~wasmport.syntax.opcodes.Imm` kind, plus the few instructions whose
text form is not simply their immediates in binary order (optional table and
memory indices first, type uses, typed ``select``, casts, vector literals).

Each reader takes the :class:`~.instructions.BodyParser` (for the module
context, locals and labels) and the cursor positioned after the keyword.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Tuple

from ..syntax import ast
from ..syntax import types as T
from ..syntax.opcodes import BY_MNEMONIC, Imm, Op
from .context import Space, is_index
from .cursor import Cursor, error_at
from .keywords import SYNTAX_KEYWORDS
from .lexer import Token, TokenKind
from .literals import is_int, parse_f32, parse_f64, parse_int, parse_uint

if TYPE_CHECKING:
    from .instructions import BodyParser

Reader = Callable[["BodyParser", Cursor, Op], Any]


def index_token(cursor: Cursor) -> Token:
    item = cursor.peek()
    if is_index(item):
        cursor.advance()
        return item  # type: ignore[return-value]
    cursor.unexpected()


def number_token(cursor: Cursor) -> Token:
    item = cursor.peek()
    if isinstance(item, Token) and item.kind is TokenKind.NUMBER:
        cursor.advance()
        return item
    cursor.unexpected()


def _space_reader(name: str) -> Reader:
    def read(parser: BodyParser, cursor: Cursor, op: Op) -> int:
        space: Space = getattr(parser.context, name)
        return space.resolve(index_token(cursor))

    return read


def _local(parser: BodyParser, cursor: Cursor, op: Op) -> int:
    return parser.locals.resolve(index_token(cursor))


def _label(parser: BodyParser, cursor: Cursor, op: Op) -> int:
    return parser.label(index_token(cursor))


def _label_table(parser: BodyParser, cursor: Cursor, op: Op) -> Tuple[Tuple[int, ...], int]:
    labels = [parser.label(index_token(cursor))]
    while is_index(cursor.peek()):
        labels.append(parser.label(index_token(cursor)))
    return tuple(labels[:-1]), labels[-1]


def _type(parser: BodyParser, cursor: Cursor, op: Op) -> int:
    return parser.types.type_index(index_token(cursor))


def _field(parser: BodyParser, cursor: Cursor, op: Op) -> int:
    """A field of the struct type read just before (the previous argument)."""
    token = index_token(cursor)
    type_index = parser.pending_args[-1] if parser.pending_args else 0
    return parser.context.field_space(type_index).resolve(token)


def _u32(parser: BodyParser, cursor: Cursor, op: Op) -> int:
    return parse_uint(number_token(cursor))


def _lane(parser: BodyParser, cursor: Cursor, op: Op) -> int:
    return parse_uint(number_token(cursor), 8)


def _i32(parser: BodyParser, cursor: Cursor, op: Op) -> int:
    return parse_int(number_token(cursor), 32)


def _i64(parser: BodyParser, cursor: Cursor, op: Op) -> int:
    return parse_int(number_token(cursor), 64)


def _f32(parser: BodyParser, cursor: Cursor, op: Op) -> int:
    return parse_f32(number_token(cursor))


def _f64(parser: BodyParser, cursor: Cursor, op: Op) -> int:
    return parse_f64(number_token(cursor))


def _heap_type(parser: BodyParser, cursor: Cursor, op: Op) -> Any:
    heap, exact = parser.types.heap_type(cursor.next())
    return heap_immediate(heap, exact)


def heap_immediate(heap: T.HeapType, exact: bool) -> Any:
    """The ``Instr.args`` form of a heap-type immediate (exact ones keep the flag)."""
    if exact:
        return T.RefType(False, heap, True)
    return heap


def _memarg(parser: BodyParser, cursor: Cursor, op: Op) -> ast.MemArg:
    memory = 0
    if is_index(cursor.peek()) and _memory_index_present(cursor, op):
        memory = parser.context.memories.resolve(index_token(cursor))
    offset = 0
    align = max(op.mem_bytes, 1).bit_length() - 1
    token = cursor.peek_token(TokenKind.KEYWORD)
    if token is not None and token.text.startswith("offset="):
        cursor.advance()
        offset = _keyword_number(token, 7, 64)
        token = cursor.peek_token(TokenKind.KEYWORD)
    if token is not None and token.text.startswith("align="):
        cursor.advance()
        value = _keyword_number(token, 6, 64)
        if value == 0 or value & (value - 1):
            raise error_at(token, "alignment must be a power of two")
        align = value.bit_length() - 1
    return ast.MemArg(align, offset, memory)


def _memory_index_present(cursor: Cursor, op: Op) -> bool:
    """For lane loads/stores a lone number is the lane, not a memory index."""
    if Imm.LANE not in op.imms:
        return True
    index = 1
    while True:
        item = cursor.peek(index)
        if isinstance(item, Token) and item.kind is TokenKind.KEYWORD and (
            item.text.startswith("offset=") or item.text.startswith("align=")
        ):
            index += 1
            continue
        return isinstance(item, Token) and item.kind is TokenKind.NUMBER


def _keyword_number(token: Token, skip: int, bits: int) -> int:
    text = token.text[skip:]
    number = Token(TokenKind.NUMBER, text, token.line, token.column + skip)
    if not text or text[0] in "+-":
        raise error_at(token, "unknown operator")
    return parse_uint(number, bits)


def _shuffle(parser: BodyParser, cursor: Cursor, op: Op) -> Tuple[int, ...]:
    tokens: List[Token] = []
    while cursor.peek_token(TokenKind.NUMBER) is not None:
        tokens.append(number_token(cursor))
    if len(tokens) != 16:
        cursor.fail("invalid lane length")
    return tuple(_shuffle_lane(token) for token in tokens)


def _shuffle_lane(token: Token) -> int:
    """A lane index of ``i8x16.shuffle``: anything but an integer 0..255 is out of range."""
    text = token.text
    if not is_int(token) or text.startswith("-"):
        raise error_at(token, "i8 constant out of range")
    bare = Token(token.kind, text.lstrip("+"), token.line, token.column)
    return parse_uint(bare, 8)


_SHAPES: Dict[str, Tuple[int, str, Callable[[Token], int]]] = {
    "i8x16": (16, "<B", lambda t: parse_int(t, 8) & 0xFF),
    "i16x8": (8, "<H", lambda t: parse_int(t, 16) & 0xFFFF),
    "i32x4": (4, "<I", lambda t: parse_int(t, 32) & 0xFFFFFFFF),
    "i64x2": (2, "<Q", lambda t: parse_int(t, 64) & 0xFFFFFFFFFFFFFFFF),
    "f32x4": (4, "<I", parse_f32),
    "f64x2": (2, "<Q", parse_f64),
}


def _v128(parser: BodyParser, cursor: Cursor, op: Op) -> bytes:
    shape = cursor.peek_token(TokenKind.KEYWORD)
    if shape is None or shape.text not in _SHAPES:
        cursor.unexpected()
    cursor.advance()
    count, layout, convert = _SHAPES[shape.text]
    lanes = 0
    while _lane_literal(cursor.peek(lanes)):
        lanes += 1
    if lanes != count:
        cursor.fail("wrong number of lane literals", cursor.peek(min(lanes, count)))
    out = bytearray()
    for _ in range(count):
        out += struct.pack(layout, convert(number_token(cursor)))
    return bytes(out)


def _lane_literal(item: object) -> bool:
    """Whether ``item`` is written where a lane literal is (a number, or a word that
    is neither an instruction nor a keyword, which then fails as a bad number)."""
    if not isinstance(item, Token):
        return False
    if item.kind is TokenKind.KEYWORD:
        return item.text not in SYNTAX_KEYWORDS
    return item.kind in (TokenKind.NUMBER, TokenKind.RESERVED)


def _valtypes(parser: BodyParser, cursor: Cursor, op: Op) -> Tuple[T.ValType, ...]:
    return tuple(parser.types.results(cursor))


def _zero(parser: BodyParser, cursor: Cursor, op: Op) -> None:
    return None


READERS: Dict[Imm, Reader] = {
    Imm.LABEL: _label,
    Imm.LABEL_TABLE: _label_table,
    Imm.FUNC: _space_reader("funcs"),
    Imm.TYPE: _type,
    Imm.TABLE: _space_reader("tables"),
    Imm.MEMORY: _space_reader("memories"),
    Imm.GLOBAL: _space_reader("globals"),
    Imm.LOCAL: _local,
    Imm.ELEM: _space_reader("elems"),
    Imm.DATA: _space_reader("datas"),
    Imm.TAG: _space_reader("tags"),
    Imm.FIELD: _field,
    Imm.U32: _u32,
    Imm.MEMARG: _memarg,
    Imm.LANE: _lane,
    Imm.SHUFFLE: _shuffle,
    Imm.I32: _i32,
    Imm.I64: _i64,
    Imm.F32: _f32,
    Imm.F64: _f64,
    Imm.V128: _v128,
    Imm.HEAP_TYPE: _heap_type,
    Imm.VALTYPES: _valtypes,
    Imm.ZERO_BYTE: _zero,
}

_OPTIONAL_SPACES = (Imm.TABLE, Imm.MEMORY)
_INDEX_KINDS = frozenset(
    {Imm.TABLE, Imm.MEMORY, Imm.ELEM, Imm.DATA, Imm.FUNC, Imm.TYPE, Imm.GLOBAL, Imm.TAG}
)


def generic(parser: BodyParser, cursor: Cursor, op: Op) -> List[Any]:
    """Immediates in binary order; table/memory indices are optional and come first
    in text when the instruction has only index immediates."""
    imms = op.imms
    optional = [i for i, imm in enumerate(imms) if imm in _OPTIONAL_SPACES]
    if optional and all(imm in _INDEX_KINDS for imm in imms):
        return _with_optional_indices(parser, cursor, op, optional)
    args: List[Any] = []
    parser.pending_args = args
    for imm in imms:
        if imm is Imm.ZERO_BYTE:
            continue
        args.append(READERS[imm](parser, cursor, op))
    return args


def _with_optional_indices(
    parser: BodyParser, cursor: Cursor, op: Op, optional: List[int]
) -> List[Any]:
    imms = op.imms
    available = 0
    while is_index(cursor.peek(available)):
        available += 1
    args: List[Any] = [0] * len(imms)
    required = [i for i in range(len(imms)) if i not in optional]
    order = optional + required if available >= len(imms) else required
    for i in order:
        args[i] = READERS[imms[i]](parser, cursor, op)
    return args


def _select(parser: BodyParser, cursor: Cursor, op: Op) -> Tuple[Op, List[Any]]:
    if cursor.peek_list("result") is not None:
        return BY_MNEMONIC["select t"], [tuple(parser.types.results(cursor))]
    return op, []


def _call_indirect(parser: BodyParser, cursor: Cursor, op: Op) -> Tuple[Op, List[Any]]:
    table = 0
    if is_index(cursor.peek()):
        table = parser.context.tables.resolve(index_token(cursor))
    type_index = parser.type_use(cursor)
    return op, [type_index, table]


def _null_variant(parser: BodyParser, cursor: Cursor, op: Op) -> Tuple[Op, List[Any]]:
    """``ref.test``/``ref.cast``-style: the ``null`` row when the target is nullable."""
    ref = parser.types.ref_type(cursor.next())
    row = BY_MNEMONIC[f"{op.keyword} null"] if ref.nullable else op
    return row, [heap_immediate(ref.heap, ref.exact)]


def _br_on_cast(parser: BodyParser, cursor: Cursor, op: Op) -> Tuple[Op, List[Any]]:
    label = parser.label(index_token(cursor))
    source = parser.types.ref_type(cursor.next())
    target = parser.types.ref_type(cursor.next())
    flags = ast.CastFlags(source.nullable, target.nullable)
    return op, [
        flags,
        label,
        heap_immediate(source.heap, source.exact),
        heap_immediate(target.heap, target.exact),
    ]


Special = Callable[["BodyParser", Cursor, Op], Tuple[Op, List[Any]]]


def _specials() -> Dict[str, Special]:
    table: Dict[str, Special] = {
        "select": _select,
        "call_indirect": _call_indirect,
        "return_call_indirect": _call_indirect,
    }
    for mnemonic, row in BY_MNEMONIC.items():
        if mnemonic.endswith(" null"):
            table[row.keyword] = _null_variant
        if Imm.CAST_FLAGS in row.imms:
            table[row.keyword] = _br_on_cast
    return table


SPECIALS: Dict[str, Special] = _specials()

#: Keyword -> the row it names (variants share a keyword; the reader picks the row).
KEYWORDS: Dict[str, Op] = {}
for _row in BY_MNEMONIC.values():
    if _row.keyword == _row.mnemonic or _row.keyword not in KEYWORDS:
        KEYWORDS[_row.keyword] = BY_MNEMONIC.get(_row.keyword, _row)
del _row


def read_immediates(
    parser: BodyParser, cursor: Cursor, op: Op
) -> Tuple[Op, Tuple[Any, ...]]:
    special = SPECIALS.get(op.keyword)
    if special is not None:
        row, args = special(parser, cursor, op)
        return row, tuple(args)
    return op, tuple(generic(parser, cursor, op))


def lookup(token: Token) -> Optional[Op]:
    return KEYWORDS.get(token.text)


__all__ = ["KEYWORDS", "READERS", "heap_immediate", "lookup", "read_immediates"]
