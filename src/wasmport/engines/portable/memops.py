"""Translation of memory and table instructions.

Loads and stores check the effective address against the memory's current
size (``M{n}.size``) and then use precompiled ``struct`` accessors on the
memory's buffer (``MB{n}``, which never moves).
"""

from __future__ import annotations

from typing import Dict, Tuple

from ...numerics.simd import SIMD_MEMORY_HELPERS
from ...syntax import opcodes
from ...syntax.ast import ExternKind, Instr, MemArg, Module
from ...syntax.opcodes import Op
from ...syntax.types import AddrType, MemoryType, TableType
from .metering import bulk_charge
from .ops import numeric_name
from .stackmodel import Kind
from .translator import HANDLERS, Translator

#: Load row -> (struct accessor, conversion template of the unpacked value).
_LOADS: Dict[Op, Tuple[str, str]] = {
    opcodes.I32_LOAD: ("LD_U32", "{}"),
    opcodes.I64_LOAD: ("LD_U64", "{}"),
    opcodes.F32_LOAD: ("LD_U32", "f32_from_bits({})"),
    opcodes.F64_LOAD: ("LD_F64", "{}"),
    opcodes.I32_LOAD8_S: ("LD_S8", "{} & 0xFFFFFFFF"),
    opcodes.I32_LOAD8_U: ("LD_U8", "{}"),
    opcodes.I32_LOAD16_S: ("LD_S16", "{} & 0xFFFFFFFF"),
    opcodes.I32_LOAD16_U: ("LD_U16", "{}"),
    opcodes.I64_LOAD8_S: ("LD_S8", "{} & 0xFFFFFFFFFFFFFFFF"),
    opcodes.I64_LOAD8_U: ("LD_U8", "{}"),
    opcodes.I64_LOAD16_S: ("LD_S16", "{} & 0xFFFFFFFFFFFFFFFF"),
    opcodes.I64_LOAD16_U: ("LD_U16", "{}"),
    opcodes.I64_LOAD32_S: ("LD_S32", "{} & 0xFFFFFFFFFFFFFFFF"),
    opcodes.I64_LOAD32_U: ("LD_U32", "{}"),
}

#: Store row -> (struct packer, conversion template of the stored value).
_STORES: Dict[Op, Tuple[str, str]] = {
    opcodes.I32_STORE: ("ST_U32", "{}"),
    opcodes.I64_STORE: ("ST_U64", "{}"),
    opcodes.F32_STORE: ("ST_U32", "f32_to_bits({})"),
    opcodes.F64_STORE: ("ST_F64", "{}"),
    opcodes.I32_STORE8: ("ST_U8", "{} & 0xFF"),
    opcodes.I32_STORE16: ("ST_U16", "{} & 0xFFFF"),
    opcodes.I64_STORE8: ("ST_U8", "{} & 0xFF"),
    opcodes.I64_STORE16: ("ST_U16", "{} & 0xFFFF"),
    opcodes.I64_STORE32: ("ST_U32", "{} & 0xFFFFFFFF"),
}

#: Unsigned accessor of each access width (vector lane loads and stores).
_RAW_LOAD = {1: "LD_U8", 2: "LD_U16", 4: "LD_U32", 8: "LD_U64", 16: "LD_V128"}
_RAW_STORE = {1: "ST_U8", 2: "ST_U16", 4: "ST_U32", 8: "ST_U64", 16: "ST_V128"}


def _address(t: Translator, memarg: MemArg, width: int) -> Tuple[str, str]:
    """Pop the address, emit its bounds check; (buffer name, effective address)."""
    base = t.stack.pop()
    memory = memarg.memory
    if memarg.offset == 0 and base.kind in (Kind.LOCAL, Kind.SLOT, Kind.CONST):
        address = base.value
    else:
        address = "_a"
        offset = f" + {memarg.offset}" if memarg.offset else ""
        t.emit(f"_a = {base.value}{offset}")
    t.emit(f"if {address} > M{memory}.size - {width}:")
    t.emit("    OOB_MEMORY()")
    return f"MB{memory}", address


