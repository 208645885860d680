"""WAST scripts: their AST, parser and runner."""

from __future__ import annotations
