"""Linking by name: a registry of modules' exports that imports resolve against
(what the script command ``register`` fills)."""

from __future__ import annotations

from typing import Dict, List, Mapping

from ..errors import LinkError
from ..syntax.ast import Module
from .instances import ExternValue, ModuleInstance


class Linker:
    """Maps module names to their exports."""

    def __init__(self) -> None:
        self._modules: Dict[str, Dict[str, ExternValue]] = {}

    def define(self, module: str, name: str, value: ExternValue) -> None:
        """Make ``value`` importable as ``(import "module" "name")``."""
        self._modules.setdefault(module, {})[name] = value

    def define_module(self, module: str, exports: Mapping[str, ExternValue]) -> None:
        """Make every entry of ``exports`` importable from ``module``."""
        self._modules[module] = dict(exports)

    def define_instance(self, module: str, instance: ModuleInstance) -> None:
        """``register``: make ``instance``'s exports importable as ``module``."""
        self.define_module(module, instance.exports)

    def resolve(self, module: Module) -> List[ExternValue]:
        """The external values for ``module``'s imports, in order.

        Raises :class:`LinkError` ("unknown import") for a name not defined.
        Types are checked at instantiation.
        """
        values: List[ExternValue] = []
        for imp in module.imports:
            value = self._modules.get(imp.module, {}).get(imp.name)
            if value is None:
                raise LinkError("unknown import")
            values.append(value)
        return values


__all__ = ["Linker"]
