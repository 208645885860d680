"""``Engine``: the compilation context shared by stores, and the epoch counter
(the runtime configuration's, which the generated code of every store made
with this engine reads)."""

from __future__ import annotations

from typing import Any, Dict, Optional

from ..runtime import Config as RuntimeConfig
from ..runtime.config import DEFAULT_MAX_CALL_DEPTH
from ._config import STACK_BYTES_PER_FRAME, Config, features_of
from ._managed import Managed

#: Call depths ``max_wasm_stack`` may map to.
MIN_CALL_DEPTH = 64
MAX_CALL_DEPTH = 100_000


class Engine(Managed[Dict[str, Any]]):
    """Global compilation settings; ``Engine(config)`` consumes ``config``.

    ``increment_epoch()`` may be called from any thread while Wasm runs.
    """

    def __init__(self, config: Optional[Config] = None) -> None:
        if config is None:
            settings: Dict[str, Any] = {}
        elif not isinstance(config, Config):
            raise TypeError("expected Config")
        else:
            settings = dict(config._consume())
        self._set_inner(settings)
        self._features = features_of(settings)
        depth = DEFAULT_MAX_CALL_DEPTH
        if "max_wasm_stack" in settings:
            wanted = settings["max_wasm_stack"] // STACK_BYTES_PER_FRAME
            depth = max(MIN_CALL_DEPTH, min(MAX_CALL_DEPTH, wanted))
        self._runtime_config = RuntimeConfig(
            features=self._features, max_call_depth=depth,
            consume_fuel=bool(settings.get("consume_fuel")),
            epoch_interruption=bool(settings.get("epoch_interruption")))

    @property
    def _fuel_enabled(self) -> bool:
        return bool(self.ptr().get("consume_fuel"))

    @property
    def _epochs_enabled(self) -> bool:
        return bool(self.ptr().get("epoch_interruption"))

    def increment_epoch(self) -> None:
        """Advance the epoch; Wasm of stores whose deadline it reaches traps with
        ``INTERRUPT`` at its next function entry or loop header."""
        self._runtime_config.epoch.increment()

    def is_pulley(self) -> bool:
        """Whether the engine is an interpreter (Wasmtime's Pulley): always False here."""
        return False


__all__ = ["Engine"]
