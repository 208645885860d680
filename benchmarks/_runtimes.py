"""The runtimes the benchmarks compare, behind one small interface.

* ``wasmport``: wasmport's portable engine through its wasmtime-compatible API
  (``wasmport.api``), so the calls cost what an embedder pays.
* ``wasmtime``: the real ``wasmtime`` package (Cranelift, native code).
* ``pywasm``: the pure-Python interpreter from PyPI. Version 2 (Python 3.11+)
  and version 1 (older Pythons) have different APIs; both are handled here.
* ``wasmport-metered`` and ``wasmtime-metered``: the same with fuel metering
  and epoch interruption on (budgets never reached), for the cost of metering.
  Not in the default list; name them with ``--runtimes``.

A runtime that is not installed is reported as missing and left out.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from wasmport.binary import encode_module  # noqa: E402
from wasmport.text import parse_module  # noqa: E402

#: Every runtime the benchmarks know, in table order.
ALL_RUNTIMES = ("wasmport", "wasmtime", "pywasm")


def wat_to_wasm(wat: str) -> bytes:
    """The binary of a text module, by wasmport's own parser and encoder."""
    return encode_module(parse_module(wat))


class Loaded:
    """An instantiated module: ``call(name, *args)`` returns the single result or None."""

    def __init__(self, call: Callable[..., Any]) -> None:
        self.call = call


def _wasmtime_like(api: Any, wasm: bytes, metered: bool = False) -> Loaded:
    if metered:
        # Fuel metering and epoch interruption on, with budgets never reached.
        config = api.Config()
        config.consume_fuel = True
        config.epoch_interruption = True
        store = api.Store(api.Engine(config))
        store.set_fuel(1 << 62)
        store.set_epoch_deadline(1 << 40)
    else:
        store = api.Store(api.Engine())
    instance = api.Instance(store, api.Module(store.engine, wasm), [])
    exports = instance.exports(store)
    funcs: Dict[str, Any] = {}

    def call(name: str, *args: Any) -> Any:
        func = funcs.get(name)
        if func is None:
            func = funcs[name] = exports[name]
        return func(store, *args)

    return Loaded(call)


def _load_wasmport(wasm: bytes) -> Loaded:
    import wasmport.api

    return _wasmtime_like(wasmport.api, wasm)


def _load_wasmtime(wasm: bytes) -> Loaded:
    import wasmtime

    return _wasmtime_like(wasmtime, wasm)


def _load_wasmport_metered(wasm: bytes) -> Loaded:
    import wasmport.api

    return _wasmtime_like(wasmport.api, wasm, metered=True)


def _load_wasmtime_metered(wasm: bytes) -> Loaded:
    import wasmtime

    return _wasmtime_like(wasmtime, wasm, metered=True)


def _single(results: Any) -> Any:
    if isinstance(results, (list, tuple)):
        return results[0] if results else None
    return results


def _load_pywasm(wasm: bytes) -> Loaded:
    import pywasm

    if hasattr(pywasm, "ModuleDesc"):  # pywasm 2.x
        runtime = pywasm.Runtime()
        instance = runtime.instance(pywasm.ModuleDesc.from_reader(io.BytesIO(wasm)))

        def call2(name: str, *args: Any) -> Any:
            return _single(runtime.invocate(instance, name, list(args)))

        return Loaded(call2)
    module = pywasm.binary.Module.from_reader(io.BytesIO(wasm))  # pywasm 1.x
    old = pywasm.Runtime(module, {})

    def call1(name: str, *args: Any) -> Any:
        return _single(old.exec(name, list(args)))

    return Loaded(call1)


LOADERS: Dict[str, Callable[[bytes], Loaded]] = {
    "wasmport": _load_wasmport,
    "wasmtime": _load_wasmtime,
    "pywasm": _load_pywasm,
    "wasmport-metered": _load_wasmport_metered,
    "wasmtime-metered": _load_wasmtime_metered,
}


def available(names: List[str]) -> Dict[str, Optional[str]]:
    """For each runtime name: None if it can be imported, else why not."""
    modules = {"wasmport": "wasmport.api", "wasmtime": "wasmtime", "pywasm": "pywasm",
               "wasmport-metered": "wasmport.api", "wasmtime-metered": "wasmtime"}
    status: Dict[str, Optional[str]] = {}
    for name in names:
        try:
            __import__(modules[name])
            status[name] = None
        except Exception as error:  # any import failure means "not available"
            status[name] = f"{type(error).__name__}: {error}"
    return status


def version_of(name: str) -> str:
    """The installed version of a runtime (wasmport: the checkout's)."""
    if name.startswith("wasmport"):
        return "checkout"
    name = name.split("-")[0]
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:
        return "?"


def machine_line() -> str:
    """Python version and the load average, for the header of each report."""
    try:
        load = "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        load = "load average unavailable"
    impl = sys.implementation.name
    return f"{impl} {sys.version.split()[0]}, {os.cpu_count()} CPUs, {load}"
