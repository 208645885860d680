"""``Table``: a table of references."""

from __future__ import annotations

from typing import Any

from ..runtime import TableInstance
from ..syntax import types as st
from ._error import WasmtimeError
from ._store import Store, Storelike
from ._types import TableType
from ._value import from_runtime, to_runtime


def new_table(store: Store, raw: st.TableType, init: Any) -> TableInstance:
    """Allocate a table of type ``raw`` in ``store`` (honouring its limits)."""
    limit = store._limit("table_elements")
    if limit is not None and raw.limits.minimum > limit:
        raise WasmtimeError("table minimum size exceeds the store's table_elements limit")
    store._count("tables")
    return TableInstance(raw, init, store._rt.config.max_table_elements)


class Table:
    """A table: ``Table(store, TableType(...), init)`` or an export."""

    def __init__(self, store: Storelike, ty: TableType, init: Any) -> None:
        ctx = store._context()
        raw = ty.ptr()
        if not isinstance(raw, st.TableType):
            raise TypeError("expected a TableType")
        value = to_runtime(ctx, raw.element, init)
        self._store = ctx
        self._table = new_table(ctx, raw, value)

    @classmethod
    def _wrap(cls, store: Store, table: TableInstance) -> Table:
        self = cls.__new__(cls)
        self._store = store
        self._table = table
        return self

    def _in(self, store: Storelike) -> TableInstance:
        if store._context() is not self._store:
            raise WasmtimeError("object used with the wrong store")
        return self._table

    def type(self, store: Storelike) -> TableType:
        """The table's type (its minimum is the current size)."""
        table = self._in(store)
        raw = table.type
        limits = st.Limits(len(table.elements), raw.limits.maximum, raw.limits.address)
        return TableType._of(st.TableType(limits, raw.element))

    def size(self, store: Storelike) -> int:
        """The number of elements."""
        return len(self._in(store).elements)

    def grow(self, store: Storelike, amt: int, init: Any) -> int:
        """Add ``amt`` elements set to ``init``; the old size."""
        table = self._in(store)
        if not isinstance(amt, int):
            raise TypeError("expected an integer")
        value = to_runtime(self._store, table.type.element, init)
        old = table.grow(amt, value) if amt >= 0 else -1
        if old < 0:
            raise WasmtimeError(f"failed to grow table by `{amt}`")
        return old

    def get(self, store: Storelike, idx: int) -> Any:
        """Element ``idx`` (a Func, an externref's object, or None; None out of range)."""
        table = self._in(store)
        if not 0 <= idx < len(table.elements):
            return None
        return from_runtime(self._store, table.type.element, table.elements[idx])

    def set(self, store: Storelike, idx: int, val: Any) -> None:
        """Set element ``idx``; ``WasmtimeError`` out of range."""
        table = self._in(store)
        value = to_runtime(self._store, table.type.element, val)
        if not 0 <= idx < len(table.elements):
            raise WasmtimeError("table element index out of bounds")
        table.elements[idx] = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Table) and other._table is self._table

    def __hash__(self) -> int:
        return hash(id(self._table))


__all__ = ["Table", "new_table"]
