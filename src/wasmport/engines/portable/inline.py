"""Python templates for the simplest numeric instructions, emitted inline
instead of calling :mod:`wasmport.numerics` (tests check each against it).

``VALUE_TEMPLATES`` produce a runtime value; ``BOOL_TEMPLATES`` a Python
boolean (an i32 0/1 when used as a value). ``{0}``, ``{1}`` are the operands
in stack order, each a simple Python expression.
"""

from __future__ import annotations

from typing import Dict

from ...syntax import opcodes
from ...syntax.opcodes import Op

M32 = "0xFFFFFFFF"
M64 = "0xFFFFFFFFFFFFFFFF"

VALUE_TEMPLATES: Dict[Op, str] = {
    opcodes.I32_ADD: f"({{0}} + {{1}}) & {M32}",
    opcodes.I32_SUB: f"({{0}} - {{1}}) & {M32}",
    opcodes.I32_MUL: f"({{0}} * {{1}}) & {M32}",
    opcodes.I32_AND: "{0} & {1}",
    opcodes.I32_OR: "{0} | {1}",
    opcodes.I32_XOR: "{0} ^ {1}",
    opcodes.I32_SHL: f"({{0}} << ({{1}} & 31)) & {M32}",
    opcodes.I32_SHR_U: "{0} >> ({1} & 31)",
    opcodes.I64_ADD: f"({{0}} + {{1}}) & {M64}",
    opcodes.I64_SUB: f"({{0}} - {{1}}) & {M64}",
    opcodes.I64_MUL: f"({{0}} * {{1}}) & {M64}",
    opcodes.I64_AND: "{0} & {1}",
    opcodes.I64_OR: "{0} | {1}",
    opcodes.I64_XOR: "{0} ^ {1}",
    opcodes.I64_SHL: f"({{0}} << ({{1}} & 63)) & {M64}",
    opcodes.I64_SHR_U: "{0} >> ({1} & 63)",
    opcodes.I32_WRAP_I64: f"{{0}} & {M32}",
    opcodes.I64_EXTEND_I32_U: "{0}",
    opcodes.F64_ADD: "{0} + {1}",
    opcodes.F64_SUB: "{0} - {1}",
    opcodes.F64_MUL: "{0} * {1}",
}

BOOL_TEMPLATES: Dict[Op, str] = {
    opcodes.I32_EQZ: "{0} == 0",
    opcodes.I32_EQ: "{0} == {1}",
    opcodes.I32_NE: "{0} != {1}",
    opcodes.I32_LT_U: "{0} < {1}",
    opcodes.I32_GT_U: "{0} > {1}",
    opcodes.I32_LE_U: "{0} <= {1}",
    opcodes.I32_GE_U: "{0} >= {1}",
    opcodes.I32_LT_S: "({0} ^ 0x80000000) < ({1} ^ 0x80000000)",
    opcodes.I32_GT_S: "({0} ^ 0x80000000) > ({1} ^ 0x80000000)",
    opcodes.I32_LE_S: "({0} ^ 0x80000000) <= ({1} ^ 0x80000000)",
    opcodes.I32_GE_S: "({0} ^ 0x80000000) >= ({1} ^ 0x80000000)",
    opcodes.I64_EQZ: "{0} == 0",
    opcodes.I64_EQ: "{0} == {1}",
    opcodes.I64_NE: "{0} != {1}",
    opcodes.I64_LT_U: "{0} < {1}",
    opcodes.I64_GT_U: "{0} > {1}",
    opcodes.I64_LE_U: "{0} <= {1}",
    opcodes.I64_GE_U: "{0} >= {1}",
    opcodes.I64_LT_S: "({0} ^ 0x8000000000000000) < ({1} ^ 0x8000000000000000)",
    opcodes.I64_GT_S: "({0} ^ 0x8000000000000000) > ({1} ^ 0x8000000000000000)",
    opcodes.I64_LE_S: "({0} ^ 0x8000000000000000) <= ({1} ^ 0x8000000000000000)",
    opcodes.I64_GE_S: "({0} ^ 0x8000000000000000) >= ({1} ^ 0x8000000000000000)",
    opcodes.F32_EQ: "{0} == {1}",
    opcodes.F32_NE: "{0} != {1}",
    opcodes.F32_LT: "{0} < {1}",
    opcodes.F32_GT: "{0} > {1}",
    opcodes.F32_LE: "{0} <= {1}",
    opcodes.F32_GE: "{0} >= {1}",
    opcodes.F64_EQ: "{0} == {1}",
    opcodes.F64_NE: "{0} != {1}",
    opcodes.F64_LT: "{0} < {1}",
    opcodes.F64_GT: "{0} > {1}",
    opcodes.F64_LE: "{0} <= {1}",
    opcodes.F64_GE: "{0} >= {1}",
}

__all__ = ["BOOL_TEMPLATES", "VALUE_TEMPLATES"]
