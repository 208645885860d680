"""Which sightglass programs the portable engine finishes, and how long they take.

    python benchmarks/sightglass_portable.py count [--data FILE] [NAME ...]
    python benchmarks/sightglass_portable.py run [--data FILE] [--limit S]
                                             [--predicted-under S] [NAME ...]
    python benchmarks/sightglass_portable.py table [--data FILE] [--write]

Every program under ``$WASMPORT_SHARED/bench/sightglass`` (or ``../shared``
beside the checkout) is run the way ``tests/wasi/test_sightglass.py`` runs it:
its own directory is the working directory and is preopened as ``.``, the
``bench`` module (``start``/``end`` markers) is provided, and its stdout and
stderr are compared, ignoring trailing whitespace, with the recorded
``<name>.stdout.expected``/``default.stdout.expected`` (and stderr) files.

* ``count`` runs each program once on the real ``wasmtime`` package with fuel
  metering on: Wasmtime charges one unit per executed instruction (``nop``,
  ``drop``, ``block``, ``loop``, ``end``, ``else``, ``return`` and
  ``unreachable`` are free) but also one per byte ``memory.copy`` or
  ``memory.fill`` moves, which the portable engine does as one slice
  operation. So the program is first rewritten (``instrumented``) to route
  those operations through helpers that total their lengths and calls, and the
  instruction count is the fuel less those bytes and the helpers' own cost.
  This takes seconds per program. The output is checked too, so a count
  belongs to a run that did the real work.
* ``run`` times ``python -m wasmport run --preload bench=tests/wasi/bench.wat
  --dir . PROGRAM`` (portable engine), one program at a time, and checks the
  exit status and the output. ``--limit`` (default 660 s) bounds its CPU
  seconds (``RLIMIT_CPU``), the time it would take on a core of its own;
  wall time is bounded at three times that, since the machine may be shared.
  ``--predicted-under S`` picks the programs whose predicted time (below) is
  under ``S`` seconds and that have no finished measurement yet, shortest
  first.
* ``table`` prints one row per program and, with ``--write``, rewrites
  ``tests/wasi/sightglass_portable.txt``. The portable rate (instructions per
  CPU second) is the median over programs that finished in at least 5 s of
  CPU time; a program's predicted time is its count over that rate. Verdicts:
  ``finishes`` (a measured run within 600 CPU seconds with the expected
  output), ``native-engine`` (stopped at the limit, or not run and predicted
  beyond three times 600 s), ``unconfirmed`` (not run, any other prediction),
  ``needs-feature:X`` (imports the wasi-nn API, or uses GC types the portable
  engine does not run), ``component`` (a component binary, not a core module),
  ``wrong-output`` / ``crash`` (a bug).

Measurements are kept in a JSON file (``--data``, default
``sightglass_portable.json`` in the temporary directory) so the steps can be
run separately and resumed. The machine may be shared: ``run`` records CPU
seconds beside wall seconds, and the rate uses CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

REPO = Path(__file__).resolve().parent.parent
BENCH_MODULE = REPO / "tests" / "wasi" / "bench.wat"
LIST_FILE = REPO / "tests" / "wasi" / "sightglass_portable.txt"
DEFAULT_DATA = Path(tempfile.gettempdir()) / "sightglass_portable.json"
#: The acceptance criterion's ten minutes, as CPU seconds (a core of its own).
TEN_MINUTES = 600.0
#: Not run and predicted beyond this many times the limit: for a native engine.
#: (Per-program rates spread widely, so a nearer prediction settles nothing.)
FAR_BEYOND = 3.0
#: Fuel given to each ``count`` run: far more than any program uses.
FUEL = 1 << 62
#: Only runs at least this long (CPU seconds) calibrate the rate.
CALIBRATION_MIN_CPU = 5.0

Record = Dict[str, Any]

HEADER = """\
# Sightglass programs on the portable engine (``wasmport run``), one per line:
#   program  verdict  evidence  instructions
# verdict: finishes (measured within 600 CPU seconds with the expected output;
# hashset, richards and sqlite3 have none recorded: exit status 0 only),
# native-engine (stopped at the CPU limit, or not run and predicted beyond
# 3 x 600 s), component, needs-feature:X, unconfirmed (not run; the prediction
# is all there is: rates per program measured 4 to 70 M instructions/s).
# evidence: cpu=S,wall=S (one run; CPU seconds are what a core of its own
# takes: the 2-core machine was shared, load 3-8), stopped (killed at the CPU
# limit), predicted=S (instructions / the portable rate above, CPU seconds).
# instructions: executed by the whole program, from Wasmtime's fuel meter (less
# the per-byte fuel it charges memory.copy/memory.fill; see the script).
# Regenerate: see python benchmarks/sightglass_portable.py --help
# tests/wasi/test_sightglass.py runs the "finishes" rows with
# WASMPORT_SIGHTGLASS=portable.
"""


def sightglass_root() -> Path:
    shared = os.environ.get("WASMPORT_SHARED")
    base = Path(shared) if shared else REPO.parent / "shared"
    return base / "bench" / "sightglass"


def program_name(wasm: Path) -> str:
    """``benchmark.wasm`` takes its directory's name; other files their stem."""
    return wasm.parent.name if wasm.stem == "benchmark" else wasm.stem


