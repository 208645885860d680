"""The hook through which a runtime executes the commands a script runner
cannot check statically.

The runner (:mod:`wasmport.script.runner`) owns every assertion: it decodes,
parses and validates modules itself, and compares results against patterns.
An :class:`Engine` only instantiates modules and performs actions. Without
an engine, the commands that need execution are counted as skipped.

Results come back as script values (:data:`wasmport.script.ast.Value`) or,
for references the script cannot spell as a value, as :class:`OpaqueRef`.
Failures are reported by raising the exception classes the engine names in
:attr:`Engine.link_errors`, :attr:`Engine.trap_errors`,
:attr:`Engine.exhaustion_errors` and :attr:`Engine.exception_errors`.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import Optional, Tuple, Union

from ..syntax.ast import Module
from ..syntax.types import AbsHeapType
from .ast import Value


@dataclass(frozen=True)
class OpaqueRef:
    """A non-null reference; ``heap`` is the most specific abstract heap type of
    its referent (``func``, ``i31``, ``struct``, ``array``, ``exn``, ``extern``,
    or ``any`` for a host reference without payload)."""

    heap: AbsHeapType


Result = Union[Value, OpaqueRef]


class Engine(abc.ABC):
    """A runtime as the script runner sees it.

    Module and instance names are the script's ``$ids`` (without ``$``);
    ``None`` means "the most recently instantiated module".
    """

    #: Exception classes meaning "linking failed" (``assert_unlinkable``).
    link_errors: Tuple[type[BaseException], ...] = ()
    #: Exception classes meaning "a trap" (``assert_trap``, ``assert_uninstantiable``).
    trap_errors: Tuple[type[BaseException], ...] = ()
    #: Exception classes meaning "call stack exhausted" (``assert_exhaustion``).
    exhaustion_errors: Tuple[type[BaseException], ...] = ()
    #: Exception classes meaning "an uncaught Wasm exception" (``assert_exception``).
    exception_errors: Tuple[type[BaseException], ...] = ()

    @abc.abstractmethod
    def instantiate(self, module: Module, name: Optional[str]) -> None:
        """Link and instantiate ``module`` (running its start function); it
        becomes the current module, also reachable as ``name``."""

    @abc.abstractmethod
    def define(self, module: Module, name: Optional[str]) -> None:
        """Remember ``module`` as a definition named ``name`` without instantiating it."""

    @abc.abstractmethod
    def instantiate_definition(self, definition: Optional[str], name: Optional[str]) -> None:
        """``(module instance $name $definition)``."""

    @abc.abstractmethod
    def register(self, as_name: str, module: Optional[str]) -> None:
        """Make the exports of ``module`` importable under the module name ``as_name``."""

    @abc.abstractmethod
    def invoke(
        self, module: Optional[str], name: str, args: Tuple[Value, ...]
    ) -> Tuple[Result, ...]:
        """Call the exported function ``name``."""

    @abc.abstractmethod
    def get(self, module: Optional[str], name: str) -> Result:
        """Read the exported global ``name``."""


__all__ = ["Engine", "OpaqueRef", "Result"]
