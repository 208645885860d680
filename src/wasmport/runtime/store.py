"""The store: configuration, the engine tier and the compiled-module cache."""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Sequence, Tuple

from ..engines.base import CompiledModule, get_tier
from ..syntax.ast import Module
from ..syntax.types import FuncType, GlobalType
from .config import Config
from .instances import ExternValue, GlobalInstance, HostFunction, ModuleInstance
from .instantiate import host_function_type_id, instantiate
from .memory import MemoryAllocator, MmapAllocator
from .stack import ensure_recursion_limit


class Store:
    """Owns the runtime state every instance created through it shares.

    ``allocator`` creates linear memories (default :class:`MmapAllocator`).
    Compiled code is cached per module object, so instantiating one module
    several times translates each function once.
    """

    def __init__(self, config: Optional[Config] = None,
                 allocator: Optional[MemoryAllocator] = None) -> None:
        self.config = config if config is not None else Config()
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

    def global_(self, type: GlobalType, value: Any) -> GlobalInstance:
        return GlobalInstance(type, value)


__all__ = ["Store"]
