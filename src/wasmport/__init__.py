"""wasmport: a configurable, lightweight WebAssembly runtime written in Python.

The package's public names are the embedding API (a drop-in for the
``wasmtime`` Python package: ``import wasmport as wasmtime``); see
:mod:`wasmport.api` and ``docs/EMBEDDING.md``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import Any

from .api import __all__ as _API_NAMES  # a light import: the API loads its classes lazily


def __getattr__(name: str) -> Any:
    """The embedding API's names, imported on first use (``import wasmport`` stays light)."""
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'wasmport' has no attribute {name!r}")


__all__ = list(_API_NAMES)
