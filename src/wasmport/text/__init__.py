"""The text format: lexer, s-expression reader, literals, module parser, printer."""

from __future__ import annotations