def programs() -> Dict[str, Path]:
    found = sorted(sightglass_root().glob("*/*.wasm"))
    return {program_name(wasm): wasm for wasm in found}


def expected_file(wasm: Path, stream: str) -> Optional[Path]:
    for stem in (wasm.stem, "default"):
        candidate = wasm.parent / f"{stem}.{stream}.expected"
        if candidate.exists():
            return candidate
    return None


def output_verdict(wasm: Path, stdout: bytes, stderr: bytes) -> str:
    """``ok``, ``no-expected`` (nothing recorded) or ``wrong stdout/stderr``."""
    recorded = 0
    wrong = []
    for stream, actual in (("stdout", stdout), ("stderr", stderr)):
        expected = expected_file(wasm, stream)
        if expected is None:
            continue
        recorded += 1
        if actual.rstrip() != expected.read_bytes().rstrip():
            wrong.append(stream)
    if wrong:
        return "wrong " + "+".join(wrong)
    return "ok" if recorded else "no-expected"


def static_verdict(wasm: Path) -> Optional[str]:
    """``component`` or ``needs-feature:X`` when the program cannot run here at all."""
    data = wasm.read_bytes()
    if data[4:8] != b"\x01\x00\x00\x00":
        return "component"
    from wasmport.binary import decode_module
    from wasmport.syntax.types import FuncType

    module = decode_module(data)
    if any(item.module.startswith("wasi_ephemeral_nn") for item in module.imports):
        return "needs-feature:wasi-nn"
    if any(not isinstance(sub.composite, FuncType) for sub in module.defined_types):
        return "needs-feature:gc"
    return None


#: Fuel a call to an ``instrumented`` helper costs beyond the bulk operation it
#: replaces: ``call``, three ``local.get``, two counter updates (5 + 4) and the
#: one unit Wasmtime charges on entering a function (checked on a small module).
HELPER_FUEL = 14
BYTES_GLOBAL = "__sightglass_bulk_bytes"
CALLS_GLOBAL = "__sightglass_bulk_calls"


