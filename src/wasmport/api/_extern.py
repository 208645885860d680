"""Conversions between facade externs (Func, Memory, Table, Global, Tag,
SharedMemory) and runtime external values."""

from __future__ import annotations

from typing import Any, Union

from ..runtime import FuncInstance, GlobalInstance, MemoryInstance, TableInstance, TagInstance
from ._func import Func, InstanceCell
from ._globals import Global
from ._memory import Memory
from ._sharedmemory import SharedMemory
from ._store import Store
from ._table import Table
from ._tag import Tag

AsExtern = Union[Func, Table, Memory, SharedMemory, Global, Tag]

_EXPECTED = "expected a Func, Global, Memory, SharedMemory, Table or Tag"


def wrap_extern(store: Store, value: Any) -> AsExtern:
    """The facade object for a runtime external value."""
    if isinstance(value, FuncInstance):
        return Func._wrap(store, value)
    if isinstance(value, MemoryInstance):
        if value.type.limits.shared:
            return SharedMemory._wrap(store.engine, value)
        return Memory._wrap(store, value)
    if isinstance(value, TableInstance):
        return Table._wrap(store, value)
    if isinstance(value, GlobalInstance):
        return Global._wrap(store, value)
    if isinstance(value, TagInstance):
        return Tag._wrap(store, value)
    raise TypeError(f"unknown external value {value!r}")


def unwrap_extern(store: Store, item: Any, cell: Union[InstanceCell, None] = None) -> Any:
    """The runtime external value of ``item`` (``TypeError`` if it is not an extern)."""
    if isinstance(item, Func):
        return item._import_into(store, cell) if cell is not None else item._instance_in(store)
    if isinstance(item, SharedMemory):
        return item._mem
    if isinstance(item, (Memory, Table, Global, Tag)):
        return item._in(store)
    raise TypeError(_EXPECTED)


__all__ = ["AsExtern", "unwrap_extern", "wrap_extern"]
