"""Wasm instructions per second on simple loops, wasmport beside other runtimes.

    python benchmarks/engine_loops.py [--runtimes wasmport,wasmtime,pywasm]
                                      [--min-time S] [--repeat N] [--quick]

Three kernels, the same binary for every runtime (compiled from the text below
by wasmport's parser and encoder):

* ``sum``: ``acc += n; n -= 1`` down to 0 (i32, wrapping). 9 instructions per
  iteration; ``9 n + 6`` in all.
* ``fib``: naive recursive Fibonacci. A call with ``n < 2`` runs 5
  instructions, any other 13 (two calls); the counts of both kinds of call
  are computed exactly.
* ``copy``: copies ``len`` bytes as i32 loads/stores, ``reps`` times. 15
  instructions per word, 8 per repetition, 1 more: ``reps (15 len/4 + 8) + 1``.

Counts are of executed instructions, ``end`` excluded (``block``, ``loop``,
``br_if`` and ``call`` count one each). Each runtime's size is calibrated
separately: it doubles (``fib``: grows by one) until a run takes at least
``--min-time`` seconds, then the best of ``--repeat`` runs at that size is
kept. Rates use CPU time (``time.process_time``), which stays meaningful on a
shared machine; wall time is shown beside it. Compilation, instantiation and
the first (translating) call are outside the timed runs: the figures are
steady-state speeds. ``--quick`` runs tiny fixed sizes (a smoke test; its
rates are dominated by call overhead).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

from _runtimes import (
    ALL_RUNTIMES,
    LOADERS,
    Loaded,
    available,
    machine_line,
    version_of,
    wat_to_wasm,
)

SUM_WAT = """(module
  (func (export "sum") (param $n i32) (result i32) (local $acc i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $top
        (local.set $acc (i32.add (local.get $acc) (local.get $n)))
        (br_if $top (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
    (local.get $acc)))"""

FIB_WAT = """(module
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2))))))))"""

COPY_WAT = """(module
  (memory (export "memory") 4)
  (func (export "copy") (param $src i32) (param $dst i32) (param $len i32) (param $reps i32)
    (local $i i32)
    (loop $outer
      (local.set $i (i32.const 0))
      (loop $inner
        (i32.store (i32.add (local.get $dst) (local.get $i))
                   (i32.load (i32.add (local.get $src) (local.get $i))))
        (br_if $inner (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4)))
                                (local.get $len))))
      (br_if $outer (local.tee $reps (i32.sub (local.get $reps) (i32.const 1))))))
  (func (export "fill") (param $at i32) (param $len i32) (param $seed i32) (local $i i32)
    (loop $l
      (i32.store (i32.add (local.get $at) (local.get $i))
                 (i32.mul (i32.add (local.get $i) (local.get $seed)) (i32.const 2654435761)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4)))
                          (local.get $len)))))
  (func (export "checksum") (param $at i32) (param $len i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (i32.rotl (local.get $acc) (i32.const 5))
                               (i32.load (i32.add (local.get $at) (local.get $i)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4)))
                          (local.get $len))))
    (local.get $acc)))"""

#: Bytes copied per repetition (src at 0, dst right after it; 4 pages hold both).
COPY_LEN = 65536
QUICK_COPY_LEN = 256
MASK32 = 0xFFFFFFFF


def fib_counts(n: int) -> Tuple[int, int]:
    """(calls with n < 2, other calls) made by ``fib(n)``."""
    leaves, inner = [1, 1], [0, 0]
    for k in range(2, n + 1):
        leaves.append(leaves[k - 1] + leaves[k - 2])
        inner.append(inner[k - 1] + inner[k - 2] + 1)
    return leaves[n], inner[n]


def fib_value(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


@dataclass
class Kernel:
    """One benchmark: how to run it at a size, its instruction count and a check."""

    name: str
    wat: str
    start: int
    grow: Callable[[int], int]
    instructions: Callable[[int], int]
    prepare: Callable[[Loaded, int], Any]
    run: Callable[[Loaded, int], Any]
    check: Callable[[Loaded, int, Any, Any], bool]
    size_label: str


def _sum_check(loaded: Loaded, n: int, before: Any, result: Any) -> bool:
    return (int(result) & MASK32) == (n * (n + 1) // 2) & MASK32


def _fib_check(loaded: Loaded, n: int, before: Any, result: Any) -> bool:
    return (int(result) & MASK32) == fib_value(n) & MASK32


def _copy_prepare(length: int) -> Callable[[Loaded, int], Any]:
    def prepare(loaded: Loaded, reps: int) -> Any:
        loaded.call("fill", 0, length, 7)
        loaded.call("fill", COPY_LEN, length, 11)  # dst differs from src before the copy
        return int(loaded.call("checksum", 0, length)) & MASK32

    return prepare


def _copy_check(length: int) -> Callable[[Loaded, int, Any, Any], bool]:
    def check(loaded: Loaded, reps: int, before: Any, result: Any) -> bool:
        return (int(loaded.call("checksum", COPY_LEN, length)) & MASK32) == before

    return check


def _fib_instructions(n: int) -> int:
    leaves, inner = fib_counts(n)
    return 5 * leaves + 13 * inner


def kernels(copy_len: int) -> List[Kernel]:
    words = copy_len // 4
    return [
        Kernel("sum", SUM_WAT, 1000, lambda n: n * 2, lambda n: 9 * n + 6,
               lambda loaded, n: None, lambda loaded, n: loaded.call("sum", n),
               _sum_check, "n"),
        Kernel("fib", FIB_WAT, 10, lambda n: n + 1, _fib_instructions,
               lambda loaded, n: None, lambda loaded, n: loaded.call("fib", n),
               _fib_check, "n"),
        Kernel("copy", COPY_WAT, 1, lambda n: n * 2,
               lambda reps: reps * (15 * words + 8) + 1,
               _copy_prepare(copy_len),
               lambda loaded, reps: loaded.call("copy", 0, COPY_LEN, copy_len, reps),
               _copy_check(copy_len), f"reps of {copy_len} B"),
    ]


@dataclass
class Measurement:
    kernel: str
    runtime: str
    size: int
    instructions: int
    cpu: float
    wall: float

    @property
    def rate(self) -> float:
        return self.instructions / self.cpu if self.cpu > 0 else float("inf")


def timed(kernel: Kernel, loaded: Loaded, size: int) -> Tuple[float, float]:
    """CPU and wall seconds of one run at ``size``; the result is checked."""
    before = kernel.prepare(loaded, size)
    cpu, wall = time.process_time(), time.perf_counter()
    result = kernel.run(loaded, size)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if not kernel.check(loaded, size, before, result):
        raise SystemExit(f"{kernel.name}({size}): wrong result {result!r}")
    return cpu, wall


def measure(kernel: Kernel, runtime: str, args: argparse.Namespace) -> Measurement:
    loaded = LOADERS[runtime](wat_to_wasm(kernel.wat))
    size = kernel.start
    timed(kernel, loaded, size)  # warm-up: the portable engine translates on first call
    if not args.quick:
        while True:
            cpu, _ = timed(kernel, loaded, size)
            if cpu >= args.min_time:
                break
            size = kernel.grow(size)
    best_cpu = best_wall = float("inf")
    for _ in range(args.repeat):
        cpu, wall = timed(kernel, loaded, size)
        best_cpu, best_wall = min(best_cpu, cpu), min(best_wall, wall)
    return Measurement(kernel.name, runtime, size, kernel.instructions(size), best_cpu, best_wall)


def _ratio(a: Optional[Measurement], b: Optional[Measurement]) -> str:
    if a is None or b is None or not b.rate:
        return "-"
    return f"{a.rate / b.rate:.3g}"


def print_tables(results: List[Measurement], runtimes: List[str], labels: Dict[str, str]) -> None:
    print("| kernel | runtime | size | Wasm instructions | CPU s | wall s | Minstr/s (CPU) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for m in results:
        print(f"| {m.kernel} | {m.runtime} | {m.size} {labels[m.kernel]} | {m.instructions:,} "
              f"| {m.cpu:.3f} | {m.wall:.3f} | {m.rate / 1e6:.3f} |")
    others = [name for name in runtimes if name != "wasmport"]
    if "wasmport" not in runtimes or not others:
        return
    print()
    print("| kernel | " + " | ".join(f"wasmport / {name}" for name in others) + " |")
    print("| --- |" + " ---: |" * len(others))
    by_key = {(m.kernel, m.runtime): m for m in results}
    for kernel in dict.fromkeys(m.kernel for m in results):
        own = by_key.get((kernel, "wasmport"))
        cells = [_ratio(own, by_key.get((kernel, name))) for name in others]
        print(f"| {kernel} | " + " | ".join(cells) + " |")
    print()
    print("Ratios are of instructions per second: above 1, wasmport is faster.")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runtimes", default=",".join(ALL_RUNTIMES),
                        help="comma list of: " + ", ".join(LOADERS))
    parser.add_argument("--kernels", default="sum,fib,copy", help="comma list of: sum, fib, copy")
    parser.add_argument("--min-time", type=float, default=0.5,
                        help="calibrate each size up to this many CPU seconds per run")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best is kept")
    parser.add_argument("--quick", action="store_true", help="tiny fixed sizes, one run")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat = 1
    wanted = [name for name in args.runtimes.split(",") if name]
    unknown = [name for name in wanted if name not in LOADERS]
    if unknown:
        parser.error(f"unknown runtime(s): {', '.join(unknown)}")
    status = available(wanted)
    runtimes = [name for name in wanted if status[name] is None]
    print(f"# engine loops: {machine_line()}")
    for name in wanted:
        note = status[name] or f"version {version_of(name)}"
        print(f"- {name}: {note if status[name] is None else 'not available (' + note + ')'}")
    print()
    chosen = [k for k in kernels(QUICK_COPY_LEN if args.quick else COPY_LEN)
              if k.name in args.kernels.split(",")]
    if args.quick:
        for kernel in chosen:
            kernel.start = {"sum": 50, "fib": 5, "copy": 1}[kernel.name]
    results = [measure(kernel, runtime, args) for kernel in chosen for runtime in runtimes]
    print_tables(results, runtimes, {k.name: k.size_label for k in chosen})
    return 0


if __name__ == "__main__":
    sys.exit(main())
