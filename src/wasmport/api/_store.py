"""``Store``: owns instances and host objects, fuel, the epoch deadline and
resource limits. ``Storelike`` is anything with ``_context()`` (a Store, a
:class:`~wasmport.api.Caller` during its call, a ``StoreContext``)."""

from __future__ import annotations

import ctypes
import dataclasses
import threading
import weakref
from typing import TYPE_CHECKING, Any, Dict, Optional, Union

from ..runtime import Store as RuntimeStore
from ._engine import Engine
from ._error import WasmtimeError
from ._fuel import wasm_thread_ident
from ._managed import Managed

if TYPE_CHECKING:
    from ._func import Caller
    from ._wasi import WasiConfig

#: ``set_limits`` keys and what they cap.
LIMIT_NAMES = ("memory_size", "table_elements", "instances", "tables", "memories")


class EpochInterrupt(BaseException):
    """Raised asynchronously in a thread running Wasm whose store passed its
    epoch deadline; turned into a ``Trap`` (``INTERRUPT``) at the boundary."""


def _set_async_exc(thread_id: int, exc: type) -> None:
    # Never cleared with NULL: on CPython 3.11 that leaves tracing broken.
    api = getattr(ctypes, "pythonapi", None)
    if api is not None:
        api.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc))


def deliver_pending() -> None:
    """A Python call and a loop: points where a pending asynchronous exception is raised."""
    for _ in range(2):
        pass


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
        self._fuel = 0
        self._fuel_given = 0
        self._deadline: Optional[int] = None
        self._limits: Dict[str, int] = {}
        self._counts: Dict[str, int] = {"instances": 0, "tables": 0, "memories": 0}
        self._lock = threading.Lock()
        self._running: Dict[int, int] = {}
        self._interrupted: Dict[int, bool] = {}
        self._wasi: Optional[WasiConfig] = None
        self._wasi_context: Any = None
        self._instance_modules: weakref.WeakKeyDictionary[Any, Any] = (
            weakref.WeakKeyDictionary())
        engine._register(self)

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
        self._fuel_given += fuel - self._fuel
        self._fuel = fuel

    def get_fuel(self) -> int:
        """The fuel left; ``WasmtimeError`` unless ``Config.consume_fuel`` is on."""
        if not self.engine._fuel_enabled:
            raise WasmtimeError("fuel is not configured in this store")
        return self._fuel

    def add_fuel(self, fuel: int) -> None:
        """Add fuel (the API of wasmtime-py 14 and older)."""
        self.set_fuel(self.get_fuel() + fuel)

    def fuel_consumed(self) -> Optional[int]:
        """Fuel consumed so far, None without ``consume_fuel`` (wasmtime-py 14 and older)."""
        if not self.engine._fuel_enabled:
            return None
        return self._fuel_given - self._fuel

    def consume_fuel(self, fuel: int) -> int:
        """Take ``fuel`` away and return what is left (wasmtime-py 14 and older)."""
        left = self.get_fuel()
        if fuel > left:
            raise WasmtimeError("not enough fuel remaining in store")
        self._fuel = left - fuel
        return self._fuel

    def set_epoch_deadline(self, ticks_after_current: int) -> None:
        """Trap Wasm with ``INTERRUPT`` once the engine's epoch advances this many ticks."""
        self.ptr()
        with self.engine._epoch_lock:
            self._deadline = self.engine._epoch + ticks_after_current

    def set_limits(self, memory_size: int = -1, table_elements: int = -1, instances: int = -1,
                   tables: int = -1, memories: int = -1) -> None:
        """Cap memory bytes, table elements and the number of instances, tables and
        memories (negative: unlimited). Creation past a cap raises ``WasmtimeError``;
        ``memory.grow`` past it returns -1 in Wasm."""
        values = (memory_size, table_elements, instances, tables, memories)
        self._limits = {name: value for name, value in zip(LIMIT_NAMES, values) if value >= 0}
        runtime = self._rt
        runtime.config = dataclasses.replace(
            self.engine._runtime_config,
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

    # -- running Wasm --------------------------------------------------------

    def _deadline_passed(self) -> bool:
        return (self.engine._epochs_enabled and self._deadline is not None
                and self.engine._epoch >= self._deadline)

    def _check_deadline(self) -> None:
        """Raise :class:`EpochInterrupt` if the epoch deadline has passed (checked
        where Wasm code is entered, as Wasmtime checks at function entry)."""
        if self._deadline_passed():
            raise EpochInterrupt()

    def _enter(self) -> None:
        self.ptr()
        ident = wasm_thread_ident()
        with self._lock:
            self._running[ident] = self._running.get(ident, 0) + 1

    def _leave(self) -> bool:
        """Deregister this thread; True if an interrupt was sent to it (the caller
        then makes sure it is delivered before leaving the boundary)."""
        ident = wasm_thread_ident()
        with self._lock:
            depth = self._running.get(ident, 1) - 1
            if depth:
                self._running[ident] = depth
                return False
            del self._running[ident]
            return self._interrupted.pop(ident, False)

    def _epoch_reached(self, epoch: int) -> None:
        if not self.engine._epochs_enabled or self._deadline is None or epoch < self._deadline:
            return
        with self._lock:
            for ident in self._running:
                if not self._interrupted.get(ident):
                    self._interrupted[ident] = True
                    _set_async_exc(ident, EpochInterrupt)


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


__all__ = ["EpochInterrupt", "Store", "StoreContext", "Storelike"]
