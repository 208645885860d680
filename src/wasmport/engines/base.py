"""The small interface every engine tier implements.

A tier compiles a validated :class:`~wasmport.syntax.ast.Module` once into a
:class:`CompiledModule`; instantiation then binds it to each
:class:`~wasmport.runtime.instances.ModuleInstance`, giving every defined
:class:`~wasmport.runtime.instances.WasmFunction` its ``fast``/``body``
callables (see the calling convention in :mod:`wasmport.runtime.instances`).
The runtime never branches on the tier: it asks :func:`get_tier` by the name in
:class:`~wasmport.runtime.config.Config`.
"""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING, Callable, Dict

from ..features import Feature, Features
from ..syntax.ast import Module

if TYPE_CHECKING:
    from ..runtime.config import Config
    from ..runtime.instances import ModuleInstance


class CompiledModule(abc.ABC):
    """A module compiled by one tier, ready to be bound to instances."""

    @abc.abstractmethod
    def bind(self, instance: ModuleInstance, config: Config) -> None:
        """Give each function the instance defines (after its imports) its code."""


class EngineTier(abc.ABC):
    """An execution tier: ``compile`` a module once, bind it per instance."""

    name: str = ""
    #: Proposals whose modules validate but that this tier cannot execute; a
    #: runner that knows its tier leaves them out of the features it validates
    #: with, so such modules get a clear validation error up front.
    unsupported: frozenset[Feature] = frozenset()

    @abc.abstractmethod
    def compile(self, module: Module, features: Features) -> CompiledModule:
        """Prepare ``module`` (already validated) for execution."""


_TIERS: Dict[str, Callable[[], EngineTier]] = {}


def register_tier(name: str, factory: Callable[[], EngineTier]) -> None:
    """Make a tier available to :func:`get_tier` under ``name``."""
    _TIERS[name] = factory


def get_tier(name: str) -> EngineTier:
    """The tier named ``name`` (ValueError if none is registered)."""
    if not _TIERS:
        from . import portable  # noqa: F401 - registers itself
    factory = _TIERS.get(name)
    if factory is None:
        raise ValueError(f"unknown engine {name!r} (known: {', '.join(sorted(_TIERS))})")
    return factory()


__all__ = ["CompiledModule", "EngineTier", "get_tier", "register_tier"]