def _load(t: Translator, instr: Instr) -> None:
    accessor, convert = _LOADS[instr.op]
    buffer, address = _address(t, instr.args[0], instr.op.mem_bytes)
    t.assign(1, convert.format(f"{accessor}({buffer}, {address})[0]"))


def _store(t: Translator, instr: Instr) -> None:
    # Stack entries are pure expressions: the value may be read after the check.
    packer, convert = _STORES[instr.op]
    value = t.pop_value()
    buffer, address = _address(t, instr.args[0], instr.op.mem_bytes)
    t.emit(f"{packer}({buffer}, {address}, {convert.format(value)})")


def _vector_load(t: Translator, instr: Instr) -> None:
    op = instr.op
    memarg: MemArg = instr.args[0]
    helper = SIMD_MEMORY_HELPERS.get(op)
    lane = instr.args[1] if len(instr.args) > 1 else None
    vector = t.pop_value() if lane is not None else None
    buffer, address = _address(t, memarg, op.mem_bytes)
    raw = f"{_RAW_LOAD[op.mem_bytes]}({buffer}, {address})"
    if op.mem_bytes != 16:
        raw += "[0]"
    if helper is None:
        t.assign(1, raw)
    elif lane is None:
        t.assign(1, f"{numeric_name(op)}({raw})")
    else:
        t.assign(1, f"{numeric_name(op)}({vector}, {raw}, {lane})")


def _vector_store(t: Translator, instr: Instr) -> None:
    op = instr.op
    memarg: MemArg = instr.args[0]
    helper = SIMD_MEMORY_HELPERS.get(op)
    value = t.pop_value()
    buffer, address = _address(t, memarg, op.mem_bytes)
    packer = _RAW_STORE[op.mem_bytes]
    if helper is None:
        t.emit(f"{packer}({buffer}, {address}, {value})")
    else:
        t.emit(f"{packer}({buffer}, {address}, {numeric_name(op)}({value}, {instr.args[1]}))")


def _memory_size(t: Translator, instr: Instr) -> None:
    t.assign(1, f"M{instr.args[0]}.pages")


def _grow_failed(module: Module, kind: ExternKind, index: int) -> str:
    """What ``memory.grow``/``table.grow`` of memory or table ``index`` returns on failure."""
    types = [imp.type for imp in module.imports if imp.kind is kind]
    types += ([memory.type for memory in module.memories] if kind is ExternKind.MEMORY
              else [table.type for table in module.tables])
    grown = types[index]
    assert isinstance(grown, (MemoryType, TableType))
    return "0xFFFFFFFFFFFFFFFF" if grown.limits.address is AddrType.I64 else "0xFFFFFFFF"


def _charge(t: Translator, units: str) -> None:
    """With fuel on, charge ``units`` more after a bulk instruction (see
    :func:`.metering.bulk_charge`); ``units`` is a pure expression."""
    if t.fuel:
        for line in bulk_charge(units):
            t.emit(line)


def _grow(t: Translator, kind: ExternKind, index: int, call: str, count: str) -> None:
    """``memory.grow``/``table.grow``: ``call`` (a format with ``{}`` for the
    delta); with fuel on, the delta is charged when the growth succeeds."""
    if not t.fuel:
        t.assign(1, call.format(count))
        return
    t.emit(f"_fc = {count}")
    t.assign(1, call.format("_fc"))
    result = t.stack.top(1)[0].value
    t.emit(f"if {result} != {_grow_failed(t.module, kind, index)}:")
    for line in bulk_charge("_fc"):
        t.emit("    " + line)


def _memory_grow(t: Translator, instr: Instr) -> None:
    memory = instr.args[0]
    _grow(t, ExternKind.MEMORY, memory, f"MEMORY_GROW(M{memory}, {{}})", t.pop_value())


def _memory_fill(t: Translator, instr: Instr) -> None:
    count, value, start = t.pop_value(), t.pop_value(), t.pop_value()
    t.emit(f"MEMORY_FILL(M{instr.args[0]}, {start}, {value}, {count})")
    _charge(t, count)


