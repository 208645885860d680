"""wasmport shim: `import wasmtime` resolves to wasmport in the program and its children."""

from __future__ import annotations

import subprocess
import sys

from wasmport.api import shim

PROBE = (
    "import importlib.metadata, subprocess, sys, wasmtime;"
    "print(wasmtime.Store.__module__, wasmtime._func.Func.__module__,"
    " importlib.metadata.version('wasmtime'));"
    "sys.stdout.flush();"
    "subprocess.run([sys.executable, '-c', 'import wasmtime; print(wasmtime.__version__)'])"
)


def run_shim(*args: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run([sys.executable, "-m", "wasmport.api.shim", *args],
                          capture_output=True, text=True, timeout=120,
                          env=shim.with_wasmport())


def test_probe_program() -> None:
    done = run_shim("--", sys.executable, "-c", PROBE)
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()
    assert first == "wasmport.api._store wasmport.api._func 46.0.1"
    assert second == "46.0.1"


def test_version_option_and_exit_status() -> None:
    done = run_shim("--wasmtime-version", "49.0.0", "--", sys.executable, "-c",
                    "import importlib.metadata as m, sys; print(m.version('wasmtime')); sys.exit(3)")
    assert done.returncode == 3
    assert done.stdout.strip() == "49.0.0"


def test_no_command() -> None:
    assert run_shim().returncode == 2


def test_script_runs_under_this_interpreter() -> None:
    assert shim.command_line(["prog.py", "-x"]) == [sys.executable, "prog.py", "-x"]
    assert shim.command_line(["python3", "-m", "x"]) == ["python3", "-m", "x"]


def test_cli_subcommand() -> None:
    done = subprocess.run([sys.executable, "-m", "wasmport", "shim", "--", sys.executable, "-c",
                           "import wasmtime; print(wasmtime.__version__)"],
                          capture_output=True, text=True, timeout=120, env=shim.with_wasmport())
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == shim.DEFAULT_VERSION
