"""The text format: lexer, s-expression reader, literals, module parser, printer.

``parse_module(source)`` parses a WAT module into the same :class:`~wasmport.syntax.ast.Module`
the binary decoder produces; ``module_from_sexpr(node)`` does the same for a
``(module ...)`` list already read by :func:`wasmport.text.sexpr.read` (the WAST
layer uses it for inline modules).
"""

from __future__ import annotations

from .module import module_from_sexpr, parse_module

__all__ = ["module_from_sexpr", "parse_module"]
