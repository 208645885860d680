"""Decoding of instructions, driven by the opcode table.

Every row of :mod:`wasmport.syntax.opcodes` gets an *entry*: its kind (plain,
opening a structured body, or one of the delimiters ``end``/``else``/``catch``/
``catch_all``/``delegate``) and a function reading its immediates, composed
from :data:`IMMEDIATE_READERS`, one small reader per :class:`Imm` kind. Nested
bodies are built with an explicit stack of :class:`Frame` objects, so the
nesting depth of the input never reaches Python's recursion limit.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

from ..errors import DecodeError
from ..syntax import opcodes
from ..syntax.ast import (
    CastFlags,
    Catch,
    CatchKind,
    Expr,
    Instr,
    LegacyCatch,
    MemArg,
)
from ..syntax.opcodes import Imm, Op
from ..syntax.types import RefType
from .reader import Reader
from .types import block_type, heap_type, val_types

ArgsReader = Callable[[Reader], Tuple[Any, ...]]

# Entry kinds.
PLAIN = 0
OPEN = 1
END = 2
ELSE = 3
CATCH = 4
CATCH_ALL = 5
DELEGATE = 6
#: A plain instruction whose only immediate is a u32 index (read inline: the common case).
INDEXED = 7

END_EXPECTED = "END opcode expected"

#: A reserved zero byte reads as this marker and is left out of ``Instr.args``.
_ZERO = object()

MEMARG_HAS_MEMORY = 0x40
MEMARG_ALIGN_MASK = 0x3F
MEMARG_FLAGS_LIMIT = 0x80


# -- immediate readers --------------------------------------------------------


#: Memory immediates are immutable and few distinct ones recur throughout a
#: module: decoded ones are shared through this cache (cleared when it grows).
_MEMARGS: Dict[Tuple[int, int, int], MemArg] = {}
_MEMARGS_LIMIT = 4096


def _memarg(reader: Reader) -> MemArg:
    start = reader.pos
    flags = reader.u32()
    if flags >= MEMARG_FLAGS_LIMIT:
        raise DecodeError("malformed memop flags", start)
    memory = reader.u32() if flags & MEMARG_HAS_MEMORY else 0
    key = (flags, reader.u64(), memory)
    memarg = _MEMARGS.get(key)
    if memarg is None:
        if len(_MEMARGS) >= _MEMARGS_LIMIT:
            _MEMARGS.clear()
        # The key keeps the flags, so an explicit index 0 is a distinct entry.
        explicit_zero = bool(flags & MEMARG_HAS_MEMORY) and not memory
        memarg = _MEMARGS[key] = MemArg(flags & MEMARG_ALIGN_MASK, key[1], memory, explicit_zero)
    return memarg


def _label_table(reader: Reader) -> Tuple[Tuple[int, ...], int]:
    count = reader.length32()
    u32 = reader.u32
    targets = tuple(u32() for _ in range(count))
    return targets, u32()


def _catch(reader: Reader) -> Catch:
    kind_byte = reader.byte()
    if kind_byte > CatchKind.CATCH_ALL_REF.value:
        raise DecodeError("malformed catch clause", reader.pos - 1)
    kind = CatchKind(kind_byte)
    tag: Optional[int] = None
    if kind in (CatchKind.CATCH, CatchKind.CATCH_REF):
        tag = reader.u32()
    return Catch(kind, tag, reader.u32())


def _catches(reader: Reader) -> Tuple[Catch, ...]:
    count = reader.length32()
    return tuple(_catch(reader) for _ in range(count))


def _shuffle(reader: Reader) -> Tuple[int, ...]:
    return tuple(reader.bytes(16))


def _v128(reader: Reader) -> bytes:
    return reader.bytes(16)


def _heap(reader: Reader) -> Any:
    """A heap type; an exact one (custom-descriptors) as ``RefType(False, index, True)``,
    the form the text parser gives it too."""
    heap, exact = heap_type(reader)
    if exact:
        return RefType(False, heap, True)
    return heap


def _cast_flags(reader: Reader) -> CastFlags:
    flags = reader.byte()
    if flags & ~0x03:
        raise DecodeError("malformed br_on_cast flags", reader.pos - 1)
    return CastFlags(bool(flags & 1), bool(flags & 2))


def _zero(reader: Reader) -> object:
    reader.expect(0x00, "zero byte expected")
    return _ZERO


def _index(reader: Reader) -> int:
    return reader.u32()


IMMEDIATE_READERS: Dict[Imm, Callable[[Reader], Any]] = {
    Imm.BLOCK_TYPE: block_type,
    Imm.CATCHES: _catches,
    Imm.LABEL: _index,
    Imm.LABEL_TABLE: _label_table,
    Imm.FUNC: _index,
    Imm.TYPE: _index,
    Imm.TABLE: _index,
    Imm.MEMORY: _index,
    Imm.GLOBAL: _index,
    Imm.LOCAL: _index,
    Imm.ELEM: _index,
    Imm.DATA: _index,
    Imm.TAG: _index,
    Imm.FIELD: _index,
    Imm.U32: _index,
    Imm.MEMARG: _memarg,
    Imm.LANE: Reader.byte,
    Imm.SHUFFLE: _shuffle,
    Imm.I32: Reader.s32,
    Imm.I64: Reader.s64,
    Imm.F32: Reader.fixed32,
    Imm.F64: Reader.fixed64,
    Imm.V128: _v128,
    Imm.HEAP_TYPE: _heap,
    Imm.VALTYPES: val_types,
    Imm.CAST_FLAGS: _cast_flags,
    Imm.ZERO_BYTE: _zero,
}


def _args_reader(op: Op) -> Optional[ArgsReader]:
    """Compose the readers of ``op``'s immediates into one function (None: no immediates)."""
    readers = tuple(IMMEDIATE_READERS[imm] for imm in op.imms)
    uses_data = Imm.DATA in op.imms
    if not readers:
        return None
    if len(readers) == 1 and op.imms[0] is not Imm.ZERO_BYTE and not uses_data:
        only = readers[0]
        return lambda reader: (only(reader),)

    def read(reader: Reader) -> Tuple[Any, ...]:
        if uses_data:
            reader.data_index_used = True
        values = [read_one(reader) for read_one in readers]
        return tuple(value for value in values if value is not _ZERO)

    return read


