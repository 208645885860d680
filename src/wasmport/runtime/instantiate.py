"""Instantiation (spec "Modules / Instantiation"): allocate a module's
instances against its resolved imports, initialise tables and memories from
the active segments, and run the start function."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Sequence

from ..errors import LinkError, Trap, TrapCode
from ..syntax.ast import Elem, ExternKind, Module, SegmentMode
from ..syntax.types import FuncType
from ..valid.canon import canonicalize
from .consts import evaluate
from .instances import (
    ExternValue,
    GlobalInstance,
    ModuleInstance,
    TableInstance,
    TagInstance,
    WasmFunction,
)
from .matching import import_matches
from .memory import MemoryInstance

if TYPE_CHECKING:
    from .store import Store


def _func_type(module: Module, index: int) -> FuncType:
    return module.func_type(index)


def check_imports(module: Module, imports: Sequence[ExternValue], type_ids: Sequence[int]) -> None:
    """Raise :class:`LinkError` unless ``imports`` match the module's imports."""
    if len(imports) != len(module.imports):
        raise LinkError("unknown import")
    for imp, value in zip(module.imports, imports):
        if not import_matches(value, imp, type_ids):
            raise LinkError("incompatible import type")


def _add_import(instance: ModuleInstance, kind: ExternKind, value: ExternValue) -> None:
    spaces: List[List[Any]] = [
        instance.funcs, instance.tables, instance.memories, instance.globals, instance.tags
    ]  # type: ignore[list-item]
    spaces[kind.value].append(value)


def _allocate(store: Store, module: Module, instance: ModuleInstance) -> None:
    config = store.config
    n_imported = len(instance.funcs)
    for offset, func in enumerate(module.funcs):
        index = n_imported + offset
        instance.funcs.append(WasmFunction(
            _func_type(module, func.type_index), instance.type_ids[func.type_index],
            instance, index, f"{instance.name}[{index}]",
        ))
    for tag in module.tags:
        instance.tags.append(TagInstance(
            _func_type(module, tag.type.type_index), instance.type_ids[tag.type.type_index]
        ))
    for memory in module.memories:
        instance.memories.append(MemoryInstance(
            memory.type, store.allocator, config.memory64_reservation, config.max_memory_bytes
        ))
    for glob in module.globals:
        instance.globals.append(GlobalInstance(glob.type, evaluate(glob.init, instance)))
    for table in module.tables:
        init = evaluate(table.init, instance) if table.init is not None else None
        instance.tables.append(TableInstance(table.type, init, config.max_table_elements))


def _exports(module: Module, instance: ModuleInstance) -> None:
    spaces: List[Sequence[ExternValue]] = [
        instance.funcs, instance.tables, instance.memories, instance.globals, instance.tags
    ]
    for export in module.exports:
        instance.exports[export.name] = spaces[export.kind.value][export.index]


def _elem_items(elem: Elem, instance: ModuleInstance) -> List[Any]:
    return [evaluate(item, instance) for item in elem.items]


def _init_elems(module: Module, instance: ModuleInstance) -> None:
    for elem in module.elems:
        instance.elems.append(_elem_items(elem, instance))
    for index, elem in enumerate(module.elems):
        if elem.mode is SegmentMode.ACTIVE and elem.offset_expr is not None:
            table = instance.tables[elem.table or 0]
            start = evaluate(elem.offset_expr, instance)
            items = instance.elems[index]
            if start + len(items) > len(table.elements):
                raise Trap(TrapCode.TABLE_OUT_OF_BOUNDS)
            table.elements[start : start + len(items)] = items
        if elem.mode is not SegmentMode.PASSIVE:
            instance.elems[index] = []


def _init_datas(module: Module, instance: ModuleInstance) -> None:
    instance.datas = [data.data for data in module.datas]
    for index, data in enumerate(module.datas):
        if data.mode is SegmentMode.ACTIVE and data.offset_expr is not None:
            memory = instance.memories[data.memory or 0]
            start = evaluate(data.offset_expr, instance)
            if start + len(data.data) > memory.size:
                raise Trap(TrapCode.MEMORY_OUT_OF_BOUNDS)
            memory.buffer[start : start + len(data.data)] = data.data
            instance.datas[index] = b""


def instantiate(
    store: Store, module: Module, imports: Sequence[ExternValue], name: str = ""
) -> ModuleInstance:
    """Instantiate the validated ``module`` with ``imports`` (in import order).

    Raises :class:`LinkError` if the imports do not match, :class:`Trap` if a
    segment is out of bounds or the start function traps.
    """
    instance = ModuleInstance(name)
    instance.type_ids = canonicalize(module.types)
    check_imports(module, imports, instance.type_ids)
    for imp, value in zip(module.imports, imports):
        _add_import(instance, imp.kind, value)
    compiled = store.compile(module)
    _allocate(store, module, instance)
    compiled.bind(instance, store.config)
    _exports(module, instance)
    _init_elems(module, instance)
    _init_datas(module, instance)
    if module.start is not None:
        instance.funcs[module.start].invoke(())
    return instance


def host_function_type_id(func_type: FuncType) -> int:
    """The canonical type id of a standalone function type (for host functions)."""
    from ..syntax.types import RecType, SubType

    return canonicalize((RecType((SubType(func_type),), explicit=False),))[0]


__all__ = ["check_imports", "host_function_type_id", "instantiate"]
