"""Rules of the control instructions: blocks, branches, returns and calls."""

from __future__ import annotations

from typing import Dict, Iterator, Optional

from ...syntax import opcodes as ops
from ...syntax.ast import Expr, Instr
from ...syntax.opcodes import Op
from ...syntax.types import FUNCREF, I32, FuncType, RefType
from ..code import CodeValidator, Rule
from ..matching import types_text
from .helpers import Nested, address_of


def unreachable(v: CodeValidator, instr: Instr) -> Nested:
    v.unreachable()
    return None


def misplaced(v: CodeValidator, instr: Instr) -> Nested:
    """``end``, ``else`` and the legacy handler markers never appear inside a
    body of the AST: the structure they delimit is already nested."""
    raise v.error(f"misplaced {instr.op.mnemonic}")


def block(v: CodeValidator, instr: Instr) -> Nested:
    params, results = v.context.block_type(instr.args[0], v.offset)
    v.pop_vals(params)
    v.push_ctrl(instr.op, params, results)
    body: Expr = instr.args[1]
    return iter(body)


def loop(v: CodeValidator, instr: Instr) -> Nested:
    params, results = v.context.block_type(instr.args[0], v.offset)
    v.pop_vals(params)
    v.push_ctrl(instr.op, params, results, label=params)
    body: Expr = instr.args[1]
    return iter(body)


def _if_arms(v: CodeValidator, then_body: Expr, else_body: Optional[Expr]) -> Iterator[Instr]:
    yield from then_body
    v.end_frame()
    frame = v.pop_ctrl()
    v.ending = None
    v.push_ctrl(ops.ELSE, frame.start_types, frame.end_types)
    v.frame.instr = frame.instr
    if else_body:
        yield from else_body


def if_(v: CodeValidator, instr: Instr) -> Nested:
    params, results = v.context.block_type(instr.args[0], v.offset)
    v.pop_val(I32)
    v.pop_vals(params)
    v.push_ctrl(instr.op, params, results)
    return _if_arms(v, instr.args[1], instr.args[2])


def br(v: CodeValidator, instr: Instr) -> Nested:
    v.pop_vals(v.label_types(instr.args[0]))
    v.unreachable()
    return None


def br_if(v: CodeValidator, instr: Instr) -> Nested:
    label = v.label_types(instr.args[0])
    v.pop_val(I32)
    v.pop_vals(label)
    v.vals.extend(label)
    return None


def br_table(v: CodeValidator, instr: Instr) -> Nested:
    targets, default = instr.args[0]
    v.pop_val(I32)
    default_types = v.label_types(default)
    arity = len(default_types)
    for target in targets:
        label = v.label_types(target)
        if len(label) != arity:
            raise v.error(
                f"type mismatch: br_table target requires {types_text(label)}"
                f" but default target requires {types_text(default_types)}"
            )
        v.vals.extend(v.pop_vals(label))
    v.pop_vals(default_types)
    v.unreachable()
    return None


def return_(v: CodeValidator, instr: Instr) -> Nested:
    v.pop_vals(v.results)
    v.unreachable()
    return None


def _call(v: CodeValidator, ft: FuncType) -> None:
    v.pop_vals(ft.params)
    v.vals.extend(ft.results)


def _tail_call(v: CodeValidator, ft: FuncType) -> None:
    if not v.types.results_match(ft.results, v.results):
        raise v.error(
            f"type mismatch: current function requires result type {types_text(v.results)}"
            f" but callee returns {types_text(ft.results)}"
        )
    v.pop_vals(ft.params)
    v.unreachable()


def call(v: CodeValidator, instr: Instr) -> Nested:
    _call(v, v.context.func_type(v.context.func(instr.args[0], v.offset), v.offset))
    return None


def return_call(v: CodeValidator, instr: Instr) -> Nested:
    _tail_call(v, v.context.func_type(v.context.func(instr.args[0], v.offset), v.offset))
    return None


def _indirect(v: CodeValidator, instr: Instr) -> FuncType:
    type_index, table_index = instr.args[0], instr.args[1]
    table = v.context.table(table_index, v.offset)
    ft = v.context.func_type(type_index, v.offset)
    if not v.types.ref_matches(table.element, FUNCREF):
        raise v.error(
            "type mismatch: instruction requires table of function type"
            f" but table has element type {types_text((table.element,))}"
        )
    v.pop_val(address_of(table.limits))
    return ft


def call_indirect(v: CodeValidator, instr: Instr) -> Nested:
    _call(v, _indirect(v, instr))
    return None


def return_call_indirect(v: CodeValidator, instr: Instr) -> Nested:
    _tail_call(v, _indirect(v, instr))
    return None


def _ref_callee(v: CodeValidator, instr: Instr) -> FuncType:
    type_index = instr.args[0]
    ft = v.context.func_type(type_index, v.offset)
    v.pop_val(RefType(True, type_index))
    return ft


def call_ref(v: CodeValidator, instr: Instr) -> Nested:
    _call(v, _ref_callee(v, instr))
    return None


def return_call_ref(v: CodeValidator, instr: Instr) -> Nested:
    _tail_call(v, _ref_callee(v, instr))
    return None


RULES: Dict[Op, Rule] = {
    ops.UNREACHABLE: unreachable,
    ops.BLOCK: block,
    ops.LOOP: loop,
    ops.IF: if_,
    ops.ELSE: misplaced,
    ops.END: misplaced,
    ops.BR: br,
    ops.BR_IF: br_if,
    ops.BR_TABLE: br_table,
    ops.RETURN: return_,
    ops.CALL: call,
    ops.CALL_INDIRECT: call_indirect,
    ops.RETURN_CALL: return_call,
    ops.RETURN_CALL_INDIRECT: return_call_indirect,
    ops.CALL_REF: call_ref,
    ops.RETURN_CALL_REF: return_call_ref,
}

__all__ = ["RULES"]
