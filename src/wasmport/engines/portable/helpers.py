"""Runtime helpers that generated code calls, and the base namespace every
instance's generated code runs in (numerics, struct accessors, traps)."""

from __future__ import annotations

import struct
from typing import Any, Dict, NoReturn

from ...errors import Exhaustion, Trap, TrapCode
from ...numerics import IMPLEMENTATIONS, f32_from_bits, f32_to_bits, f64_from_bits
from ...numerics.simd import SIMD_IMPLEMENTATIONS, SIMD_MEMORY_HELPERS
from ...runtime.instances import (
    FuncInstance,
    ModuleInstance,
    TableInstance,
    TailCall,
    trampoline,
)
from ...runtime.memory import MemoryInstance
from ...runtime.stack import pause_gc_for_unwinding
from ...runtime.thrown import Thrown
from ...runtime.values import ExceptionInstance
from ...syntax.types import AddrType

_U64 = 0xFFFFFFFFFFFFFFFF


def trap_unreachable() -> NoReturn:
    raise Trap(TrapCode.UNREACHABLE_CODE_REACHED)


def trap_memory() -> NoReturn:
    raise Trap(TrapCode.MEMORY_OUT_OF_BOUNDS)


def trap_table() -> NoReturn:
    raise Trap(TrapCode.TABLE_OUT_OF_BOUNDS)


def exhaust() -> NoReturn:
    pause_gc_for_unwinding()
    raise Exhaustion()


def call_indirect(table: TableInstance, index: int, type_id: int) -> FuncInstance:
    elements = table.elements
    if index >= len(elements):
        raise Trap(TrapCode.UNDEFINED_ELEMENT)
    func = elements[index]
    if func is None:
        raise Trap(TrapCode.UNINITIALIZED_ELEMENT)
    if func.type_id != type_id:
        raise Trap(TrapCode.BAD_SIGNATURE)
    return func  # type: ignore[no-any-return]


def call_ref(func: Any) -> FuncInstance:
    if func is None:
        raise Trap(TrapCode.INDIRECT_CALL_TO_NULL)
    return func  # type: ignore[no-any-return]


def non_null(value: Any) -> Any:
    if value is None:
        raise Trap(TrapCode.NULL_REFERENCE)
    return value


def throw_ref(exception: Any) -> NoReturn:
    if exception is None:
        raise Trap(TrapCode.NULL_REFERENCE, "null exception reference")
    raise Thrown(exception)


def load_v128(buffer: Any, address: int) -> int:
    low, high = _QQ.unpack_from(buffer, address)
    return low | (high << 64)  # type: ignore[no-any-return]


def store_v128(buffer: Any, address: int, value: int) -> None:
    _QQ.pack_into(buffer, address, value & _U64, value >> 64)


def memory_grow(memory: MemoryInstance, delta: int) -> int:
    result = memory.grow(delta)
    if result < 0:
        return _U64 if memory.is64 else 0xFFFFFFFF
    return result


def memory_fill(memory: MemoryInstance, start: int, value: int, count: int) -> None:
    if start + count > memory.size:
        trap_memory()
    memory.buffer[start : start + count] = bytes((value & 0xFF,)) * count


def memory_copy(target: MemoryInstance, origin: MemoryInstance, destination: int,
                source: int, count: int) -> None:
    if destination + count > target.size or source + count > origin.size:
        trap_memory()
    if count:
        target.buffer[destination : destination + count] = origin.buffer[source : source + count]


def memory_init(memory: MemoryInstance, instance: ModuleInstance, segment: int,
                destination: int, source: int, count: int) -> None:
    data = instance.datas[segment]
    if source + count > len(data) or destination + count > memory.size:
        trap_memory()
    if count:
        memory.buffer[destination : destination + count] = data[source : source + count]


def table_get(table: TableInstance, index: int) -> Any:
    elements = table.elements
    if index >= len(elements):
        trap_table()
    return elements[index]


def table_set(table: TableInstance, index: int, value: Any) -> None:
    elements = table.elements
    if index >= len(elements):
        trap_table()
    elements[index] = value


def table_grow(table: TableInstance, value: Any, count: int) -> int:
    result = table.grow(count, value)
    if result < 0:
        return _U64 if table.type.limits.address is AddrType.I64 else 0xFFFFFFFF
    return result


def table_fill(table: TableInstance, start: int, value: Any, count: int) -> None:
    if start + count > len(table.elements):
        trap_table()
    table.elements[start : start + count] = [value] * count


def table_copy(target: TableInstance, origin: TableInstance, destination: int, source: int,
               count: int) -> None:
    if destination + count > len(target.elements) or source + count > len(origin.elements):
        trap_table()
    target.elements[destination : destination + count] = origin.elements[source : source + count]


def table_init(table: TableInstance, instance: ModuleInstance, segment: int, destination: int,
               source: int, count: int) -> None:
    items = instance.elems[segment]
    if source + count > len(items) or destination + count > len(table.elements):
        trap_table()
    table.elements[destination : destination + count] = items[source : source + count]


_QQ = struct.Struct("<QQ")


def _accessors() -> Dict[str, Any]:
    names: Dict[str, Any] = {}
    formats = {"U8": "<B", "S8": "<b", "U16": "<H", "S16": "<h", "U32": "<I", "S32": "<i",
               "U64": "<Q", "S64": "<q", "F64": "<d"}
    for name, fmt in formats.items():
        packed = struct.Struct(fmt)
        names[f"LD_{name}"] = packed.unpack_from
        names[f"ST_{name}"] = packed.pack_into
    names["LD_V128"] = load_v128
    names["ST_V128"] = store_v128
    return names


def base_namespace() -> Dict[str, Any]:
    """What every instance's namespace starts with (copied per instance)."""
    from .ops import numeric_name

    names: Dict[str, Any] = {"__builtins__": __builtins__}
    names.update(_accessors())
    for table in (IMPLEMENTATIONS, SIMD_IMPLEMENTATIONS, SIMD_MEMORY_HELPERS):
        for op, function in table.items():
            names[numeric_name(op)] = function
    names.update({
        "f32_from_bits": f32_from_bits,
        "f32_to_bits": f32_to_bits,
        "f64_from_bits": f64_from_bits,
        "UNREACHABLE": trap_unreachable,
        "OOB_MEMORY": trap_memory,
        "EXHAUST": exhaust,
        "CALL_INDIRECT": call_indirect,
        "CALL_REF": call_ref,
        "NON_NULL": non_null,
        "THROW_REF": throw_ref,
        "THROWN": Thrown,
        "EXN": ExceptionInstance,
        "TAIL": TailCall,
        "TRAMPOLINE": trampoline,
        "MEMORY_GROW": memory_grow,
        "MEMORY_FILL": memory_fill,
        "MEMORY_COPY": memory_copy,
        "MEMORY_INIT": memory_init,
        "TABLE_GET": table_get,
        "TABLE_SET": table_set,
        "TABLE_GROW": table_grow,
        "TABLE_FILL": table_fill,
        "TABLE_COPY": table_copy,
        "TABLE_INIT": table_init,
    })
    return names


__all__ = ["base_namespace"]
