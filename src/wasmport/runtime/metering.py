"""Fuel and epochs: the state generated code checks when a store's
:class:`~wasmport.runtime.config.Config` asks for metering.

An :class:`EpochCounter` belongs to a configuration (an engine, in
Wasmtime's terms) and is shared by every store made with it; any thread may
advance it. A :class:`Meter` belongs to one store: its remaining fuel and its
epoch deadline. Both keep their numbers in one-element lists, the cells
generated code reads and writes directly (``FU[0]``, ``EP[0]``, ``DL[0]``).
See docs/RUNTIME.md, "Fuel and epochs", for where the code charges and checks.
"""

from __future__ import annotations

import threading
from typing import List, NoReturn

from ..errors import Trap, TrapCode

#: The message of the trap when fuel runs out (Wasmtime's).
OUT_OF_FUEL_MESSAGE = "all fuel consumed by WebAssembly"


class EpochCounter:
    """The current epoch of every store sharing one configuration."""

    def __init__(self) -> None:
        #: ``[epoch]``: read by generated code at function entries and loop headers.
        self.cell: List[int] = [0]
        self._lock = threading.Lock()

    @property
    def value(self) -> int:
        return self.cell[0]

    def increment(self) -> int:
        """Advance the epoch by one (safe from any thread); the new value."""
        with self._lock:
            self.cell[0] += 1
            return self.cell[0]


class Meter:
    """One store's remaining fuel and epoch deadline.

    Fuel starts at 0 and the deadline at epoch 0 (as in Wasmtime: with epoch
    interruption on, Wasm traps at once until a deadline is set).
    """

    def __init__(self, epoch: EpochCounter) -> None:
        self.epoch = epoch
        #: ``[fuel left]``: generated code subtracts each straight-line run's cost.
        self.fuel: List[int] = [0]
        #: ``[epoch]`` at or after which Wasm traps with ``INTERRUPT``.
        self.deadline: List[int] = [0]

    def get_fuel(self) -> int:
        return max(self.fuel[0], 0)

    def set_fuel(self, fuel: int) -> None:
        if fuel < 0:
            raise ValueError("fuel must not be negative")
        self.fuel[0] = fuel

    def set_deadline(self, ticks_after_current: int) -> None:
        """Trap once the epoch advances ``ticks_after_current`` past its current value."""
        if ticks_after_current < 0:
            raise ValueError("the epoch deadline must not be negative")
        self.deadline[0] = self.epoch.value + ticks_after_current

    def out_of_fuel(self) -> NoReturn:
        """Called by generated code when a charge took the fuel below zero."""
        self.fuel[0] = 0
        raise Trap(TrapCode.OUT_OF_FUEL, OUT_OF_FUEL_MESSAGE)

    def interrupt(self) -> NoReturn:
        """Called by generated code that found the epoch at or past the deadline."""
        raise Trap(TrapCode.INTERRUPT)


__all__ = ["OUT_OF_FUEL_MESSAGE", "EpochCounter", "Meter"]