def _memory_copy(t: Translator, instr: Instr) -> None:
    count, source, destination = t.pop_value(), t.pop_value(), t.pop_value()
    target, origin = instr.args[0], instr.args[1]
    t.emit(f"MEMORY_COPY(M{target}, M{origin}, {destination}, {source}, {count})")
    _charge(t, count)


def _memory_init(t: Translator, instr: Instr) -> None:
    count, source, destination = t.pop_value(), t.pop_value(), t.pop_value()
    segment, memory = instr.args[0], instr.args[1]
    t.emit(f"MEMORY_INIT(M{memory}, INST, {segment}, {destination}, {source}, {count})")
    _charge(t, count)


def _data_drop(t: Translator, instr: Instr) -> None:
    t.emit(f"INST.datas[{instr.args[0]}] = b''")


def _table_get(t: Translator, instr: Instr) -> None:
    t.assign(1, f"TABLE_GET(T{instr.args[0]}, {t.pop_value()})")


def _table_set(t: Translator, instr: Instr) -> None:
    value, index = t.pop_value(), t.pop_value()
    t.emit(f"TABLE_SET(T{instr.args[0]}, {index}, {value})")


def _table_size(t: Translator, instr: Instr) -> None:
    t.assign(1, f"len(T{instr.args[0]}.elements)")


def _table_grow(t: Translator, instr: Instr) -> None:
    count, value = t.pop_value(), t.pop_value()
    table = instr.args[0]
    _grow(t, ExternKind.TABLE, table, f"TABLE_GROW(T{table}, {value}, {{}})", count)


def _table_fill(t: Translator, instr: Instr) -> None:
    count, value, start = t.pop_value(), t.pop_value(), t.pop_value()
    t.emit(f"TABLE_FILL(T{instr.args[0]}, {start}, {value}, {count})")
    _charge(t, count)


def _table_copy(t: Translator, instr: Instr) -> None:
    count, source, destination = t.pop_value(), t.pop_value(), t.pop_value()
    t.emit(f"TABLE_COPY(T{instr.args[0]}, T{instr.args[1]}, {destination}, {source}, {count})")
    _charge(t, count)


def _table_init(t: Translator, instr: Instr) -> None:
    count, source, destination = t.pop_value(), t.pop_value(), t.pop_value()
    segment, table = instr.args[0], instr.args[1]
    t.emit(f"TABLE_INIT(T{table}, INST, {segment}, {destination}, {source}, {count})")
    _charge(t, count)


def _elem_drop(t: Translator, instr: Instr) -> None:
    t.emit(f"INST.elems[{instr.args[0]}] = []")


def register() -> None:
    for op in _LOADS:
        HANDLERS[op] = _load
    for op in _STORES:
        HANDLERS[op] = _store
    for op in opcodes.ALL_OPS:
        if op.prefix == 0xFD and op.klass is opcodes.OpClass.VECTOR_LOAD:
            HANDLERS[op] = _vector_load
        elif op.prefix == 0xFD and op.klass is opcodes.OpClass.VECTOR_STORE:
            HANDLERS[op] = _vector_store
    HANDLERS.update({
        opcodes.MEMORY_SIZE: _memory_size,
        opcodes.MEMORY_GROW: _memory_grow,
        opcodes.MEMORY_FILL: _memory_fill,
        opcodes.MEMORY_COPY: _memory_copy,
        opcodes.MEMORY_INIT: _memory_init,
        opcodes.DATA_DROP: _data_drop,
        opcodes.TABLE_GET: _table_get,
        opcodes.TABLE_SET: _table_set,
        opcodes.TABLE_SIZE: _table_size,
        opcodes.TABLE_GROW: _table_grow,
        opcodes.TABLE_FILL: _table_fill,
        opcodes.TABLE_COPY: _table_copy,
        opcodes.TABLE_INIT: _table_init,
        opcodes.ELEM_DROP: _elem_drop,
    })


register()

__all__ = ["register"]
