"""The store: configuration, the engine tier, the compiled-module cache and
the fuel and epoch deadline its code runs against."""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, Dict, Optional, Sequence, Tuple

from ..engines.base import CompiledModule, get_tier
from ..syntax.ast import Module
from ..syntax.types import FuncType, GlobalType
from .config import Config
from .instances import ExternValue, GlobalInstance, HostFunction, ModuleInstance
from .instantiate import host_function_type_id, instantiate
from .memory import MemoryAllocator, MmapAllocator
from .metering import Meter
from .stack import ensure_recursion_limit


class Store:
    """Owns the runtime state every instance created through it shares.

    ``allocator`` creates linear memories (default :class:`MmapAllocator`).
    Compiled code is cached per module object, so instantiating one module
    several times translates each function once.

    ``meter`` holds the store's fuel and epoch deadline (used when the
    configuration enables ``consume_fuel`` or ``epoch_interruption``);
    ``config`` is the configuration given, carrying that meter.
    """

    def __init__(self, config: Optional[Config] = None,
                 allocator: Optional[MemoryAllocator] = None) -> None:
        given = config if config is not None else Config()
        self.meter = Meter(given.epoch)
        self.config = dataclasses.replace(given, meter=self.meter)
        self.allocator: MemoryAllocator = allocator or MmapAllocator()
        self.tier = get_tier(self.config.engine)
        self._compiled_by_id: Dict[int, Tuple[Module, CompiledModule]] = {}
        ensure_recursion_limit(self.config.max_call_depth)

    def compile(self, module: Module) -> CompiledModule:
        """The tier's compiled form of ``module`` (cached)."""
        cached = self._compiled_by_id.get(id(module))
        if cached is not None and cached[0] is module:
            return cached[1]
        compiled = self.tier.compile(module, self.config.features)
        self._compiled_by_id[id(module)] = (module, compiled)
        return compiled

    def forget(self, module: Module) -> None:
        """Drop the cached compiled form of ``module``."""
        self._compiled_by_id.pop(id(module), None)

    def instantiate(self, module: Module, imports: Sequence[ExternValue] = (),
                    name: str = "") -> ModuleInstance:
        """Instantiate a validated module (see :func:`.instantiate.instantiate`)."""
        return instantiate(self, module, imports, name)

    def host_function(self, func_type: FuncType, callable: Callable[..., Any],
                      name: str = "") -> HostFunction:
        """Wrap a Python callable as a function importable with type ``func_type``."""
        return HostFunction(func_type, host_function_type_id(func_type), callable, name)

    def set_fuel(self, fuel: int) -> None:
        """Give the store ``fuel`` units (see :class:`~.metering.Meter`)."""
        self.meter.set_fuel(fuel)

    def get_fuel(self) -> int:
        return self.meter.get_fuel()

    def set_epoch_deadline(self, ticks_after_current: int) -> None:
        """Trap Wasm once the configuration's epoch advances this many ticks."""
        self.meter.set_deadline(ticks_after_current)

    def global_(self, type: GlobalType, value: Any) -> GlobalInstance:
        return GlobalInstance(type, value)


__all__ = ["Store"]