# -- the table of entries -----------------------------------------------------

_KINDS: Dict[Op, int] = {
    opcodes.BLOCK: OPEN,
    opcodes.LOOP: OPEN,
    opcodes.IF: OPEN,
    opcodes.TRY: OPEN,
    opcodes.TRY_TABLE: OPEN,
    opcodes.END: END,
    opcodes.ELSE: ELSE,
    opcodes.CATCH: CATCH,
    opcodes.CATCH_ALL: CATCH_ALL,
    opcodes.DELEGATE: DELEGATE,
}

Entry = Tuple[Op, int, Optional[ArgsReader]]


def _entry(op: Op) -> Entry:
    kind = _KINDS.get(op, PLAIN)
    reader = _args_reader(op)
    if kind == PLAIN and len(op.imms) == 1 and IMMEDIATE_READERS[op.imms[0]] is _index:
        if op.imms[0] is not Imm.DATA:
            kind = INDEXED
    return (op, kind, reader)


#: Entries of single-byte opcodes, indexed by the byte (None: prefix or unknown).
SINGLE: List[Optional[Entry]] = [None] * 256
#: Entries of prefixed opcodes by (prefix, code).
PREFIXED: Dict[Tuple[int, int], Entry] = {}

for _op in opcodes.ALL_OPS:
    if _op.prefix is None:
        SINGLE[_op.code] = _entry(_op)
    else:
        PREFIXED[(_op.prefix, _op.code)] = _entry(_op)
del _op


def _prefixed(reader: Reader, prefix: int, pos: int) -> Entry:
    """The entry of a prefixed opcode starting at ``pos`` (the prefix byte)."""
    if prefix not in opcodes.PREFIXES:
        raise DecodeError(f"illegal opcode {prefix:02x}", pos)
    reader.pos = pos + 1
    code = reader.u32()
    entry = PREFIXED.get((prefix, code))
    if entry is None:
        raise DecodeError(f"illegal opcode {prefix:02x} {code:02x}", pos)
    return entry


# -- building Instr nodes -----------------------------------------------------


def _instr_maker() -> Callable[[Op, Tuple[Any, ...], int], Instr]:
    """A function equal to ``Instr(op, args, offset)``, built for speed.

    Constructing ``Instr`` nodes is half of the decoding time, most of it in the
    frozen dataclass's ``__init__`` (one ``object.__setattr__`` per field). When
    ``Instr`` is a plain frozen dataclass whose instances keep their fields in
    ``__dict__`` (no ``__slots__``, no ``__post_init__``), filling that
    dictionary directly makes the very same object; otherwise the constructor
    is used as is.
    """
    probe = Instr(opcodes.NOP, (), 0)
    fields = getattr(probe, "__dict__", None)
    if fields is None or hasattr(Instr, "__post_init__") or set(fields) != {"op", "args", "offset"}:
        return Instr
    new = object.__new__

    def make(op: Op, args: Tuple[Any, ...], offset: int) -> Instr:
        instr = new(Instr)
        fields = instr.__dict__
        fields["op"] = op
        fields["args"] = args
        fields["offset"] = offset
        return instr

    return make


