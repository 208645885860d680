"""``Func`` (Wasm or host functions) and ``Caller`` (the store and calling
instance as seen by a host function created with ``access_caller=True``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, List, Optional, Sequence, Tuple

from ..runtime import FuncInstance, HostFunction, ModuleInstance
from ..syntax import types as st
from ._error import WasmtimeError
from ._store import Store
from ._trap import run_wasm
from ._types import FuncType
from ._value import from_runtime, to_runtime

if TYPE_CHECKING:
    from ._extern import AsExtern
    from ._store import Storelike


class InstanceCell:
    """The instance a host function was imported into (set once it exists)."""

    __slots__ = ("instance", "hooks", "wasi")

    def __init__(self) -> None:
        self.instance: Optional[ModuleInstance] = None
        #: Called with the instance once it exists, before its start function.
        self.hooks: List[Callable[[ModuleInstance], None]] = []
        #: The WASI imports made for this instance (see _wasi.wasi_function).
        self.wasi: Any = None

    def bind(self, instance: ModuleInstance) -> None:
        self.instance = instance
        for hook in self.hooks:
            hook(instance)


class Caller:
    """What a host function made with ``access_caller=True`` receives first.

    It is a store (pass it wherever a store is expected) and looks up the
    exports of the calling instance: ``caller.get("memory")``. It is only
    valid during the call: afterwards ``get`` returns None and using it as a
    store raises ``ValueError``.
    """

    def __init__(self, store: Store, cell: Optional[InstanceCell]) -> None:
        self._store: Optional[Store] = store
        self._cell = cell

    def _context(self) -> Store:
        if self._store is None:
            raise ValueError("caller is no longer valid")
        return self._store

    def _invalidate(self) -> None:
        self._store = None

    def get(self, name: str) -> Optional[AsExtern]:
        """The calling instance's export ``name``, or None."""
        from ._extern import wrap_extern

        store = self._store
        cell = self._cell
        if store is None or cell is None or cell.instance is None:
            return None
        value = cell.instance.exports.get(name)
        return None if value is None else wrap_extern(store, value)

    def __getitem__(self, name: str) -> AsExtern:
        found = self.get(name)
        if found is None:
            raise KeyError(f"failed to find export {name}")
        return found


def _host_results(result: Any, results: Sequence[st.ValType], store: Store) -> Any:
    """A host function's return value in the runtime's fast convention."""
    count = len(results)
    if count == 0:
        if result is not None:
            raise WasmtimeError("callback produced results when it shouldn't")
        return None
    if count == 1:
        return to_runtime(store, results[0], result)
    if len(result) != count:
        raise WasmtimeError("callback produced wrong number of results")
    return tuple(to_runtime(store, t, v) for t, v in zip(results, result))


def _host_callable(store: Store, ty: st.FuncType, func: Callable[..., Any],
                   cell: Optional[InstanceCell]) -> Callable[..., Any]:
    params = ty.params
    results = ty.results

    def call(*args: Any) -> Any:
        values = [from_runtime(store, t, v) for t, v in zip(params, args)]
        if cell is None:
            result = func(*values)
        else:
            caller = Caller(store, cell)
            try:
                result = func(caller, *values)
            finally:
                caller._invalidate()
        return _host_results(result, results, store)

    return call


class Func:
    """A function: ``Func(store, functype, callable, access_caller=False)``
    wraps a Python callable; exported Wasm functions are Funcs too.

    Call it as ``func(store, *params)``: 0 results give None, one gives the
    value, several give a list.
    """

    def __init__(self, store: Store, ty: FuncType, func: Callable[..., Any],
                 access_caller: bool = False) -> None:
        if not isinstance(store, Store):
            raise TypeError("expected a Store")
        if not isinstance(ty, FuncType):
            raise TypeError("expected a FuncType")
        raw = ty.ptr()
        self._store = store
        self._callable: Optional[Callable[..., Any]] = func
        self._access_caller = access_caller
        cell = InstanceCell() if access_caller else None
        self._fi: FuncInstance = store._rt.host_function(
            raw, _host_callable(store, raw, func, cell))

    @classmethod
    def _wrap(cls, store: Store, fi: FuncInstance) -> Func:
        self = cls.__new__(cls)
        self._store = store
        self._fi = fi
        self._callable = None
        self._access_caller = False
        return self

    def _instance_in(self, store: Store) -> FuncInstance:
        if self._store is not store:
            raise WasmtimeError("object used with the wrong store")
        return self._fi

    def _import_into(self, store: Store, cell: InstanceCell) -> FuncInstance:
        """The runtime function to import into the instance ``cell`` will hold."""
        fi = self._instance_in(store)
        if not self._access_caller or self._callable is None:
            return fi
        raw = fi.type
        return HostFunction(raw, fi.type_id, _host_callable(store, raw, self._callable, cell))

    def type(self, store: Storelike) -> FuncType:
        """The function's type."""
        store._context()
        return FuncType._of(self._fi.type)

    @property
    def _func(self) -> FuncInstance:
        return self._fi

    def __call__(self, store: Storelike, *params: Any) -> Any:
        ctx = store._context()
        fi = self._instance_in(ctx)
        ty = fi.type
        expected = len(ty.params)
        if len(params) != expected:
            word = "many" if len(params) > expected else "few"
            raise WasmtimeError(f"too {word} parameters provided: given {len(params)}, "
                                f"expected {expected}")
        args = [to_runtime(ctx, t, v) for t, v in zip(ty.params, params)]
        results: Tuple[Any, ...] = run_wasm(ctx, fi.invoke, args)
        if not results:
            return None
        if len(results) == 1:
            return from_runtime(ctx, ty.results[0], results[0])
        out: List[Any] = [from_runtime(ctx, t, v) for t, v in zip(ty.results, results)]
        return out

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Func) and other._fi is self._fi

    def __hash__(self) -> int:
        return hash(id(self._fi))

    def __repr__(self) -> str:
        return f"<Func {self._fi.name or hex(id(self._fi))}>"


__all__ = ["Caller", "Func", "InstanceCell"]
