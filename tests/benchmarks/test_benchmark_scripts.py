"""Smoke tests of the benchmark scripts: each runs at a tiny size and prints its table.

No timing is asserted (the machine may be shared); the instruction counts the
loop benchmark reports are checked against Wasmtime's fuel meter.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, List

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def run_script(name: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(BENCHMARKS / name), *args],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def load(name: str) -> ModuleType:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module(name)


def table_rows(output: str) -> List[List[str]]:
    return [[cell.strip() for cell in line.strip("|").split("|")]
            for line in output.splitlines()
            if line.startswith("| ") and not line.startswith("| ---")]


def test_engine_loops_quick_prints_rates_and_ratios() -> None:
    pytest.importorskip("wasmtime")
    output = run_script("engine_loops.py", "--quick", "--runtimes", "wasmport,wasmtime")
    assert "load average" in output
    rows = table_rows(output)
    rates = [row for row in rows if row[0] in ("sum", "fib", "copy") and len(row) == 7]
    assert {(row[0], row[1]) for row in rates} == {
        (kernel, runtime) for kernel in ("sum", "fib", "copy")
        for runtime in ("wasmport", "wasmtime")
    }
    for row in rates:
        assert int(row[3].replace(",", "")) > 0 and float(row[6]) > 0
    assert ["kernel", "wasmport / wasmtime"] in rows


def test_engine_loops_with_pywasm() -> None:
    pytest.importorskip("pywasm")
    output = run_script("engine_loops.py", "--quick", "--kernels", "fib,copy")
    rows = table_rows(output)
    assert any(row[:2] == ["copy", "pywasm"] for row in rows)
    assert ["kernel", "wasmport / wasmtime", "wasmport / pywasm"] in rows


def _fuel_used(wasm: bytes, name: str, *args: Any) -> int:
    wasmtime = pytest.importorskip("wasmtime")

    config = wasmtime.Config()
    config.consume_fuel = True
    store = wasmtime.Store(wasmtime.Engine(config))
    store.set_fuel(10**12)
    exports = wasmtime.Instance(store, wasmtime.Module(store.engine, wasm), []).exports(store)
    before = store.get_fuel()
    exports[name](store, *args)
    return int(before - store.get_fuel())


@pytest.mark.parametrize("size", [1, 2, 7, 100])
def test_instruction_counts_agree_with_wasmtime_fuel(size: int) -> None:
    """Wasmtime charges 1 fuel per instruction, none for ``block``/``loop``, and
    1 per function entry; the benchmark counts ``block``/``loop`` and no entry."""
    loops = load("engine_loops")
    wat_to_wasm = load("_runtimes").wat_to_wasm
    kernels = {kernel.name: kernel for kernel in loops.kernels(64)}
    counts = {name: kernels[name].instructions(size) for name in kernels}
    assert _fuel_used(wat_to_wasm(loops.SUM_WAT), "sum", size) == counts["sum"] - 2 + 1
    n = min(size, 15)  # fib's work grows exponentially
    leaves, inner = loops.fib_counts(n)
    fib_fuel = _fuel_used(wat_to_wasm(loops.FIB_WAT), "fib", n)
    assert fib_fuel == kernels["fib"].instructions(n) + leaves + inner
    copy_fuel = _fuel_used(wat_to_wasm(loops.COPY_WAT), "copy", 0, 1024, 64, size)
    assert copy_fuel == counts["copy"] - (1 + size) + 1


def test_fib_counts_match_a_direct_recursion() -> None:
    loops = load("engine_loops")

    def calls(n: int) -> List[int]:
        if n < 2:
            return [1, 0]
        a, b = calls(n - 1), calls(n - 2)
        return [a[0] + b[0], a[1] + b[1] + 1]

    for n in range(12):
        assert list(loops.fib_counts(n)) == calls(n)
        assert loops.fib_value(n) == (n if n < 2 else loops.fib_value(n - 1) + loops.fib_value(n - 2))


def test_spec_wall_time_on_a_tiny_script(tmp_path: Path) -> None:
    script = tmp_path / "tiny.wast"
    script.write_text(
        '(module (func (export "add") (param i32 i32) (result i32)'
        " (i32.add (local.get 0) (local.get 1))))\n"
        '(assert_return (invoke "add" (i32.const 2) (i32.const 3)) (i32.const 5))\n'
        '(assert_trap (module (func unreachable) (start 0)) "unreachable")\n',
        encoding="utf-8",
    )
    output = run_script("spec_wall_time.py", str(script))
    assert "load average" in output
    rows = table_rows(output)
    assert rows[0] == ["scripts", "count", "passed", "failed", "skipped", "wall s"]
    assert rows[1][:5] == ["in scope", "1", "3", "0", "0"]
    assert "total: 1 scripts in" in output


def test_call_overhead_quick_prints_microseconds() -> None:
    pytest.importorskip("wasmtime")
    output = run_script("call_overhead.py", "--quick")
    rows = table_rows(output)
    assert rows[0][:2] == ["call", "wasmport µs/call"]
    calls = {row[0].split()[0]: row for row in rows[1:]}
    assert set(calls) == {"python->wasm", "wasm->python"}
    for row in calls.values():
        assert float(row[1]) > 0
