"""``InstancePre``: a module whose imports a linker has already resolved."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._managed import Managed
from ._module import Module
from ._store import Storelike

if TYPE_CHECKING:
    from ._instance import Instance
    from ._linker import Linker


class InstancePre(Managed[Module]):
    """Made by ``Linker.instantiate_pre``; ``instantiate(store)`` as often as needed."""

    def __init__(self, linker: Linker, module: Module) -> None:
        self._linker = linker
        self._set_inner(module)

    @property
    def module(self) -> Module:
        """The module."""
        return self.ptr()

    def instantiate(self, store: Storelike) -> Instance:
        """A new instance in ``store``."""
        return self._linker.instantiate(store, self.ptr())


__all__ = ["InstancePre"]
