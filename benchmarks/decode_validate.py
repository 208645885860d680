"""Decode + validate throughput, in MB/s of code section.

Runs :func:`wasmport.binary.decode_module` then :func:`wasmport.valid.validate`
(default features) on every ``.wasm`` under the shared WASI test suite and the
sightglass benchmarks, and prints one row per binary and the total::

    python benchmarks/decode_validate.py [--repeat N] [--limit N] [PATH ...]

Throughput is the code section's size over the time of decoding *and*
validating the whole module (best of ``--repeat`` runs). Per binary, the
table shows CPU time (``time.process_time``), which stays meaningful on a
busy machine; the total line gives both CPU and wall-clock throughput. The
shared directory is ``$WASMPORT_SHARED`` or ``../shared`` beside the checkout.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Iterator, List, Tuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from wasmport.binary import decode_module  # noqa: E402
from wasmport.errors import WasmError  # noqa: E402
from wasmport.features import Features  # noqa: E402
from wasmport.valid import validate  # noqa: E402

CODE_SECTION = 10
#: Preamble of a component binary (version 0x0d, layer 1): not a core module.
COMPONENT_PREAMBLE = b"\0asm\x0d\x00\x01\x00"


def shared_dir() -> Path:
    return Path(os.environ.get("WASMPORT_SHARED") or REPO.parent / "shared")


def short_name(path: Path) -> str:
    """``wasi/...`` or ``sightglass/...`` for suite binaries, else the path."""
    root = shared_dir()
    for prefix, label in (("testsuite/wasi/tests", "wasi"), ("bench/sightglass", "sightglass")):
        base = root / prefix
        if path.is_relative_to(base):
            return f"{label}/{path.relative_to(base).as_posix()}"
    return str(path)


def default_paths() -> List[Path]:
    root = shared_dir()
    return [root / "testsuite" / "wasi", root / "bench" / "sightglass"]


def wasm_files(paths: List[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.wasm"))
        elif path.is_file():
            yield path
        else:
            raise SystemExit(f"not found: {path} (set WASMPORT_SHARED)")


def _uleb(data: bytes, pos: int) -> Tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, pos


def code_section_size(data: bytes) -> int:
    """The size of the code section's contents (0 if there is none)."""
    pos = 8
    while pos < len(data):
        section_id = data[pos]
        size, pos = _uleb(data, pos + 1)
        if section_id == CODE_SECTION:
            return size
        pos += size
    return 0


def measure(data: bytes, repeat: int) -> Tuple[float, float]:
    """Best CPU seconds and best wall seconds of decoding and validating ``data``."""
    best_cpu = best_wall = float("inf")
    features = Features()
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        validate(decode_module(data), features)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return best_cpu, best_wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="files or directories")
    parser.add_argument("--repeat", type=int, default=1, help="runs per binary (best is kept)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N binaries")
    args = parser.parse_args()
    files = list(wasm_files(args.paths or default_paths()))
    if args.limit:
        files = files[: args.limit]
    total_bytes = 0
    total_seconds = total_wall = 0.0
    failures = components = 0
    print(f"{'binary':<64} {'code KB':>9} {'CPU s':>8} {'MB/s':>6}")
    for path in files:
        data = path.read_bytes()
        name = short_name(path)
        if data.startswith(COMPONENT_PREAMBLE):
            components += 1
            print(f"{name:<64} {'-':>9}  component, not a core module: skipped")
            continue
        code = code_section_size(data)
        try:
            seconds, wall = measure(data, args.repeat)
        except WasmError as error:
            failures += 1
            print(f"{name:<64} {code / 1e3:>9.1f}  error: {type(error).__name__}: {error}")
            continue
        total_bytes += code
        total_seconds += seconds
        total_wall += wall
        speed = code / 1e6 / seconds if seconds else 0.0
        print(f"{name:<64} {code / 1e3:>9.1f} {seconds:>8.3f} {speed:>6.2f}")
    rate = total_bytes / 1e6 / total_seconds if total_seconds else 0.0
    wall_rate = total_bytes / 1e6 / total_wall if total_wall else 0.0
    measured = len(files) - components - failures
    print(
        f"total: {measured} core modules, {total_bytes / 1e6:.1f} MB of code in "
        f"{total_seconds:.1f} s CPU: {rate:.2f} MB/s "
        f"(wall clock {total_wall:.1f} s: {wall_rate:.2f} MB/s)"
    )
    if failures:
        print(f"{failures} binaries failed to decode or validate (not in the total)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
