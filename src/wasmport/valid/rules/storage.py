"""Rules of the table and memory instructions whose operand types depend on
the addressed table or memory (table64, memory64) or on a segment."""

from __future__ import annotations

from typing import Dict

from ...syntax import opcodes as ops
from ...syntax.ast import Instr
from ...syntax.opcodes import Op
from ...syntax.types import I32
from ..code import CodeValidator, Rule
from ..matching import type_text
from .helpers import Nested, address_of, min_address


def table_get(v: CodeValidator, instr: Instr) -> Nested:
    table = v.context.table(instr.args[0], v.offset)
    v.pop_val(address_of(table.limits))
    v.vals.append(table.element)
    return None


def table_set(v: CodeValidator, instr: Instr) -> Nested:
    table = v.context.table(instr.args[0], v.offset)
    v.pop_val(table.element)
    v.pop_val(address_of(table.limits))
    return None


def table_size(v: CodeValidator, instr: Instr) -> Nested:
    table = v.context.table(instr.args[0], v.offset)
    v.vals.append(address_of(table.limits))
    return None


def table_grow(v: CodeValidator, instr: Instr) -> Nested:
    table = v.context.table(instr.args[0], v.offset)
    address = address_of(table.limits)
    v.pop_val(address)
    v.pop_val(table.element)
    v.vals.append(address)
    return None


def table_fill(v: CodeValidator, instr: Instr) -> Nested:
    table = v.context.table(instr.args[0], v.offset)
    address = address_of(table.limits)
    v.pop_val(address)
    v.pop_val(table.element)
    v.pop_val(address)
    return None


def table_copy(v: CodeValidator, instr: Instr) -> Nested:
    destination = v.context.table(instr.args[0], v.offset)
    source = v.context.table(instr.args[1], v.offset)
    if not v.types.ref_matches(source.element, destination.element):
        raise v.error(
            f"type mismatch: source element type {type_text(source.element)}"
            f" does not match destination element type {type_text(destination.element)}"
        )
    d_address = address_of(destination.limits)
    s_address = address_of(source.limits)
    v.pop_val(min_address(d_address, s_address))
    v.pop_val(s_address)
    v.pop_val(d_address)
    return None


def table_init(v: CodeValidator, instr: Instr) -> Nested:
    table = v.context.table(instr.args[1], v.offset)
    element = v.context.elem(instr.args[0], v.offset)
    if not v.types.ref_matches(element, table.element):
        raise v.error(
            f"type mismatch: element segment's type {type_text(element)}"
            f" does not match table's element type {type_text(table.element)}"
        )
    v.pop_val(I32)
    v.pop_val(I32)
    v.pop_val(address_of(table.limits))
    return None


def elem_drop(v: CodeValidator, instr: Instr) -> Nested:
    v.context.elem(instr.args[0], v.offset)
    return None


def memory_size(v: CodeValidator, instr: Instr) -> Nested:
    memory = v.context.memory(instr.args[0], v.offset)
    v.vals.append(address_of(memory.limits))
    return None


def memory_grow(v: CodeValidator, instr: Instr) -> Nested:
    address = address_of(v.context.memory(instr.args[0], v.offset).limits)
    v.pop_val(address)
    v.vals.append(address)
    return None


def memory_fill(v: CodeValidator, instr: Instr) -> Nested:
    address = address_of(v.context.memory(instr.args[0], v.offset).limits)
    v.pop_val(address)
    v.pop_val(I32)
    v.pop_val(address)
    return None


def memory_copy(v: CodeValidator, instr: Instr) -> Nested:
    d_address = address_of(v.context.memory(instr.args[0], v.offset).limits)
    s_address = address_of(v.context.memory(instr.args[1], v.offset).limits)
    v.pop_val(min_address(d_address, s_address))
    v.pop_val(s_address)
    v.pop_val(d_address)
    return None


def memory_init(v: CodeValidator, instr: Instr) -> Nested:
    address = address_of(v.context.memory(instr.args[1], v.offset).limits)
    v.context.data(instr.args[0], v.offset)
    v.pop_val(I32)
    v.pop_val(I32)
    v.pop_val(address)
    return None


def data_drop(v: CodeValidator, instr: Instr) -> Nested:
    v.context.data(instr.args[0], v.offset)
    return None


RULES: Dict[Op, Rule] = {
    ops.TABLE_GET: table_get,
    ops.TABLE_SET: table_set,
    ops.TABLE_SIZE: table_size,
    ops.TABLE_GROW: table_grow,
    ops.TABLE_FILL: table_fill,
    ops.TABLE_COPY: table_copy,
    ops.TABLE_INIT: table_init,
    ops.ELEM_DROP: elem_drop,
    ops.MEMORY_SIZE: memory_size,
    ops.MEMORY_GROW: memory_grow,
    ops.MEMORY_FILL: memory_fill,
    ops.MEMORY_COPY: memory_copy,
    ops.MEMORY_INIT: memory_init,
    ops.DATA_DROP: data_drop,
}

__all__ = ["RULES"]
