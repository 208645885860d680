"""Execution tiers behind one small interface (:mod:`.base`)."""

from __future__ import annotations

from .base import CompiledModule, EngineTier, get_tier, register_tier

__all__ = ["CompiledModule", "EngineTier", "get_tier", "register_tier"]