def instrumented(data: bytes) -> bytes:
    """The module with each ``memory.copy``/``memory.fill`` on memory 0 replaced by a
    call to an appended helper that adds its length to an exported i64 global
    (``BYTES_GLOBAL``) and counts itself (``CALLS_GLOBAL``), then does the operation.

    Wasmtime charges those operations one unit of fuel per byte; the globals let
    ``count_instructions`` take that out again. Appending keeps every existing
    index unchanged.
    """
    import dataclasses

    from wasmport.binary import decode_module, encode_module
    from wasmport.syntax import ast, opcodes
    from wasmport.syntax.types import FuncType, GlobalType, NumType, RecType, SubType

    module = decode_module(data)
    kinds = [item.kind for item in module.imports]
    first_func = kinds.count(ast.ExternKind.FUNC) + len(module.funcs)
    first_global = kinds.count(ast.ExternKind.GLOBAL) + len(module.globals)
    type_index = len(module.defined_types)
    i32 = NumType.I32
    signature = FuncType((i32, i32, i32), ())
    counters = tuple(ast.Global(GlobalType(NumType.I64, True),
                                (ast.Instr(opcodes.I64_CONST, (0,)),)) for _ in range(2))

    replacements = {opcodes.MEMORY_COPY: ast.Instr(opcodes.CALL, (first_func,)),
                    opcodes.MEMORY_FILL: ast.Instr(opcodes.CALL, (first_func + 1,))}

    def rewrite(value: Any) -> Any:
        if isinstance(value, ast.Instr):
            if value.op in replacements and not any(value.args):
                return replacements[value.op]
            if any(isinstance(arg, tuple) for arg in value.args):
                return ast.Instr(value.op, tuple(rewrite(arg) for arg in value.args))
            return value
        if isinstance(value, tuple):
            return tuple(rewrite(item) for item in value)
        return value

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 200_000))
    try:
        funcs = tuple(dataclasses.replace(func, body=rewrite(func.body))
                      for func in module.funcs)
    finally:
        sys.setrecursionlimit(limit)
    copy = _bulk_helper(ast.Instr(opcodes.MEMORY_COPY, (0, 0)), type_index, first_global)
    fill = _bulk_helper(ast.Instr(opcodes.MEMORY_FILL, (0,)), type_index, first_global)
    exports = tuple(ast.Export(name, ast.ExternKind.GLOBAL, first_global + offset)
                    for offset, name in enumerate((BYTES_GLOBAL, CALLS_GLOBAL)))
    changed = dataclasses.replace(
        module, types=module.types + (RecType((SubType(signature),), explicit=False),),
        funcs=funcs + (copy, fill), globals=module.globals + counters,
        exports=module.exports + exports)
    return encode_module(changed)


def _bulk_helper(operation: Any, type_index: int, counters: int) -> Any:
    """A ``(i32, i32, i32) -> ()`` function: add the length (third parameter) to
    global ``counters`` and one to ``counters + 1``, then do ``operation``."""
    from wasmport.syntax import ast, opcodes

    get = [ast.Instr(opcodes.LOCAL_GET, (index,)) for index in range(3)]
    body = (ast.Instr(opcodes.GLOBAL_GET, (counters,)), get[2],
            ast.Instr(opcodes.I64_EXTEND_I32_U), ast.Instr(opcodes.I64_ADD),
            ast.Instr(opcodes.GLOBAL_SET, (counters,)),
            ast.Instr(opcodes.GLOBAL_GET, (counters + 1,)),
            ast.Instr(opcodes.I64_CONST, (1,)), ast.Instr(opcodes.I64_ADD),
            ast.Instr(opcodes.GLOBAL_SET, (counters + 1,)), *get, operation)
    return ast.Func(type_index, (), body)


def count_instructions(wasm: Path) -> Record:
    """Run on wasmtime with fuel metering: the fuel consumed, the instructions
    (fuel less the per-byte charge of bulk memory operations) and the output verdict."""
    import wasmtime

    config = wasmtime.Config()
    config.consume_fuel = True
    config.wasm_gc = True
    engine = wasmtime.Engine(config)
    store = wasmtime.Store(engine)
    store.set_fuel(FUEL)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    empty = wasmtime.FuncType([], [])
    linker.define_func("bench", "start", empty, lambda: None)
    linker.define_func("bench", "end", empty, lambda: None)
    module = wasmtime.Module(engine, instrumented(wasm.read_bytes()))
    with tempfile.TemporaryDirectory() as scratch:
        out, err = Path(scratch) / "out", Path(scratch) / "err"
        wasi = wasmtime.WasiConfig()
        wasi.argv = [wasm.name]
        wasi.preopen_dir(str(wasm.parent), ".")
        wasi.stdout_file = str(out)
        wasi.stderr_file = str(err)
        store.set_wasi(wasi)
        started = time.perf_counter()
        instance = linker.instantiate(store, module)
        exit_code = _run_start(store, instance)
        seconds = time.perf_counter() - started
        verdict = output_verdict(wasm, out.read_bytes(), err.read_bytes())
    fuel = FUEL - store.get_fuel()
    bulk = [_global_value(store, instance, name) for name in (BYTES_GLOBAL, CALLS_GLOBAL)]
    return {"fuel": fuel, "bulk_bytes": bulk[0], "bulk_calls": bulk[1],
            "instructions": fuel - bulk[0] - HELPER_FUEL * bulk[1],
            "wasmtime_exit": exit_code, "wasmtime_output": verdict,
            "wasmtime_seconds": round(seconds, 3)}


