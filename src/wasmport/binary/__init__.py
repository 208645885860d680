"""The binary format: :func:`decode_module` (bytes to AST) and :func:`encode_module`."""

from __future__ import annotations

from .decoder import decode_module
from .encoder import encode_module

__all__ = ["decode_module", "encode_module"]
