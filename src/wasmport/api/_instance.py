"""``Instance``: an instantiated module and its exports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

from ..runtime import ModuleInstance
from ._error import WasmtimeError
from ._func import InstanceCell
from ._store import Store, Storelike
from ._trap import run_wasm

if TYPE_CHECKING:
    from ._extern import AsExtern
    from ._module import Module


def _count_resources(store: Store, module: Module) -> None:
    ast = module._ast
    store._count("instances")
    store._count("memories", len(ast.memories))
    store._count("tables", len(ast.tables))
    limit = store._limit("memory_size")
    for memory in ast.memories:
        if limit is not None and memory.type.limits.minimum * memory.type.page_size > limit:
            raise WasmtimeError("memory minimum size exceeds the store's memory_size limit")
    limit = store._limit("table_elements")
    for table in ast.tables:
        if limit is not None and table.type.limits.minimum > limit:
            raise WasmtimeError("table minimum size exceeds the store's table_elements limit")


def _instantiate_and_start(store: Store, module: Module, values: Sequence[Any],
                           cell: InstanceCell) -> ModuleInstance:
    try:
        instance = store._rt.instantiate(module._startless, values)
    except MemoryError as error:
        raise WasmtimeError(f"failed to allocate memory: {error}") from None
    store._instance_modules[instance] = module._ast
    cell.bind(instance)
    start = module._ast.start
    if start is not None:
        instance.funcs[start].invoke(())
    return instance


def instantiate(store: Store, module: Module, values: Sequence[Any],
                cell: InstanceCell) -> Instance:
    """Instantiate ``module`` with runtime ``values`` and run its start function."""
    if module.engine is not store.engine:
        raise WasmtimeError("cross-`Engine` instantiation is not currently supported")
    _count_resources(store, module)
    instance = run_wasm(store, _instantiate_and_start, store, module, values, cell)
    return Instance._wrap(store, module, instance)


class InstanceExports(Mapping[str, "AsExtern"]):
    """An instance's exports: a mapping from name to extern, plus ``by_index``."""

    def __init__(self, store: Store, instance: ModuleInstance, names: Sequence[str]) -> None:
        from ._extern import wrap_extern

        items = [(name, wrap_extern(store, instance.exports[name])) for name in names]
        self._items: Dict[str, AsExtern] = dict(items)
        self.by_index: Tuple[AsExtern, ...] = tuple(extern for _, extern in items)

    def __getitem__(self, name: str) -> AsExtern:
        return self._items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


class Instance:
    """An instance: ``Instance(store, module, imports)`` with imports in order."""

    def __init__(self, store: Storelike, module: Module, imports: Sequence[AsExtern]) -> None:
        from ._extern import unwrap_extern

        ast = module._ast
        ctx = store._context()
        cell = InstanceCell()
        values: List[Any] = [unwrap_extern(ctx, item, cell) for item in imports]
        if len(values) != len(ast.imports):
            raise WasmtimeError(f"expected {len(ast.imports)} imports, found {len(values)}")
        made = instantiate(ctx, module, values, cell)
        self._store: Store = made._store
        self._module: Module = made._module
        self._instance: ModuleInstance = made._instance
        self._exports: Optional[InstanceExports] = None

    @classmethod
    def _wrap(cls, store: Store, module: Module, instance: ModuleInstance) -> Instance:
        self = cls.__new__(cls)
        self._store = store
        self._module = module
        self._instance = instance
        self._exports = None
        return self

    def exports(self, store: Storelike) -> InstanceExports:
        """The exports (a mapping by name, with ``by_index`` in export order)."""
        if store._context() is not self._store:
            raise WasmtimeError("object used with the wrong store")
        if self._exports is None:
            names = [export.name for export in self._module._ast.exports]
            self._exports = InstanceExports(self._store, self._instance, names)
        return self._exports


__all__ = ["Instance", "InstanceExports", "instantiate"]