def _run_start(store: Any, instance: Any) -> int:
    import wasmtime

    start = instance.exports(store)["_start"]
    assert isinstance(start, wasmtime.Func)
    try:
        start(store)
    except wasmtime.ExitTrap as exit_trap:
        return int(exit_trap.code)
    return 0


def _global_value(store: Any, instance: Any, name: str) -> int:
    import wasmtime

    item = instance.exports(store)[name]
    assert isinstance(item, wasmtime.Global)
    return int(item.value(store))


def run_portable(wasm: Path, limit: float) -> Record:
    """``wasmport run`` on the portable engine: wall and CPU seconds, exit, output.

    ``limit`` bounds the CPU seconds (``RLIMIT_CPU``: the time the program
    would take on a core of its own); wall time is bounded at three times that.
    """
    env = {"PYTHONPATH": str(REPO / "src"), "PATH": os.environ.get("PATH", "")}
    command = [sys.executable, "-m", "wasmport", "run", "--preload", f"bench={BENCH_MODULE}",
               "--dir", ".", wasm.name]
    cpu_before = _children_cpu()
    started = time.perf_counter()
    seconds = int(limit)

    def cpu_limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))

    try:
        done = subprocess.run(command, cwd=wasm.parent, env=env, capture_output=True,
                              timeout=3 * limit, check=False, preexec_fn=cpu_limit)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "wall": round(time.perf_counter() - started, 1),
                "limit": limit}
    wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    record: Record = {"wall": round(wall, 2), "cpu": round(cpu, 2), "exit": done.returncode,
                      "limit": limit}
    if done.returncode == -signal.SIGXCPU:
        record["status"] = "timeout"
    elif done.returncode != 0:
        record["status"] = "crash"
        record["detail"] = done.stderr.decode("utf-8", "replace")[-600:]
    else:
        record["status"] = output_verdict(wasm, done.stdout, done.stderr)
    return record


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load(data: Path) -> Dict[str, Record]:
    if data.exists():
        loaded: Dict[str, Record] = json.loads(data.read_text())
        return loaded
    return {}


def save(data: Path, name: str, record: Record) -> None:
    """Store one program's record, keeping what other runs wrote meanwhile."""
    records = load(data)
    records.setdefault(name, {}).update(record)
    data.write_text(json.dumps(records, indent=1, sort_keys=True) + "\n")


def finished(record: Record) -> bool:
    run = record.get("portable")
    if not run:
        return False
    return run["status"] in ("ok", "no-expected") and float(run["cpu"]) <= TEN_MINUTES


def portable_rate(records: Dict[str, Record]) -> Optional[float]:
    """Median instructions per CPU second over programs that finished in >= 5 CPU s."""
    rates = [record["instructions"] / record["portable"]["cpu"]
             for record in records.values()
             if finished(record) and "instructions" in record
             and record["portable"]["cpu"] >= CALIBRATION_MIN_CPU]
    return statistics.median(rates) if rates else None


def predicted(record: Record, rate: Optional[float]) -> Optional[float]:
    if rate is None or "instructions" not in record:
        return None
    return float(record["instructions"]) / rate