make_instr = _instr_maker()


# -- structured bodies --------------------------------------------------------


class Frame:
    """An open structured instruction: its immediates and the bodies read so far."""

    __slots__ = ("op", "offset", "args", "parent", "bodies", "catches", "tag", "state")

    def __init__(self, op: Op, offset: int, args: Tuple[Any, ...], parent: List[Instr]) -> None:
        self.op = op
        self.offset = offset
        self.args = args
        self.parent = parent
        self.bodies: List[Expr] = []
        self.catches: List[LegacyCatch] = []
        self.tag: Optional[int] = None
        #: For legacy ``try``: BODY, then CATCH or CATCH_ALL while in a handler.
        self.state = PLAIN

    def close(self, body: List[Instr]) -> Instr:
        """The finished instruction, given the body read last."""
        op = self.op
        if op is opcodes.IF:
            if self.bodies:
                return make_instr(op, self.args + (self.bodies[0], tuple(body)), self.offset)
            return make_instr(op, self.args + (tuple(body), None), self.offset)
        if op is opcodes.TRY:
            self._finish_segment(body)
            return make_instr(
                op, self.args + (self.bodies[0], tuple(self.catches), None), self.offset
            )
        return make_instr(op, self.args + (tuple(body),), self.offset)

    def _finish_segment(self, body: List[Instr]) -> None:
        if self.state == PLAIN:
            self.bodies.append(tuple(body))
        else:
            self.catches.append(LegacyCatch(self.tag, tuple(body)))


def _delimiter(
    stack: List[Frame], kind: int, body: List[Instr], pos: int, args: Tuple[Any, ...]
) -> List[Instr]:
    """Handle ``else``/``catch``/``catch_all``/``delegate``; return the next body."""
    frame = stack[-1] if stack else None
    if kind == ELSE:
        if frame is None or frame.op is not opcodes.IF or frame.bodies:
            raise DecodeError(END_EXPECTED, pos)
        frame.bodies.append(tuple(body))
        return []
    if frame is None or frame.op is not opcodes.TRY or frame.state == CATCH_ALL:
        raise DecodeError(END_EXPECTED, pos)
    if kind == DELEGATE:
        if frame.state != PLAIN:
            raise DecodeError(END_EXPECTED, pos)
        stack.pop()
        instr = make_instr(frame.op, frame.args + (tuple(body), (), args[0]), frame.offset)
        frame.parent.append(instr)
        return frame.parent
    frame._finish_segment(body)
    frame.state = kind
    frame.tag = args[0] if kind == CATCH else None
    return []


def read_expr(reader: Reader) -> Expr:
    """Instructions up to and including the ``end`` that closes the expression."""
    data = reader.data
    single = SINGLE
    stack: List[Frame] = []
    body: List[Instr] = []
    while True:
        pos = reader.pos
        try:
            byte = data[pos]
        except IndexError:
            raise reader.eof() from None
        entry = single[byte]
        if entry is None:
            entry = _prefixed(reader, byte, pos)
        else:
            reader.pos = pos + 1
        op, kind, read_args = entry
        if kind == INDEXED:
            at = reader.pos
            try:
                index = data[at]
            except IndexError:
                raise reader.eof() from None
            if index < 0x80:
                reader.pos = at + 1
            else:
                index = reader.unsigned(32)
            body.append(make_instr(op, (index,), pos))
        elif kind == PLAIN:
            body.append(make_instr(op, read_args(reader) if read_args else (), pos))
        elif kind == OPEN:
            args = read_args(reader) if read_args else ()
            stack.append(Frame(op, pos, args, body))
            body = []
        elif kind == END:
            if not stack:
                return tuple(body)
            frame = stack.pop()
            instr = frame.close(body)
            body = frame.parent
            body.append(instr)
        else:
            args = read_args(reader) if read_args else ()
            body = _delimiter(stack, kind, body, pos, args)


__all__ = ["IMMEDIATE_READERS", "PREFIXED", "SINGLE", "read_expr"]
