"""Rules of the reference instructions (``ref.*``, ``br_on_null``...) and of
exception handling (``throw``, ``throw_ref``, ``try_table`` and the legacy
``try``/``catch``/``delegate``/``rethrow``)."""

from __future__ import annotations

from typing import Dict, Iterator, Optional, Sequence, Tuple

from ...syntax import opcodes as ops
from ...syntax.ast import Catch, CatchKind, Expr, Instr, LegacyCatch
from ...syntax.opcodes import Op
from ...syntax.types import EXNREF, I32, AbsHeapType, RefType, ValType
from ..code import CodeValidator, Rule
from ..matching import types_text
from .helpers import Nested, heap_immediate

EQREF = RefType(True, AbsHeapType.EQ)
EXN_NON_NULL = RefType(False, AbsHeapType.EXN)


def ref_null(v: CodeValidator, instr: Instr) -> Nested:
    heap, exact = heap_immediate(instr.args[0])
    rt = RefType(True, heap, exact)
    v.context.check_ref_type(rt, v.offset)
    v.vals.append(rt)
    return None


def ref_is_null(v: CodeValidator, instr: Instr) -> Nested:
    v.pop_ref()
    v.vals.append(I32)
    return None


def ref_func(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    rt = v.context.func_ref(index, v.offset)
    if index not in v.context.refs:
        raise v.error(f"undeclared function reference {index}")
    v.vals.append(rt)
    return None


def ref_eq(v: CodeValidator, instr: Instr) -> Nested:
    v.pop_val(EQREF)
    v.pop_val(EQREF)
    v.vals.append(I32)
    return None


def ref_as_non_null(v: CodeValidator, instr: Instr) -> Nested:
    rt = v.pop_ref()
    v.vals.append(RefType(False, rt.heap, rt.exact))
    return None


def br_on_null(v: CodeValidator, instr: Instr) -> Nested:
    label = v.label_types(instr.args[0])
    rt = v.pop_ref()
    v.pop_vals(label)
    v.vals.extend(label)
    v.vals.append(RefType(False, rt.heap, rt.exact))
    return None


def br_on_non_null(v: CodeValidator, instr: Instr) -> Nested:
    label = v.label_types(instr.args[0])
    rt = v.pop_ref()
    non_null = RefType(False, rt.heap, rt.exact)
    if not label or not v.types.matches(non_null, label[-1]):
        raise v.error(
            f"type mismatch: instruction requires type {types_text((non_null,))}"
            f" but label has {types_text(label)}"
        )
    rest = label[:-1]
    v.pop_vals(rest)
    v.vals.extend(rest)
    return None


# -- exceptions --------------------------------------------------------------


def throw(v: CodeValidator, instr: Instr) -> Nested:
    v.pop_vals(v.context.tag(instr.args[0], v.offset).params)
    v.unreachable()
    return None


def throw_ref(v: CodeValidator, instr: Instr) -> Nested:
    v.pop_val(EXNREF)
    v.unreachable()
    return None


def _catch_types(v: CodeValidator, catch: Catch) -> Tuple[ValType, ...]:
    params: Tuple[ValType, ...] = ()
    if catch.kind in (CatchKind.CATCH, CatchKind.CATCH_REF):
        params = v.context.tag(catch.tag if catch.tag is not None else -1, v.offset).params
    if catch.kind in (CatchKind.CATCH_REF, CatchKind.CATCH_ALL_REF):
        params = params + (EXN_NON_NULL,)
    return params


def try_table(v: CodeValidator, instr: Instr) -> Nested:
    blocktype, catches, body = instr.args
    params, results = v.context.block_type(blocktype, v.offset)
    v.pop_vals(params)
    for catch in catches:
        carried = _catch_types(v, catch)
        label = v.label_types(catch.label)
        if not v.types.results_match(carried, label):
            raise v.error(
                f"type mismatch: catch handler provides {types_text(carried)}"
                f" but label requires {types_text(label)}"
            )
    v.push_ctrl(instr.op, params, results)
    nested: Expr = body
    return iter(nested)


def _legacy_handlers(
    v: CodeValidator,
    body: Expr,
    catches: Sequence[LegacyCatch],
    delegate: Optional[int],
) -> Iterator[Instr]:
    yield from body
    for handler in catches:
        v.end_frame()
        frame = v.pop_ctrl()
        if handler.tag is None:
            v.push_ctrl(ops.CATCH_ALL, (), frame.end_types)
        else:
            params = v.context.tag(handler.tag, v.offset).params
            v.push_ctrl(ops.CATCH, params, frame.end_types, label=frame.end_types)
        v.ending = None
        v.frame.instr = frame.instr
        yield from handler.body
    if delegate is not None and not 0 <= delegate < len(v.ctrls) - 1:
        v.end_frame()
        raise v.error(f"unknown label {delegate}")


def try_(v: CodeValidator, instr: Instr) -> Nested:
    blocktype, body, catches, delegate = instr.args
    params, results = v.context.block_type(blocktype, v.offset)
    v.pop_vals(params)
    v.push_ctrl(instr.op, params, results)
    return _legacy_handlers(v, body, catches, delegate)


def rethrow(v: CodeValidator, instr: Instr) -> Nested:
    frame = v.label_frame(instr.args[0])
    if frame.opcode is not ops.CATCH and frame.opcode is not ops.CATCH_ALL:
        raise v.error("invalid rethrow label")
    v.unreachable()
    return None


def misplaced(v: CodeValidator, instr: Instr) -> Nested:
    raise v.error(f"misplaced {instr.op.mnemonic}")


RULES: Dict[Op, Rule] = {
    ops.REF_NULL: ref_null,
    ops.REF_IS_NULL: ref_is_null,
    ops.REF_FUNC: ref_func,
    ops.REF_EQ: ref_eq,
    ops.REF_AS_NON_NULL: ref_as_non_null,
    ops.BR_ON_NULL: br_on_null,
    ops.BR_ON_NON_NULL: br_on_non_null,
    ops.THROW: throw,
    ops.THROW_REF: throw_ref,
    ops.TRY_TABLE: try_table,
    ops.TRY: try_,
    ops.RETHROW: rethrow,
    ops.CATCH: misplaced,
    ops.CATCH_ALL: misplaced,
    ops.DELEGATE: misplaced,
}

__all__ = ["RULES"]
