"""Constant expressions (spec "Constant Expressions"): which rows may appear,
and the few rules that differ from those of function bodies."""

from __future__ import annotations

from typing import Dict, Sequence, Set

from ..features import Feature, Features
from ..syntax import opcodes as ops
from ..syntax.ast import Expr, Instr
from ..syntax.opcodes import Op
from ..syntax.types import ValType
from .code import CodeValidator, Rule
from .context import Context
from .rules import rules_for
from .rules.helpers import Nested

#: Rows allowed in constant expressions, with the feature that allows them there.
CONSTANT_ROWS: Dict[Op, Feature] = {
    ops.I32_CONST: Feature.MVP,
    ops.I64_CONST: Feature.MVP,
    ops.F32_CONST: Feature.MVP,
    ops.F64_CONST: Feature.MVP,
    ops.V128_CONST: Feature.SIMD,
    ops.GLOBAL_GET: Feature.MVP,
    ops.REF_NULL: Feature.REFERENCE_TYPES,
    ops.REF_FUNC: Feature.REFERENCE_TYPES,
    ops.I32_ADD: Feature.EXTENDED_CONST,
    ops.I32_SUB: Feature.EXTENDED_CONST,
    ops.I32_MUL: Feature.EXTENDED_CONST,
    ops.I64_ADD: Feature.EXTENDED_CONST,
    ops.I64_SUB: Feature.EXTENDED_CONST,
    ops.I64_MUL: Feature.EXTENDED_CONST,
    ops.REF_I31: Feature.GC,
    ops.STRUCT_NEW: Feature.GC,
    ops.STRUCT_NEW_DEFAULT: Feature.GC,
    ops.ARRAY_NEW: Feature.GC,
    ops.ARRAY_NEW_DEFAULT: Feature.GC,
    ops.ARRAY_NEW_FIXED: Feature.GC,
    ops.ANY_CONVERT_EXTERN: Feature.GC,
    ops.EXTERN_CONVERT_ANY: Feature.GC,
    ops.STRUCT_NEW_DESC: Feature.CUSTOM_DESCRIPTORS,
    ops.STRUCT_NEW_DEFAULT_DESC: Feature.CUSTOM_DESCRIPTORS,
}


class ConstValidator(CodeValidator):
    """A code validator for constant expressions: ``global.get`` sees only
    ``visible_globals`` globals and they must be immutable."""

    def __init__(self, context: Context, rules: Dict[Op, Rule], visible_globals: int,
                 results: Sequence[ValType]) -> None:
        super().__init__(context, rules, (), results)
        self.visible_globals = visible_globals


def _not_constant(v: CodeValidator, instr: Instr) -> Nested:
    raise v.error("constant expression required")


def _global_get(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    visible = v.visible_globals if isinstance(v, ConstValidator) else len(v.context.globals)
    if not 0 <= index < visible:
        raise v.error(f"unknown global {index}")
    global_type = v.context.globals[index]
    if global_type.mutable:
        raise v.error("constant expression required")
    v.vals.append(global_type.value)
    return None


def _ref_func(v: CodeValidator, instr: Instr) -> Nested:
    v.vals.append(v.context.func_ref(instr.args[0], v.offset))
    return None


_CACHE: Dict[Features, Dict[Op, Rule]] = {}


def const_rules(features: Features) -> Dict[Op, Rule]:
    table = _CACHE.get(features)
    if table is None:
        code_rules = rules_for(features)
        table = {}
        for op, rule in code_rules.items():
            feature = CONSTANT_ROWS.get(op)
            if feature is None or feature not in features:
                table[op] = _not_constant
            else:
                table[op] = rule
        table[ops.GLOBAL_GET] = _global_get
        if ops.REF_FUNC.feature in features:
            table[ops.REF_FUNC] = _ref_func
        _CACHE[features] = table
    return table


def check_const(context: Context, expr: Expr, t: ValType, visible_globals: int,
                offset: int = -1) -> None:
    """Check that ``expr`` is a constant expression of type ``t``."""
    validator = ConstValidator(context, const_rules(context.features), visible_globals, (t,))
    validator.run(expr, offset)


def referenced_functions(exprs: Sequence[Expr]) -> Set[int]:
    """Functions named by ``ref.func`` in constant expressions (which are flat)."""
    return {
        instr.args[0] for expr in exprs for instr in expr if instr.op is ops.REF_FUNC
    }


__all__ = ["CONSTANT_ROWS", "check_const", "const_rules", "referenced_functions"]
