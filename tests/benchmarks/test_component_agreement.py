"""The component agreement script on a small script of its own: it keeps the
component binaries only and counts both tools' verdicts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Dict, List

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "component_agreement.py"

WAST = """
(component (import "f" (func)))
(module (func))
(assert_invalid
  (component (import "f" (func)) (import "f" (func)))
  "conflicts")
(assert_invalid
  (component (core module $m (import "a" "b" (func))) (core instance (instantiate $m)))
  "missing module instantiation argument")
(assert_malformed
  (component quote "(import \\"f\\" (func $x)) (import \\"g\\" (func $x))")
  "duplicate")
"""


def run(*args: str) -> str:
    done = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_reference_only_counts_component_binaries(tmp_path: Path, wasm_tools: str) -> None:
    (tmp_path / "small.wast").write_text(WAST)
    output = run("--reference-only", "--wasm-tools", wasm_tools, str(tmp_path))
    assert "scripts: 1 (0 not converted)" in output
    assert ("component binaries: 3 (wasm-tools accepts 1, rejects 2);"
            " skipped: 1 text-only, 1 core modules") in output


def totals(output: str) -> List[Dict[str, int]]:
    """The agreement counts the script prints: for the binaries, then for the mutants."""
    sections: List[Dict[str, int]] = []
    for line in output.splitlines():
        if line.startswith(("component binaries:", "mutants:")):
            sections.append({})
        elif line.startswith("  ") and sections and ": " in line:
            label, count = line.strip().rsplit(": ", 1)
            sections[-1][label] = int(count)
    return sections


def test_wasmport_verdicts_are_totalled(tmp_path: Path, wasm_tools: str) -> None:
    (tmp_path / "small.wast").write_text(WAST)
    output = run("--list", "--jobs", "2", "--mutants", "5", "--wasm-tools", wasm_tools,
                 str(tmp_path / "small.wast"))
    binaries, mutants = totals(output)
    assert binaries["agree"] == 3, output
    assert sum(binaries.values()) == 3 and sum(mutants.values()) == 15
    assert "mutants: 15 (wasm-tools accepts" in output
