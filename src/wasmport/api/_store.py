"""``Store``: owns instances and host objects, fuel, the epoch deadline and
resource limits. ``Storelike`` is anything with ``_context()`` (a Store, a
:class:`~wasmport.api.Caller` during its call, a ``StoreContext``)."""

from __future__ import annotations

import dataclasses
import weakref
from typing import TYPE_CHECKING, Any, Dict, Optional, Union

from ..runtime import Store as RuntimeStore
from ._engine import Engine
from ._error import WasmtimeError
from ._managed import Managed

if TYPE_CHECKING:
    from ._func import Caller
    from ._wasi import WasiConfig

#: ``set_limits`` keys and what they cap.
LIMIT_NAMES = ("memory_size", "table_elements", "instances", "tables", "memories")


class Store(Managed[RuntimeStore]):
    """Where instances, functions, memories, tables and globals live.

    ``Store(engine=None, data=None)``; ``store.engine`` is the engine.
    """

    def __init__(self, engine: Optional[Engine] = None, data: Optional[Any] = None) -> None:
        if engine is None:
            engine = Engine()
        elif not isinstance(engine, Engine):
            raise TypeError("expected an Engine")
        self.engine = engine
        self._set_inner(RuntimeStore(engine._runtime_config))
        self._data = data if data else None
        self._fuel_given = 0
        self._limits: Dict[str, int] = {}
        self._counts: Dict[str, int] = {"instances": 0, "tables": 0, "memories": 0}
        self._wasi: Optional[WasiConfig] = None
        self._wasi_context: Any = None
        self._instance_modules: weakref.WeakKeyDictionary[Any, Any] = (
            weakref.WeakKeyDictionary())

    def _context(self) -> Store:
        self.ptr()
        return self

    @property
    def _rt(self) -> RuntimeStore:
        return self.ptr()

    def data(self) -> Optional[Any]:
        """The ``data`` given to the constructor (None if it was falsy)."""
        return self._data

    def gc(self) -> None:
        """Release unreachable externrefs (Python's garbage collector does this here)."""

    def set_fuel(self, fuel: int) -> None:
        """Set the fuel left; ``WasmtimeError`` unless ``Config.consume_fuel`` is on."""
        if not self.engine._fuel_enabled:
            raise WasmtimeError("fuel is not configured in this store")
        if not isinstance(fuel, int) or fuel < 0:
            raise TypeError("expected a non-negative int")
        meter = self._rt.meter
        self._fuel_given += fuel - meter.get_fuel()
        meter.set_fuel(fuel)

    def get_fuel(self) -> int:
        """The fuel left; ``WasmtimeError`` unless ``Config.consume_fuel`` is on."""
        if not self.engine._fuel_enabled:
            raise WasmtimeError("fuel is not configured in this store")
        return self._rt.meter.get_fuel()

    def add_fuel(self, fuel: int) -> None:
        """Add fuel (the API of wasmtime-py 14 and older)."""
        self.set_fuel(self.get_fuel() + fuel)

    def fuel_consumed(self) -> Optional[int]:
        """Fuel consumed so far, None without ``consume_fuel`` (wasmtime-py 14 and older)."""
        if not self.engine._fuel_enabled:
            return None
        return self._fuel_given - self._rt.meter.get_fuel()

    def consume_fuel(self, fuel: int) -> int:
        """Take ``fuel`` away and return what is left (wasmtime-py 14 and older)."""
        left = self.get_fuel()
        if fuel > left:
            raise WasmtimeError("not enough fuel remaining in store")
        self._rt.meter.set_fuel(left - fuel)
        return left - fuel

    def set_epoch_deadline(self, ticks_after_current: int) -> None:
        """Trap Wasm with ``INTERRUPT`` once the engine's epoch advances this many
        ticks. Until a deadline is set, Wasm of a store whose engine has
        ``epoch_interruption`` traps at once (as in Wasmtime)."""
        if not isinstance(ticks_after_current, int):
            raise TypeError("expected an int")
        # An unsigned 64-bit count, as in Wasmtime's C API.
        self._rt.meter.set_deadline(ticks_after_current % (1 << 64))

    def set_limits(self, memory_size: int = -1, table_elements: int = -1, instances: int = -1,
                   tables: int = -1, memories: int = -1) -> None:
        """Cap memory bytes, table elements and the number of instances, tables and
        memories (negative: unlimited). Creation past a cap raises ``WasmtimeError``;
        ``memory.grow`` past it returns -1 in Wasm."""
        values = (memory_size, table_elements, instances, tables, memories)
        self._limits = {name: value for name, value in zip(LIMIT_NAMES, values) if value >= 0}
        runtime = self._rt
        runtime.config = dataclasses.replace(
            runtime.config,
            max_memory_bytes=self._limits.get("memory_size"),
            max_table_elements=self._limits.get("table_elements", 10_000_000),
        )

    def set_wasi(self, wasi: WasiConfig) -> None:
        """Give this store's WASI imports the context described by ``wasi`` (consumed)."""
        from ._wasi import WasiConfig

        if not isinstance(wasi, WasiConfig):
            raise TypeError("expected a WasiConfig")
        self._wasi_context = wasi._build()
        self._wasi = wasi

    def set_wasi_http(self) -> None:
        """WASI-HTTP is for components, which wasmport does not run."""
        raise WasmtimeError("wasi-http requires the component model, which is not supported")

    # -- limits ------------------------------------------------------------

    def _limit(self, name: str) -> Optional[int]:
        return self._limits.get(name)

    def _count(self, name: str, added: int = 1) -> None:
        """Account for ``added`` new objects of kind ``name`` (WasmtimeError past a limit)."""
        if added == 0:
            return
        limit = self._limits.get(name)
        if limit is not None and self._counts[name] + added > limit:
            raise WasmtimeError(f"resource limit exceeded: {name} count too high")
        self._counts[name] += added


class StoreContext:
    """The store as seen by a callback; valid only during that callback."""

    def __init__(self, store: Store) -> None:
        self._store: Optional[Store] = store

    def _context(self) -> Store:
        if self._store is None:
            raise ValueError("store context is no longer valid")
        return self._store

    def _invalidate(self) -> None:
        self._store = None


Storelike = Union[Store, "Caller", StoreContext]


__all__ = ["Store", "StoreContext", "Storelike"]
