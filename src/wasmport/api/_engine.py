"""``Engine``: the compilation context shared by stores, and the epoch counter."""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING, Any, Dict, Optional

from ..runtime import Config as RuntimeConfig
from ..runtime.config import DEFAULT_MAX_CALL_DEPTH
from ._config import STACK_BYTES_PER_FRAME, Config, features_of
from ._managed import Managed

if TYPE_CHECKING:
    from ._store import Store

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
        self._runtime_config = RuntimeConfig(features=self._features, max_call_depth=depth)
        self._epoch = 0
        self._epoch_lock = threading.Lock()
        self._stores: weakref.WeakSet[Store] = weakref.WeakSet()

    @property
    def _fuel_enabled(self) -> bool:
        return bool(self.ptr().get("consume_fuel"))

    @property
    def _epochs_enabled(self) -> bool:
        return bool(self.ptr().get("epoch_interruption"))

    def increment_epoch(self) -> None:
        """Advance the epoch; stores whose deadline it reaches trap with ``INTERRUPT``."""
        with self._epoch_lock:
            self._epoch += 1
            epoch = self._epoch
            stores = list(self._stores)
        for store in stores:
            store._epoch_reached(epoch)

    def is_pulley(self) -> bool:
        """Whether the engine is an interpreter (Wasmtime's Pulley): always False here."""
        return False

    def _register(self, store: Store) -> None:
        with self._epoch_lock:
            self._stores.add(store)


__all__ = ["Engine"]
