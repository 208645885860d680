"""The portable tier: each Wasm function is translated, on its first call,
into Python source (Wasm locals as Python locals, the operand stack resolved
at translation time) and compiled by Python. Standard library only."""

from __future__ import annotations

from ...features import Feature, Features
from ...syntax.ast import Module
from ..base import EngineTier, register_tier
from . import memops, ops  # noqa: F401 - fill the instruction handlers
from .compiled import PortableModule


class PortableTier(EngineTier):
    """``portable`` picks the structured translation where Python's limits allow
    it; ``portable-flat`` always uses the flat one (to test it on any module)."""

    name = "portable"
    #: Not executed yet (a later issue): GC, threads (atomics, shared memory),
    #: legacy exceptions, custom descriptors.
    unsupported = frozenset({Feature.GC, Feature.THREADS, Feature.LEGACY_EXCEPTIONS,
                             Feature.CUSTOM_DESCRIPTORS})

    def __init__(self, force_flat: bool = False) -> None:
        self.force_flat = force_flat
        if force_flat:
            self.name = "portable-flat"

    def compile(self, module: Module, features: Features) -> PortableModule:
        return PortableModule(module, features, self.force_flat)


register_tier("portable", PortableTier)
register_tier("portable-flat", lambda: PortableTier(force_flat=True))

__all__ = ["PortableModule", "PortableTier"]
