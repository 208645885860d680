"""Fuel metering and epoch interruption for the portable engine, done from
outside the generated code.

Fuel: while a store with ``consume_fuel`` runs Wasm, a per-thread trace
function charges one unit for each Wasm function entry and each line of the
generated code it executes (about one Wasm instruction or a short run of
them), and raises :class:`OutOfFuel` when the store's fuel is gone; host code
is not traced. Epochs: ``Engine.increment_epoch`` raises
:class:`~._store.EpochInterrupt` asynchronously in the threads running Wasm
of stores past their deadline (CPython's ``PyThreadState_SetAsyncExc``).

Both act on the thread Wasm runs on (:func:`on_wasm_thread`). They are
stand-ins until the engine meters fuel and checks epochs itself at
function entries and loop headers (see docs/EMBEDDING.md, "Limitations").
"""

from __future__ import annotations

import sys
import threading
from types import FrameType
from typing import TYPE_CHECKING, Any, Callable, List, Optional

from ..runtime import stack

if TYPE_CHECKING:
    from ._store import Store

Tracer = Callable[[FrameType, str, Any], Any]


class OutOfFuel(BaseException):
    """The store ran out of fuel (becomes a ``Trap`` with ``OUT_OF_FUEL``)."""


_local = threading.local()


def _is_wasm(frame: FrameType) -> bool:
    return "INST" in frame.f_globals and frame.f_code.co_name[:1] in ("F", "B")


def _charge(store: Store) -> None:
    if store._fuel <= 0:
        store._fuel = 0
        raise OutOfFuel()
    store._fuel -= 1


def _local_trace(frame: FrameType, event: str, arg: Any) -> Optional[Tracer]:
    if event == "line":
        stores: List[Store] = _local.stores
        _charge(stores[-1])
    return _local_trace


def _global_trace(frame: FrameType, event: str, arg: Any) -> Optional[Tracer]:
    if event == "call" and _is_wasm(frame):
        stores: List[Store] = _local.stores
        _charge(stores[-1])
        return _local_trace
    return None


def start_metering(store: Store) -> Optional[Any]:
    """Meter ``store``'s fuel on this thread; the state :func:`stop_metering` restores."""
    stores: Optional[List[Store]] = getattr(_local, "stores", None)
    if stores is None:
        stores = _local.stores = []
    stores.append(store)
    previous = sys.gettrace()
    sys.settrace(_global_trace)
    return previous


def stop_metering(previous: Optional[Any]) -> None:
    """Undo :func:`start_metering`."""
    _local.stores.pop()
    sys.settrace(previous)


def on_wasm_thread(call: Callable[[], Any]) -> Any:
    """Run ``call()`` on the thread Wasm called from this thread runs on (the
    runtime's deep-stack helper thread where it uses one, else this thread)."""
    return stack.run_host_call(lambda _depth: call(), ())


def wasm_thread_ident() -> int:
    """The ident of the thread Wasm called from this thread runs on."""
    if not stack.NEEDS_DEEP_STACK:
        return threading.get_ident()
    return int(on_wasm_thread(threading.get_ident))


__all__ = ["OutOfFuel", "on_wasm_thread", "start_metering", "stop_metering", "wasm_thread_ident"]
