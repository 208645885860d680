"""The ``wasmport`` command line."""

from __future__ import annotations
