"""The generic rule for rows with a fixed signature (pop ``params``, push
``results``), and its variants that also check a memory immediate or a lane
index. :func:`fixed_rule` picks the right one for a row."""

from __future__ import annotations

from typing import Iterator, Optional, Tuple

from ...syntax.ast import Instr, MemArg
from ...syntax.opcodes import Imm, Op, OpClass
from ...syntax.types import I32, I64, AddrType, NumType
from ..code import CodeValidator, Rule

_ATOMIC = frozenset(
    {
        OpClass.ATOMIC_LOAD,
        OpClass.ATOMIC_STORE,
        OpClass.ATOMIC_RMW,
        OpClass.ATOMIC_CMPXCHG,
        OpClass.ATOMIC_WAIT,
        OpClass.ATOMIC_NOTIFY,
    }
)

#: Number of lanes by the shape prefix of a mnemonic.
_LANES = {"i8x16": 16, "i16x8": 8, "i32x4": 4, "i64x2": 2, "f32x4": 4, "f64x2": 2}


def _generic(params: Tuple[NumType, ...], results: Tuple[NumType, ...]) -> Rule:
    """Pop ``params``, push ``results``, with fast paths for the common arities."""
    if len(params) == 2 and len(results) == 1:
        p0, p1 = params
        r0 = results[0]

        def binary(v: CodeValidator, instr: Instr) -> Optional[Iterator[Instr]]:
            vals = v.vals
            if len(vals) - 2 >= v.frame.height and vals[-1] is p1 and vals[-2] is p0:
                del vals[-1]
                vals[-1] = r0
            else:
                v.pop_vals(params)
                vals.append(r0)
            return None

        return binary
    if len(params) == 1 and len(results) == 1:
        q0 = params[0]
        s0 = results[0]

        def unary(v: CodeValidator, instr: Instr) -> Optional[Iterator[Instr]]:
            vals = v.vals
            if len(vals) > v.frame.height and vals[-1] is q0:
                vals[-1] = s0
            else:
                v.pop_val(q0)
                vals.append(s0)
            return None

        return unary
    if not params:

        def nullary(v: CodeValidator, instr: Instr) -> Optional[Iterator[Instr]]:
            v.vals.extend(results)
            return None

        return nullary

    def general(v: CodeValidator, instr: Instr) -> Optional[Iterator[Instr]]:
        v.pop_vals(params)
        v.vals.extend(results)
        return None

    return general


def check_memarg(v: CodeValidator, memarg: MemArg, natural: int, atomic: bool) -> NumType:
    """Check a memory immediate; return the address type of its memory."""
    memory = v.context.memory(memarg.memory, v.offset)
    if memarg.align >= 32 or 1 << memarg.align > natural:
        raise v.error("alignment must not be larger than natural")
    if atomic and 1 << memarg.align != natural:
        raise v.error("atomic alignment must be natural")
    if memory.limits.address is AddrType.I64:
        return I64
    if memarg.offset >= 1 << 32:
        raise v.error("offset out of range")
    return I32


def _memory_access(op: Op) -> Rule:
    """Loads, stores, lane accesses and atomics: the address operand comes first."""
    params = op.params or ()
    results = op.results or ()
    natural = op.mem_bytes
    atomic = op.klass in _ATOMIC
    lane_position = op.imms.index(Imm.LANE) if Imm.LANE in op.imms else -1
    lanes = 16 // natural
    # The popped operands, address first, for each address type.
    operands32 = (I32, *params)
    operands64 = (I64, *params)

    def memory_access(v: CodeValidator, instr: Instr) -> Optional[Iterator[Instr]]:
        address = check_memarg(v, instr.args[0], natural, atomic)
        if lane_position >= 0 and instr.args[lane_position] >= lanes:
            raise v.error("invalid lane index")
        v.pop_vals(operands64 if address is I64 else operands32)
        v.vals.extend(results)
        return None

    return memory_access


def _lane(op: Op) -> Rule:
    """``extract_lane``/``replace_lane``: the generic rule plus a lane bound."""
    lanes = _LANES[op.mnemonic.split(".", 1)[0]]
    position = op.imms.index(Imm.LANE)
    generic = _generic(op.params or (), op.results or ())

    def lane(v: CodeValidator, instr: Instr) -> Optional[Iterator[Instr]]:
        if instr.args[position] >= lanes:
            raise v.error("invalid lane index")
        return generic(v, instr)

    return lane


def _shuffle(op: Op) -> Rule:
    generic = _generic(op.params or (), op.results or ())
    position = op.imms.index(Imm.SHUFFLE)

    def shuffle(v: CodeValidator, instr: Instr) -> Optional[Iterator[Instr]]:
        if any(lane >= 32 for lane in instr.args[position]):
            raise v.error("invalid lane index")
        return generic(v, instr)

    return shuffle


def fixed_rule(op: Op) -> Optional[Rule]:
    """The rule of a row with a fixed signature, or None if the row has none."""
    if op.params is None or op.results is None:
        return None
    if op.mem_bytes > 0:
        return _memory_access(op)
    if Imm.LANE in op.imms:
        return _lane(op)
    if Imm.SHUFFLE in op.imms:
        return _shuffle(op)
    return _generic(op.params, op.results)


__all__ = ["check_memarg", "fixed_rule"]
