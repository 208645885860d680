"""Turning a script's module sources into checked modules.

Loading has two stages, kept apart because the assertions distinguish them:
*reading* (binary decoding, or text parsing) fails with
:class:`~wasmport.errors.DecodeError` or :class:`~wasmport.errors.ParseError`
(``assert_malformed``); *validating* fails with
:class:`~wasmport.errors.ValidationError` (``assert_invalid``). Text always
reaches the same :class:`~wasmport.syntax.ast.Module` the decoder produces.
"""

from __future__ import annotations

from typing import Optional

from ..binary import decode_module
from ..errors import DecodeError, ParseError, WasmError
from ..features import Features
from ..syntax.ast import Module
from ..text import module_from_sexpr, parse_module
from ..valid import validate
from .ast import BinaryModule, ModuleSource, QuoteModule, TextModule


def quote_text(source: QuoteModule, filename: str) -> str:
    """The source text of a ``module quote``: its bytes must be UTF-8."""
    try:
        return source.source.decode("utf-8")
    except UnicodeDecodeError:
        raise ParseError(
            "malformed UTF-8 encoding", source.line, source.column, filename
        ) from None


def read_module(
    source: ModuleSource, filename: str, features: Optional[Features] = None
) -> Module:
    """Decode or parse ``source`` (no validation). ``features`` matters only
    where a proposal changes what is well formed."""
    if isinstance(source, BinaryModule):
        return decode_module(source.data, features)
    if isinstance(source, QuoteModule):
        return parse_module(quote_text(source, filename), filename, features)
    if isinstance(source, TextModule):
        return module_from_sexpr(source.node, features)
    raise TypeError(f"not a module source: {source!r}")


def load_module(source: ModuleSource, filename: str, features: Features) -> Module:
    """Read and validate ``source``."""
    module = read_module(source, filename, features)
    validate(module, features)
    return module


def malformed_error_class(source: ModuleSource) -> type[WasmError]:
    """The error class ``assert_malformed`` expects for this kind of source."""
    if isinstance(source, BinaryModule):
        return DecodeError
    return ParseError


__all__ = ["load_module", "malformed_error_class", "quote_text", "read_module"]
