"""The shape of one opcode-table row (:class:`Op`) and its vocabulary.

The rows themselves live in the sibling modules, one per group of proposals;
:mod:`wasmport.syntax.opcodes` gathers them into the single table that the
decoder, encoder, text parser, printer and validator all derive from.
"""

from __future__ import annotations

import enum
from typing import Any, Optional, Tuple

from ...features import Feature
from ..types import NumType


class Imm(enum.Enum):
    """Kinds of immediate operand, in the form ``Instr.args`` holds them.

    The binary encoding and the Python value of each kind:
    """

    BLOCK_TYPE = "blocktype"  #: 0x40 | valtype | s33 type index -> ast.BlockType
    CATCHES = "catches"  #: vec(catch) -> tuple[ast.Catch, ...]
    LABEL = "label"  #: u32 -> int (relative depth)
    LABEL_TABLE = "labels"  #: vec(u32) u32 -> tuple[tuple[int, ...], int] (targets, default)
    FUNC = "func"  #: u32 -> int
    TYPE = "type"  #: u32 -> int
    TABLE = "table"  #: u32 -> int
    MEMORY = "memory"  #: u32 -> int (the reserved 0x00 byte of MVP memory.size/grow)
    GLOBAL = "global"  #: u32 -> int
    LOCAL = "local"  #: u32 -> int
    ELEM = "elem"  #: u32 -> int
    DATA = "data"  #: u32 -> int
    TAG = "tag"  #: u32 -> int
    FIELD = "field"  #: u32 -> int
    U32 = "u32"  #: u32 -> int (array.new_fixed's length)
    MEMARG = "memarg"  #: u32 align (bit 6: memidx follows) [u32 memidx] u32/u64 offset -> ast.MemArg
    LANE = "lane"  #: u8 -> int
    SHUFFLE = "shuffle"  #: 16 x u8 -> tuple[int, ...] of 16 lane indices
    I32 = "i32"  #: s32 -> int (signed value)
    I64 = "i64"  #: s64 -> int (signed value)
    F32 = "f32"  #: 4 bytes little endian -> int (the raw bits)
    F64 = "f64"  #: 8 bytes little endian -> int (the raw bits)
    V128 = "v128"  #: 16 bytes -> bytes (little endian)
    HEAP_TYPE = "heaptype"  #: s33 heap type -> types.HeapType
    VALTYPES = "valtypes"  #: vec(valtype) -> tuple[ValType, ...] (typed select)
    CAST_FLAGS = "castflags"  #: u8 -> ast.CastFlags
    ZERO_BYTE = "zero"  #: a reserved 0x00 byte -> (nothing is stored in args)


class OpClass(enum.Enum):
    """Operator classes: instructions one validation or execution rule can share."""

    CONTROL = "control"  #: block, loop, if, br*, return, call*, unreachable, nop, end, else
    EXCEPTION = "exception"  #: throw, throw_ref, try_table and the legacy try family
    PARAMETRIC = "parametric"  #: drop, select
    VARIABLE = "variable"  #: local.*, global.*
    TABLE = "table"  #: table.* and elem.drop
    MEMORY = "memory"  #: memory.size/grow/fill/copy/init, data.drop
    LOAD = "load"  #: scalar loads
    STORE = "store"  #: scalar stores
    CONST = "const"  #: *.const
    UNARY = "unary"  #: t -> t (incl. sign extension, v128.not)
    BINARY = "binary"  #: t t -> t; also vector narrow/extmul/dot/swizzle and the
    #: wide-arithmetic rows (several i64 in, two i64 out; see their signatures)
    TEST = "test"  #: t -> i32 (eqz, any_true, all_true)
    COMPARE = "compare"  #: t t -> i32 (or vector mask)
    CONVERT = "convert"  #: t1 -> t2; for vectors also lane-shape changes
    #: (extend, extadd_pairwise, trunc_sat, demote/promote) and bitmask
    REFERENCE = "reference"  #: ref.null/is_null/func/eq/as_non_null, br_on_null...
    VECTOR_LOAD = "vector-load"  #: v128.load*, including lanes
    VECTOR_STORE = "vector-store"  #: v128.store*, including lanes
    VECTOR_LANE = "vector-lane"  #: extract_lane/replace_lane/shuffle
    VECTOR_SPLAT = "vector-splat"  #: *.splat
    VECTOR_SHIFT = "vector-shift"  #: v128 i32 -> v128
    VECTOR_TERNARY = "vector-ternary"  #: v128 v128 v128 -> v128
    ATOMIC_LOAD = "atomic-load"
    ATOMIC_STORE = "atomic-store"
    ATOMIC_RMW = "atomic-rmw"
    ATOMIC_CMPXCHG = "atomic-cmpxchg"
    ATOMIC_WAIT = "atomic-wait"  #: memory.atomic.wait32/64
    ATOMIC_NOTIFY = "atomic-notify"
    ATOMIC_FENCE = "atomic-fence"
    AGGREGATE = "aggregate"  #: GC struct.* and array.*
    CAST = "cast"  #: ref.test, ref.cast, br_on_cast*, any/extern conversion,
    #: ref.get_desc and the descriptor casts
    I31 = "i31"  #: ref.i31, i31.get_*


