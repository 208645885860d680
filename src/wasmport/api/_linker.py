"""``Linker``: resolves a module's imports by name."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Tuple

from ..runtime import FuncInstance, HostFunction
from ..syntax import types as st
from ..syntax.ast import ExternKind
from ._engine import Engine
from ._error import WasmtimeError
from ._extern import AsExtern, unwrap_extern, wrap_extern
from ._func import Func, InstanceCell, _host_callable
from ._instance import Instance, instantiate
from ._managed import Managed, setter_property
from ._module import Module
from ._store import Store, Storelike
from ._trap import Trap
from ._types import FuncType

if TYPE_CHECKING:
    from ._instance_pre import InstancePre

Key = Tuple[str, str]


class HostDefinition:
    """A store-independent host function (``define_func``): made per store,
    or per instance when it wants its Caller."""

    def __init__(self, ty: st.FuncType, func: Callable[..., Any], access_caller: bool) -> None:
        self.ty = ty
        self.func = func
        self.access_caller = access_caller
        self._per_store: weakref.WeakKeyDictionary[Store, FuncInstance] = (
            weakref.WeakKeyDictionary())

    def resolve(self, store: Store, cell: Optional[InstanceCell]) -> FuncInstance:
        if self.access_caller:
            return store._rt.host_function(
                self.ty, _host_callable(store, self.ty, self.func, cell or InstanceCell()))
        fi = self._per_store.get(store)
        if fi is None:
            fi = store._rt.host_function(self.ty, _host_callable(store, self.ty, self.func, None))
            self._per_store[store] = fi
        return fi


class WasiDefinition:
    """One ``wasi_snapshot_preview1`` function, bound to the store's WASI context."""

    def __init__(self, name: str) -> None:
        self.name = name

    def resolve(self, store: Store, cell: Optional[InstanceCell]) -> FuncInstance:
        from ._wasi import wasi_function

        return wasi_function(store, self.name, cell)


def _name(value: Any) -> str:
    value.encode()
    return str(value)


def _default_value(ty: st.ValType) -> Any:
    return None if isinstance(ty, st.RefType) else (0.0 if ty in (st.F32, st.F64) else 0)


