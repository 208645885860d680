"""Wall time of what Python's compiler cannot take but Wasm allows, on the
portable engine's tiers: 10,000 nested blocks, a ``br_table`` with 50,000
targets, a function with 50,000 locals, and unbounded recursion (which must
trap with :class:`~wasmport.errors.Exhaustion`).

    python benchmarks/engine_limits.py [--engine portable|portable-flat ...]

Each case is built as a text module and parsed (its parse time is printed
apart), then validated, instantiated in a fresh store and called: the time
printed for the case covers those steps, translation to Python included. ``tests/engines/test_portable_limits.py`` checks the results
(without timing them); this script measures the seconds the issue asks about
(each must be under 10 s).
"""

from __future__ import annotations

import argparse
import time
from typing import Callable, List, Sequence, Tuple

from _runtimes import machine_line

from wasmport.errors import Exhaustion
from wasmport.runtime.config import Config
from wasmport.runtime.instances import FuncInstance
from wasmport.runtime.store import Store
from wasmport.text import parse_module
from wasmport.valid import validate

Case = Tuple[str, str, Callable[[Callable[[Sequence[int]], Tuple[object, ...]]], None]]


def nested_blocks(depth: int) -> str:
    """``depth`` nested blocks; the innermost ``br_table`` leaves by its parameter."""
    labels = " ".join(str(index) for index in range(depth))
    inner = f"(br_table {labels} (local.get 0))"
    return ("(module (func (export \"f\") (param i32) (result i32)"
            + "(block " * depth + inner + ")" * depth + " (i32.const 7)))")


def wide_br_table(count: int) -> str:
    """A ``br_table`` of ``count`` targets alternating between two blocks."""
    labels = " ".join(str(index % 2) for index in range(count))
    return ("(module (func (export \"f\") (param i32) (result i32)"
            f" (block (block (br_table {labels} 1 (local.get 0)))"
            " (return (i32.const 100))) (i32.const 200)))")


def many_locals(count: int) -> str:
    """Local ``i`` is local ``i - 1`` plus one, through ``count`` locals."""
    steps = "".join(f"(local.set {index} (i32.add (local.get {index - 1}) (i32.const 1)))"
                    for index in range(1, count))
    return ("(module (func (export \"f\") (param i32) (result i32)"
            f" (local {'i32 ' * (count - 1)}) {steps} (local.get {count - 1})))")


def recursion() -> str:
    return ("(module (func $f (export \"f\") (param i32) (result i32)"
            " (call $f (local.get 0))))")


def expect(call: Callable[[Sequence[int]], Tuple[object, ...]],
           pairs: Sequence[Tuple[int, int]]) -> None:
    for argument, result in pairs:
        got = call((argument,))
        if got != (result,):
            raise SystemExit(f"wrong result for {argument}: {got}, expected {result}")


def expect_exhaustion(call: Callable[[Sequence[int]], Tuple[object, ...]]) -> None:
    try:
        call((1,))
    except Exhaustion:
        return
    raise SystemExit("unbounded recursion did not trap with Exhaustion")


CASES: List[Case] = [
    ("10,000 nested blocks", nested_blocks(10_000),
     lambda call: expect(call, [(0, 7), (9_999, 7), (123_456, 7)])),
    ("br_table with 50,000 targets", wide_br_table(50_000),
     lambda call: expect(call, [(0, 100), (49_999, 200), (50_000, 200)])),
    ("50,000 locals", many_locals(50_000), lambda call: expect(call, [(5, 5 + 49_999)])),
    ("unbounded recursion (traps)", recursion(), expect_exhaustion),
]


def run_case(engine: str, text: str,
             check: Callable[[Callable[[Sequence[int]], Tuple[object, ...]]], None],
             ) -> Tuple[float, float]:
    start = time.perf_counter()
    module = parse_module(text)
    parsed = time.perf_counter()
    validate(module)
    store = Store(Config(engine=engine))
    func = store.instantiate(module, []).exports["f"]
    assert isinstance(func, FuncInstance)
    check(func.invoke)
    return parsed - start, time.perf_counter() - parsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", action="append", choices=["portable", "portable-flat"])
    options = parser.parse_args()
    print(machine_line())
    for engine in options.engine or ["portable", "portable-flat"]:
        for name, text, check in CASES:
            parse, seconds = run_case(engine, text, check)
            print(f"{engine:14} {name:32} {seconds:6.2f} s   (text parse {parse:.2f} s)")


if __name__ == "__main__":
    main()
