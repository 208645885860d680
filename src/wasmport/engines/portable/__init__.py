"""The portable tier: each Wasm function is translated, on its first call,
into Python source (Wasm locals as Python locals, the operand stack resolved
at translation time) and compiled by Python. Standard library only."""

from __future__ import annotations

from ...features import Features
from ...syntax.ast import Module
from ..base import EngineTier, register_tier
from . import memops, ops  # noqa: F401 - fill the instruction handlers
from .compiled import PortableModule


class PortableTier(EngineTier):
    name = "portable"

    def compile(self, module: Module, features: Features) -> PortableModule:
        return PortableModule(module, features)


register_tier("portable", PortableTier)

__all__ = ["PortableModule", "PortableTier"]