class Op:
    """One row of the opcode table.

    ``imms`` lists the immediates in binary order. ``params``/``results`` give
    the fixed stack signature where the instruction has one (None where the
    signature depends on immediates or context; the validator then has a rule of
    its own). ``mem_bytes`` is the number of bytes a memory access touches (its
    natural alignment), 0 for instructions that access no memory.
    """

    __slots__ = (
        "mnemonic",
        "prefix",
        "code",
        "imms",
        "params",
        "results",
        "feature",
        "klass",
        "mem_bytes",
        "name",
        "keyword",
    )

    def __init__(
        self,
        mnemonic: str,
        prefix: Optional[int],
        code: int,
        imms: Tuple[Imm, ...],
        signature: Optional[str],
        feature: Feature,
        klass: OpClass,
        mem_bytes: int = 0,
    ) -> None:
        self.mnemonic = mnemonic
        self.prefix = prefix
        self.code = code
        self.imms = imms
        self.feature = feature
        self.klass = klass
        self.mem_bytes = mem_bytes
        #: The Python identifier of the row: the mnemonic upper-cased with
        #: ``.`` and spaces replaced by ``_`` (``I32_ADD``, ``REF_TEST_NULL``).
        self.name = mnemonic.upper().replace(".", "_").replace(" ", "_")
        #: The text-format keyword: the mnemonic's first word. Rows that share
        #: a keyword are told apart in text by their operands, and their
        #: mnemonic adds a second word naming the variant: ``select t`` is
        #: ``select (result t*)``, ``ref.test null`` is ``ref.test (ref null ht)``.
        self.keyword = mnemonic.split(" ", 1)[0]
        self.params: Optional[Tuple[NumType, ...]]
        self.results: Optional[Tuple[NumType, ...]]
        if signature is None:
            self.params = self.results = None
        else:
            self.params, self.results = parse_signature(signature)

    @property
    def encoding(self) -> bytes:
        """The opcode bytes: the prefix (if any) then the LEB128 code."""
        if self.prefix is None:
            return bytes([self.code])
        return bytes([self.prefix]) + _uleb(self.code)

    def __repr__(self) -> str:
        return f"<Op {self.mnemonic}>"

    def __reduce__(self) -> Tuple[Any, Tuple[Optional[int], int]]:
        # Rows are singletons: a pickle refers to a row by its encoding.
        return (lookup, (self.prefix, self.code))


def lookup(prefix: Optional[int], code: int) -> Op:
    """The row with this encoding (used when unpickling)."""
    from . import BY_CODE

    return BY_CODE[(prefix, code)]


_TYPES = {t.text: t for t in NumType}


def parse_signature(signature: str) -> Tuple[Tuple[NumType, ...], Tuple[NumType, ...]]:
    """Parse the table's ``"i32 i32 -> i32"`` notation."""
    left, _, right = signature.partition("->")
    return (
        tuple(_TYPES[word] for word in left.split()),
        tuple(_TYPES[word] for word in right.split()),
    )


def _uleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


__all__ = ["Imm", "Op", "OpClass", "parse_signature"]
