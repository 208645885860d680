"""Runtime configuration: the engine tier, enabled features and limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..features import Features
from .metering import EpochCounter, Meter

#: Default maximum depth of nested Wasm calls (the spec suite and real programs
#: need at least 10,000).
DEFAULT_MAX_CALL_DEPTH = 20_000

#: Default reservation for a memory64 memory without a declared maximum (bytes).
DEFAULT_MEMORY64_RESERVATION = 1 << 34

#: The reservation for a memory32 memory without a declared maximum: all of 4 GiB.
MEMORY32_RESERVATION = 1 << 32


@dataclass(frozen=True)
class Config:
    """How a :class:`~wasmport.runtime.store.Store` runs code.

    ``engine`` names the tier (``"portable"``); ``max_call_depth`` is the depth of
    nested Wasm calls at which execution traps with
    :class:`~wasmport.errors.Exhaustion`; ``memory64_reservation`` caps the
    address space reserved for a memory64 memory without a maximum;
    ``max_memory_bytes`` (None: no cap beyond the type's) refuses growth beyond it.

    ``consume_fuel`` makes generated code charge fuel and trap with
    ``OUT_OF_FUEL`` when it runs out; ``epoch_interruption`` makes it trap with
    ``INTERRUPT`` at function entries and loop headers once ``epoch`` (shared
    by every store made with this configuration) reaches the store's
    deadline. Off, the generated code has no checks at all. ``meter`` is the
    fuel and deadline the code runs against: each :class:`Store` gives its
    copy of the configuration its own.
    """

    engine: str = "portable"
    features: Features = field(default_factory=Features)
    max_call_depth: int = DEFAULT_MAX_CALL_DEPTH
    memory64_reservation: int = DEFAULT_MEMORY64_RESERVATION
    max_memory_bytes: int | None = None
    max_table_elements: int = 10_000_000
    consume_fuel: bool = False
    epoch_interruption: bool = False
    epoch: EpochCounter = field(default_factory=EpochCounter, compare=False)
    meter: Optional[Meter] = field(default=None, compare=False)


__all__ = ["DEFAULT_MAX_CALL_DEPTH", "DEFAULT_MEMORY64_RESERVATION", "Config"]
