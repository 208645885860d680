"""Checks of the custom sections wasmport knows, apart from core validation.

A core implementation must accept a module whatever its custom sections hold,
so :func:`~wasmport.valid.validate` does not look at them; these checks are
for tools that want to know (the ``assert_malformed_custom`` and
``assert_invalid_custom`` commands of the spec scripts, for one).

The ``metadata.code.branch_hint`` section (branch-hinting proposal) must decode
(:class:`~wasmport.errors.DecodeError` otherwise, offsets into its payload),
name defined functions and offsets where instructions start (also malformed),
and hint only ``if`` and ``br_if`` instructions, in increasing order within
each function (:class:`~wasmport.errors.ValidationError` otherwise).
"""

from __future__ import annotations

from ..binary.branch_hints import (
    ANNOTATION,
    SECTION,
    SECTION_NAME,
    FuncHints,
    body_offsets,
    decode_branch_hints,
)
from ..errors import DecodeError, ValidationError
from ..syntax import opcodes
from ..syntax.ast import CustomSection, ExternKind, Module
from ..syntax.walk import preorder
from ..text.sourcemap import locate

_BRANCHES = frozenset({opcodes.IF, opcodes.BR_IF})


def _check_func_hints(module: Module, entry: FuncHints, custom: CustomSection) -> None:
    index, hints = entry
    imported = len(module.imports_of(ExternKind.FUNC))
    if not imported <= index < imported + len(module.funcs):
        raise DecodeError(f"{SECTION}: unknown function {index}", custom.offset)
    func = module.funcs[index - imported]
    instrs = list(preorder(func.body))
    at = {offset: position for position, offset in enumerate(body_offsets(func))}
    previous = -1
    for hint in hints:
        position = at.get(hint.offset)
        if position is None:
            raise DecodeError(f"{SECTION}: invalid offset", custom.offset)
        problem = "invalid target" if instrs[position].op not in _BRANCHES else None
        if problem is None and position <= previous:
            problem = "invalid order"
        if problem is not None:
            error = ValidationError(f"{ANNOTATION}: {problem}", instrs[position].offset)
            error.field, error.instr = ("func", index - imported), position
            locate(module, error)
            raise error
        previous = position


def check_custom_sections(module: Module) -> None:
    """Check the custom sections of ``module`` that wasmport understands."""
    for custom in module.customs:
        if custom.name != SECTION_NAME:
            continue
        for entry in decode_branch_hints(custom.data):
            _check_func_hints(module, entry, custom)


__all__ = ["check_custom_sections"]
