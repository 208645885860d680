"""``Global``: a global variable."""

from __future__ import annotations

from typing import Any

from ..runtime import GlobalInstance
from ._error import WasmtimeError
from ._store import Store, Storelike
from ._types import GlobalType
from ._value import from_runtime, to_runtime


class Global:
    """A global: ``Global(store, GlobalType(...), value)`` or an export."""

    def __init__(self, store: Storelike, ty: GlobalType, val: Any) -> None:
        if not isinstance(ty, GlobalType):
            raise TypeError("expected a GlobalType")
        ctx = store._context()
        raw = ty.ptr()
        self._store = ctx
        self._global = GlobalInstance(raw, to_runtime(ctx, raw.value, val))

    @classmethod
    def _wrap(cls, store: Store, glob: GlobalInstance) -> Global:
        self = cls.__new__(cls)
        self._store = store
        self._global = glob
        return self

    def _in(self, store: Storelike) -> GlobalInstance:
        if store._context() is not self._store:
            raise WasmtimeError("object used with the wrong store")
        return self._global

    def type(self, store: Storelike) -> GlobalType:
        """The global's type."""
        return GlobalType._of(self._in(store).type)

    def value(self, store: Storelike) -> Any:
        """The current value (a Python value)."""
        glob = self._in(store)
        return from_runtime(self._store, glob.type.value, glob.value)

    def set_value(self, store: Storelike, val: Any) -> None:
        """Set the value; ``WasmtimeError`` if the global is immutable."""
        glob = self._in(store)
        value = to_runtime(self._store, glob.type.value, val)
        if not glob.type.mutable:
            raise WasmtimeError("immutable global cannot be set")
        glob.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Global) and other._global is self._global

    def __hash__(self) -> int:
        return hash(id(self._global))


__all__ = ["Global"]