class Linker(Managed[Dict[Key, Any]]):
    """Defines items by ``(module, name)`` and instantiates modules against them."""

    def __init__(self, engine: Engine) -> None:
        engine.ptr()
        self.engine = engine
        self._shadowing = False
        self._set_inner({})

    @setter_property
    def allow_shadowing(self, allow: bool) -> None:
        """Whether a later definition may replace an earlier one of the same name."""
        if not isinstance(allow, bool):
            raise TypeError("expected a bool")
        self._shadowing = allow

    def _define(self, module: Any, name: Any, item: Any) -> None:
        key = (_name(module), _name(name))
        items = self.ptr()
        if key in items and not self._shadowing:
            raise WasmtimeError(f"import of `{key[0]}::{key[1]}` defined twice")
        items[key] = item

    def define(self, store: Storelike, module: str, name: str, item: AsExtern) -> None:
        """Define ``module::name`` as ``item`` (a Func, Memory, Table, Global or Tag)."""
        ctx = store._context()
        unwrap_extern(ctx, item)
        self._define(module, name, item)

    def define_func(self, module: str, name: str, ty: FuncType, func: Callable[..., Any],
                    access_caller: bool = False) -> None:
        """Define a host function usable from every store of the engine."""
        if not isinstance(ty, FuncType):
            raise TypeError("expected a FuncType")
        self._define(module, name, HostDefinition(ty.ptr(), func, access_caller))

    def define_instance(self, store: Storelike, name: str, instance: Instance) -> None:
        """Define every export of ``instance`` under module ``name``."""
        if not isinstance(instance, Instance):
            raise TypeError("expected an `Instance`")
        ctx = store._context()
        exports = instance.exports(ctx)
        for export_name in exports:
            key = (_name(name), export_name)
            if key in self.ptr() and not self._shadowing:
                raise WasmtimeError(f"import of `{name}::{export_name}` defined twice")
        for export_name, item in exports.items():
            self._define(name, export_name, item)

    def define_wasi(self) -> None:
        """Define ``wasi_snapshot_preview1`` (the context comes from ``Store.set_wasi``)."""
        from ._wasi import PREVIEW1_MODULE, PREVIEW1_NAMES

        for name in PREVIEW1_NAMES:
            self._define(PREVIEW1_MODULE, name, WasiDefinition(name))

    def define_module(self, store: Storelike, name: str, module: Module) -> None:
        """Define ``module``'s exports under ``name``, with WASI semantics.

        A command (it exports ``_start``): each exported function, when called,
        instantiates the module afresh and runs in that instance. Otherwise (a
        reactor): the module is instantiated once, ``_initialize`` runs if
        exported, and every export is defined.
        """
        if not isinstance(module, Module):
            raise TypeError("expected a `Module`")
        ctx = store._context()
        if any(export.name == "_start" for export in module._ast.exports):
            self._define_command(name, module)
            return
        instance = self.instantiate(ctx, module)
        init = instance.exports(ctx).get("_initialize")
        if isinstance(init, Func):
            init(ctx)
        self.define_instance(ctx, name, instance)

    def _define_command(self, name: str, module: Module) -> None:
        for export in module.exports:
            ty = export.type
            if isinstance(ty, FuncType):
                self._define(name, export.name,
                             HostDefinition(ty.ptr(), self._command_export(module, export.name),
                                            True))

    def _command_export(self, module: Module, export: str) -> Callable[..., Any]:
        def call(caller: Any, *args: Any) -> Any:
            func = self.instantiate(caller, module).exports(caller)[export]
            if not isinstance(func, Func):
                raise WasmtimeError(f"export `{export}` is not a function")
            return func(caller, *args)

        return call

    def _resolve(self, store: Store, key: Key, cell: Optional[InstanceCell]) -> Any:
        item = self.ptr().get(key)
        if item is None:
            return None
        if isinstance(item, (HostDefinition, WasiDefinition)):
            return item.resolve(store, cell)
        return unwrap_extern(store, item, cell)

    def _values(self, store: Store, module: Module, cell: InstanceCell) -> List[Any]:
        values = []
        for imp in module._ast.imports:
            value = self._resolve(store, (imp.module, imp.name), cell)
            if value is None:
                raise WasmtimeError(f"unknown import: `{imp.module}::{imp.name}` "
                                    "has not been defined")
            values.append(value)
        return values

    def instantiate(self, store: Storelike, module: Module) -> Instance:
        """Instantiate ``module`` with its imports resolved by name."""
        ctx = store._context()
        cell = InstanceCell()
        return instantiate(ctx, module, self._values(ctx, module, cell), cell)

    def instantiate_pre(self, module: Module) -> InstancePre:
        """Check that every import of ``module`` is defined; instantiate it later."""
        from ._instance_pre import InstancePre

        if not isinstance(module, Module):
            raise TypeError("expected a `Module`")
        for imp in module._ast.imports:
            if (imp.module, imp.name) not in self.ptr():
                raise WasmtimeError(f"unknown import: `{imp.module}::{imp.name}` "
                                    "has not been defined")
        return InstancePre(self, module)

    def get_default(self, store: Storelike, name: str) -> Func:
        """The default function of module ``name`` (export "" or ``_start``),
        or a function that does nothing."""
        ctx = store._context()
        for export in ("", "_start"):
            value = self._resolve(ctx, (_name(name), export), None)
            if isinstance(value, FuncInstance):
                return Func._wrap(ctx, value)
        return Func(ctx, FuncType([], []), lambda: None)

    def get(self, store: Storelike, module: str, name: str) -> AsExtern:
        """The item defined as ``module::name`` (``WasmtimeError`` if none)."""
        ctx = store._context()
        value = self._resolve(ctx, (_name(module), _name(name)), None)
        if value is None:
            raise WasmtimeError("item not defined in linker")
        return wrap_extern(ctx, value)

    def define_unknown_imports_as_traps(self, module: Module) -> None:
        """Define every undefined function import as a function that traps."""
        if not isinstance(module, Module):
            raise TypeError("expected a `Module`")
        for imp in module._ast.imports:
            if imp.kind is ExternKind.FUNC and (imp.module, imp.name) not in self.ptr():
                ty = module._ast.func_type(imp.type.type_index)  # type: ignore[union-attr]
                self._define(imp.module, imp.name,
                             HostDefinition(ty, _trapping(imp.module, imp.name), False))

    def define_unknown_imports_as_default_values(self, store: Storelike, module: Module) -> None:
        """Define every undefined function import as a function returning zeros."""
        if not isinstance(module, Module):
            raise TypeError("expected a `Module`")
        store._context()
        for imp in module._ast.imports:
            if imp.kind is ExternKind.FUNC and (imp.module, imp.name) not in self.ptr():
                ty = module._ast.func_type(imp.type.type_index)  # type: ignore[union-attr]
                self._define(imp.module, imp.name, _DefaultFunc(ty))


class _DefaultFunc(HostDefinition):
    def __init__(self, ty: st.FuncType) -> None:
        super().__init__(ty, self._call, False)

    def resolve(self, store: Store, cell: Optional[InstanceCell]) -> FuncInstance:
        results = [_default_value(t) for t in self.ty.results]
        value: Any = None if not results else results[0] if len(results) == 1 else tuple(results)
        return HostFunction(self.ty, _type_id(self.ty), lambda *args: value)

    def _call(self, *args: Any) -> None:
        return None


def _type_id(ty: st.FuncType) -> int:
    from ..runtime.instantiate import host_function_type_id

    return host_function_type_id(ty)


def _trapping(module: str, name: str) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        raise Trap(f"unknown import: `{module}::{name}` has not been defined")

    return call


__all__ = ["Linker"]
