"""Call overhead between Python and Wasm, in microseconds per call.

    python benchmarks/call_overhead.py [--runtimes wasmport,wasmtime] [--calls N]
                                       [--repeat N] [--quick]

Both runtimes are driven through the same wasmtime-py API (wasmport's is
``wasmport.api``, the portable engine):

* ``python->wasm``: ``add(store, i, 1)`` on an export that adds two i32s,
  ``--calls`` times from a Python loop (the loop's own cost is included).
* ``wasm->python``: one call of an export whose Wasm loop calls an imported
  Python function ``(i32) -> i32`` ``--calls`` times; the time over the count.

The best of ``--repeat`` runs by CPU time (``time.process_time``), after a
warm-up call (which also translates the function on the portable engine).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

from _runtimes import available, machine_line, version_of, wat_to_wasm

WAT = """(module
  (import "env" "host" (func $host (param i32) (result i32)))
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "call_host") (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (call $host (local.get $n))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))"""

MASK32 = 0xFFFFFFFF


def instantiate(api: Any) -> Tuple[Any, Any]:
    store = api.Store(api.Engine())
    i32 = api.ValType.i32()
    host = api.Func(store, api.FuncType([i32], [i32]), lambda value: value)
    module = api.Module(store.engine, wat_to_wasm(WAT))
    return store, api.Instance(store, module, [host]).exports(store)


def python_to_wasm(store: Any, exports: Any, calls: int) -> float:
    add = exports["add"]
    started = time.process_time()
    for i in range(calls):
        add(store, i, 1)
    return time.process_time() - started


def wasm_to_python(store: Any, exports: Any, calls: int) -> float:
    started = time.process_time()
    result = exports["call_host"](store, calls)
    elapsed = time.process_time() - started
    if (int(result) & MASK32) != (calls * (calls + 1) // 2) & MASK32:
        raise SystemExit(f"call_host({calls}) returned {result}")
    return elapsed


BENCHES: Dict[str, Callable[[Any, Any, int], float]] = {
    "python->wasm": python_to_wasm,
    "wasm->python": wasm_to_python,
}


def api_of(name: str) -> Any:
    if name == "wasmport":
        import wasmport.api

        return wasmport.api
    import wasmtime

    return wasmtime


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runtimes", default="wasmport,wasmtime")
    parser.add_argument("--calls", type=int, default=200_000, help="calls per timed run")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best is kept")
    parser.add_argument("--quick", action="store_true", help="1000 calls, one run")
    args = parser.parse_args(argv)
    if args.quick:
        args.calls, args.repeat = 1000, 1
    wanted = [name for name in args.runtimes.split(",") if name]
    if any(name not in ("wasmport", "wasmtime") for name in wanted):
        parser.error("runtimes: wasmport, wasmtime")
    status = available(wanted)
    runtimes = [name for name in wanted if status[name] is None]
    print(f"# call overhead: {machine_line()}")
    for name in wanted:
        print(f"- {name}: " + (f"version {version_of(name)}" if status[name] is None
                               else f"not available ({status[name]})"))
    print()
    micros: Dict[Tuple[str, str], float] = {}
    for name in runtimes:
        store, exports = instantiate(api_of(name))
        for bench, run in BENCHES.items():
            run(store, exports, 10)  # warm-up
            best = min(run(store, exports, args.calls) for _ in range(args.repeat))
            micros[bench, name] = best / args.calls * 1e6
    print("| call | " + " | ".join(f"{name} µs/call" for name in runtimes)
          + (" | wasmport / wasmtime |" if len(runtimes) == 2 else " |"))
    print("| --- |" + " ---: |" * (len(runtimes) + (len(runtimes) == 2)))
    for bench in BENCHES:
        cells = [f"{micros[bench, name]:.3f}" for name in runtimes]
        if len(runtimes) == 2:
            cells.append(f"{micros[bench, runtimes[0]] / micros[bench, runtimes[1]]:.2f}")
        print(f"| {bench} ({args.calls} calls) | " + " | ".join(cells) + " |")
    if len(runtimes) == 2:
        print()
        print("The ratio is of time per call: above 1, the first runtime is slower.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
