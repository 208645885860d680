"""Validation (spec chapter "Validation").

:func:`validate` checks a decoded or parsed :class:`~wasmport.syntax.ast.Module`
under a :class:`~wasmport.features.Features` set and raises
:class:`~wasmport.errors.ValidationError` (with the spec reference
interpreter's wording) if it is invalid. Function bodies are checked with the
spec appendix's algorithm (:mod:`.code`), one rule per opcode-table row
(:mod:`.rules`); defined types are canonicalised iso-recursively into
process-wide ids (:mod:`.canon`) so that type equivalence is an integer compare;
:func:`canonicalize` gives a module's ids, comparable across modules (for linking).
"""

from __future__ import annotations

from ..errors import ValidationError
from ..features import Features
from ..syntax.ast import Module
from ..text.sourcemap import locate
from .canon import canonicalize
from .module import validate_module

#: The default feature set (Wasm 3.0 plus threads).
DEFAULT_FEATURES = Features()


def validate(module: Module, features: Features = DEFAULT_FEATURES) -> None:
    """Check ``module``; raise :class:`~wasmport.errors.ValidationError` if invalid
    (with the line and column of the construct at fault, for a module parsed from text)."""
    try:
        validate_module(module, features)
    except ValidationError as error:
        locate(module, error)
        raise


__all__ = ["DEFAULT_FEATURES", "canonicalize", "validate"]