def verdict(record: Record, rate: Optional[float]) -> Tuple[str, str]:
    """The verdict and its evidence: measured CPU (and wall) seconds, or predicted seconds."""
    if "static" in record:
        return record["static"], "-"
    run = record.get("portable")
    guess = predicted(record, rate)
    prediction = f",predicted={guess:.0f}" if guess is not None else ""
    if not run:
        far = guess is not None and guess > FAR_BEYOND * TEN_MINUTES
        kind = "native-engine" if far else "unconfirmed"
        return kind, prediction.lstrip(",") or "-"
    if run["status"] == "timeout":
        return "native-engine", f"stopped(cpu>={run['limit']:.0f}){prediction}"
    measured = f"cpu={run['cpu']:.1f},wall={run['wall']:.1f}{prediction}"
    if finished(record):
        return "finishes", measured
    if run["status"] == "crash":
        return "crash", measured
    if run["status"].startswith("wrong"):
        return "wrong-output", measured
    return "native-engine", measured


def command_count(records: Dict[str, Record], names: List[str], data: Path) -> None:
    for name in names:
        wasm = programs()[name]
        record = records.setdefault(name, {})
        static = static_verdict(wasm)
        if static is not None:
            record["static"] = static
        if static is None or static == "needs-feature:gc":
            try:
                record.update(count_instructions(wasm))
            except Exception as error:  # noqa: BLE001 - any failure is recorded, not fatal
                record["count_error"] = f"{type(error).__name__}: {error}"[:300]
        save(data, name, record)
        print(f"{name:45} {record.get('static', ''):22} {record.get('instructions', '-'):>16}"
              f" {record.get('wasmtime_output', '')}", flush=True)


def command_run(records: Dict[str, Record], names: List[str], data: Path,
                limit: float) -> None:
    for name in names:
        record = records.setdefault(name, {})
        record["portable"] = run_portable(programs()[name], limit)
        save(data, name, record)
        run = record["portable"]
        print(f"{name:45} {run['status']:12} wall {run['wall']:8.1f}"
              f" cpu {run.get('cpu', float('nan')):8.1f}", flush=True)


def to_run(records: Dict[str, Record], under: float) -> List[str]:
    """Programs predicted under ``under`` seconds with no finished run, shortest first."""
    rate = portable_rate(records)
    chosen = []
    for name, record in records.items():
        guess = predicted(record, rate)
        if "static" in record or finished(record) or guess is None or guess > under:
            continue
        run = record.get("portable")
        if run and run["status"] == "timeout" and run["limit"] >= TEN_MINUTES:
            continue
        chosen.append((guess, name))
    return [name for _, name in sorted(chosen)]


def table(records: Dict[str, Record]) -> List[str]:
    rate = portable_rate(records)
    lines = [f"# portable rate: {rate:,.0f} instructions per CPU second" if rate else
             "# portable rate: not calibrated",
             "# program  verdict  evidence(seconds)  instructions"]
    for name in sorted(records):
        record = records[name]
        kind, evidence = verdict(record, rate)
        count = record.get("instructions", "-")
        lines.append(f"{name:36} {kind:22} {evidence:38} {count}")
    return lines


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("count", "run", "table"))
    parser.add_argument("names", nargs="*", help="programs (default: all)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=float, default=660.0, help="run: CPU seconds (wall: 3x)")
    parser.add_argument("--predicted-under", type=float, default=None)
    parser.add_argument("--write", action="store_true", help=f"table: rewrite {LIST_FILE.name}")
    args = parser.parse_intermixed_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    records = load(args.data)
    known = programs()
    unknown = [name for name in args.names if name not in known]
    if unknown:
        parser.error(f"unknown programs: {', '.join(unknown)}")
    names = args.names or list(known)
    if args.command == "count":
        command_count(records, names, args.data)
    elif args.command == "run":
        if args.predicted_under is not None:
            names = [name for name in to_run(records, args.predicted_under)
                     if not args.names or name in args.names]
        command_run(records, names, args.data, args.limit)
    else:
        lines = table(records)
        print("\n".join(lines))
        if args.write:
            LIST_FILE.write_text(HEADER + "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
