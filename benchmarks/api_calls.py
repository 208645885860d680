"""Call overhead through the embedding API: wasmport beside the real ``wasmtime``.

    python benchmarks/api_calls.py [--calls N] [--repeat R]

Two measurements, the same program for both packages:

* ``py->wasm``: ``func(store, 1)`` on a trivial export ``(i32) -> i32``
  (``local.get 0; i32.const 1; i32.add``);
* ``wasm->py``: one call of an export that loops ``N`` times calling an
  imported Python function ``(i32) -> i32``; the loop's own cost is included.

The best of ``--repeat`` runs, in CPU time per call (``time.process_time``).
The real ``wasmtime`` is imported by name; it is skipped if not installed (or
if ``wasmtime`` is wasmport itself, as under ``wasmport shim``).
"""

from __future__ import annotations

import argparse
import importlib
import time
from types import ModuleType
from typing import Callable, Dict, List, Optional

WAT = """(module
  (import "host" "inc" (func $inc (param i32) (result i32)))
  (func (export "add1") (param i32) (result i32) local.get 0 i32.const 1 i32.add)
  (func (export "host_loop") (param i32) (result i32) (local i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get 0)))
      (local.set 1 (call $inc (local.get 1)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br 0)))
    local.get 1))"""


def best_per_call(run: Callable[[], None], calls: int, repeat: int) -> float:
    """Seconds per call: the best of ``repeat`` timed runs of ``calls`` calls."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best / calls


def measure(api: ModuleType, calls: int, repeat: int) -> Dict[str, float]:
    """Per-call times of both directions for one API package."""
    store = api.Store()
    module = api.Module(store.engine, WAT)
    inc = api.Func(store, api.FuncType([api.ValType.i32()], [api.ValType.i32()]),
                   lambda x: x + 1)
    exports = api.Instance(store, module, [inc]).exports(store)
    add1, host_loop = exports["add1"], exports["host_loop"]
    add1(store, 1)
    host_loop(store, 1)

    def to_wasm() -> None:
        for i in range(calls):
            add1(store, i)

    def to_host() -> None:
        if host_loop(store, calls) != calls:
            raise RuntimeError("host loop returned a wrong count")

    return {"py->wasm": best_per_call(to_wasm, calls, repeat),
            "wasm->py": best_per_call(to_host, calls, repeat)}


def real_wasmtime() -> Optional[ModuleType]:
    """The real wasmtime package, or None."""
    try:
        module = importlib.import_module("wasmtime")
    except ImportError:
        return None
    return None if module.Store.__module__.startswith("wasmport") else module


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    import wasmport

    runtimes: Dict[str, ModuleType] = {"wasmport": wasmport}
    other = real_wasmtime()
    if other is not None:
        runtimes[f"wasmtime {getattr(other, '__version__', '')}".strip()] = other
    print(f"{'runtime':<20} {'py->wasm':>12} {'wasm->py':>12}   (CPU time per call)")
    for name, api in runtimes.items():
        result = measure(api, args.calls, args.repeat)
        print(f"{name:<20} {result['py->wasm'] * 1e6:>9.2f} us {result['wasm->py'] * 1e6:>9.2f} us")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
