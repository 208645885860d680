"""Translation of the non-structured instructions whose code does not depend on
the control strategy: numbers, variables, calls, references, exceptions.
Branches call the strategy's hooks."""

from __future__ import annotations

from typing import Dict, List, Tuple

from ...numerics import IMPLEMENTATIONS
from ...numerics.simd import SIMD_IMPLEMENTATIONS
from ...syntax import opcodes
from ...syntax.ast import Catch, Instr
from ...syntax.opcodes import Imm, Op
from .inline import BOOL_TEMPLATES, VALUE_TEMPLATES
from .stackmodel import Entry, Kind, deferred
from .translator import HANDLERS, Translator, float_bits_const

I32_MASK = 0xFFFFFFFF
I64_MASK = 0xFFFFFFFFFFFFFFFF


def numeric_name(op: Op) -> str:
    """The namespace name of an op's numerics function."""
    return f"N_{op.name}"


def _immediates(instr: Instr) -> List[str]:
    out: List[str] = []
    for kind, value in zip(instr.op.imms, instr.args):
        if kind is Imm.SHUFFLE:
            out.append(repr(tuple(value)))
        elif kind is Imm.V128:
            out.append(repr(bytes(value)))
        else:
            out.append(repr(value))
    return out


def _numeric(t: Translator, instr: Instr) -> None:
    op = instr.op
    params = op.params or ()
    results = op.results or ()
    entries = t.stack.pop_n(len(params))
    position = len(t.stack)
    bool_template = BOOL_TEMPLATES.get(op)
    if bool_template is not None:
        expression = bool_template.format(*(entry.value for entry in entries))
        entry = deferred(expression, Kind.BOOL, entries, position)
        if entry is not None:
            t.stack.push(entry)
        else:
            t.assign(1, f"1 if {expression} else 0")
        return
    template = VALUE_TEMPLATES.get(op)
    if template == "{0}":
        t.stack.push(entries[0])
        return
    if template is not None:
        expression = template.format(*(entry.value for entry in entries))
        entry = deferred(expression, Kind.EXPR, entries, position)
        if entry is not None:
            t.stack.push(entry)
        else:
            t.assign(1, expression)
        return
    args = [entry.value for entry in entries] + _immediates(instr)
    t.assign(len(results), f"{numeric_name(op)}({', '.join(args)})")


def _const_i32(t: Translator, instr: Instr) -> None:
    t.push_const(str(instr.args[0] & I32_MASK))


def _const_i64(t: Translator, instr: Instr) -> None:
    t.push_const(str(instr.args[0] & I64_MASK))


def _const_v128(t: Translator, instr: Instr) -> None:
    t.push_const(str(int.from_bytes(bytes(instr.args[0]), "little")))


def _nop(t: Translator, instr: Instr) -> None:
    pass


def _unreachable(t: Translator, instr: Instr) -> None:
    t.emit("UNREACHABLE()")
    t.dead = True


def _drop(t: Translator, instr: Instr) -> None:
    t.stack.pop()


def _select(t: Translator, instr: Instr) -> None:
    condition = t.stack.pop().condition
    second = t.pop_value()
    first = t.pop_value()
    t.assign(1, f"{first} if {condition} else {second}")


def _local_get(t: Translator, instr: Instr) -> None:
    index = instr.args[0]
    t.stack.push(Entry(t.local_name(index), Kind.LOCAL, frozenset((index,))))


def _local_set(t: Translator, instr: Instr) -> None:
    index = instr.args[0]
    entry = t.stack.pop()
    t.stack.spill_local(index)
    name = t.local_name(index)
    fresh = entry.kind is Kind.SLOT and entry.expr == f"s{len(t.stack)}"
    if not (fresh and t.retarget_last(entry.expr, name)):
        t.emit(f"{name} = {entry.value}")


def _local_tee(t: Translator, instr: Instr) -> None:
    _local_set(t, instr)
    _local_get(t, instr)


def _global_get(t: Translator, instr: Instr) -> None:
    t.assign(1, f"G{instr.args[0]}.value")


def _global_set(t: Translator, instr: Instr) -> None:
    t.emit(f"G{instr.args[0]}.value = {t.pop_value()}")


# ------------------------------------------------------------------ branches


def _br(t: Translator, instr: Instr) -> None:
    t.branch(t.label(instr.args[0]))
    t.dead = True


def _br_if(t: Translator, instr: Instr) -> None:
    condition = t.stack.pop().condition
    t.branch_if(condition, t.label(instr.args[0]))
    t.start_run()


def _br_table(t: Translator, instr: Instr) -> None:
    targets, default = instr.args[0]
    index = t.pop_value()
    frames = [t.label(depth) for depth in targets]
    t.branch_table(index, frames, t.label(default))
    t.dead = True


def _return(t: Translator, instr: Instr) -> None:
    t.emit(t.return_line())
    t.dead = True


# ------------------------------------------------------------------ calls


def _call_args(t: Translator, count: int) -> str:
    return "".join(f", {value}" for value in t.pop_values(count))


def _call(t: Translator, instr: Instr) -> None:
    index = instr.args[0]
    func_type = t.func_type_of(index)
    args = _call_args(t, len(func_type.params))
    # An import is called through its FuncInstance, so the call always reaches
    # its current code (a stub is replaced once the callee is translated).
    callee = f"FI{index}.fast" if index < t.imported_funcs else f"F{index}"
    t.assign(len(func_type.results), f"{callee}(e{args})")


def _indirect_target(t: Translator, type_index: int, table: int) -> str:
    element = t.pop_value()
    return f"CALL_INDIRECT(T{table}, {element}, TY{type_index})"


def _call_indirect(t: Translator, instr: Instr) -> None:
    type_index, table = instr.args[0], instr.args[1]
    func_type = t.module.func_type(type_index)
    target = _indirect_target(t, type_index, table)
    args = _call_args(t, len(func_type.params))
    t.assign(len(func_type.results), f"{target}.fast(e{args})")


def _return_call(t: Translator, instr: Instr) -> None:
    index = instr.args[0]
    func_type = t.func_type_of(index)
    args = t.pop_values(len(func_type.params))
    if index == t.func_index and t.restart is not None:
        t.restart_call(args)
    else:
        t.uses_tail_calls = True
        t.emit(f"return TAIL((B{index}, d{''.join(', ' + a for a in args)}))")
    t.dead = True


def _return_call_indirect(t: Translator, instr: Instr) -> None:
    type_index, table = instr.args[0], instr.args[1]
    func_type = t.module.func_type(type_index)
    target = _indirect_target(t, type_index, table)
    args = t.pop_values(len(func_type.params))
    t.uses_tail_calls = True
    t.emit(f"return TAIL(({target}.body, d{''.join(', ' + a for a in args)}))")
    t.dead = True


def _call_ref(t: Translator, instr: Instr) -> None:
    func_type = t.module.func_type(instr.args[0])
    target = f"CALL_REF({t.pop_value()})"
    args = _call_args(t, len(func_type.params))
    t.assign(len(func_type.results), f"{target}.fast(e{args})")


def _return_call_ref(t: Translator, instr: Instr) -> None:
    func_type = t.module.func_type(instr.args[0])
    target = f"CALL_REF({t.pop_value()})"
    args = t.pop_values(len(func_type.params))
    t.uses_tail_calls = True
    t.emit(f"return TAIL(({target}.body, d{''.join(', ' + a for a in args)}))")
    t.dead = True


# ------------------------------------------------------------------ references


def _ref_null(t: Translator, instr: Instr) -> None:
    t.push_const("None")


def _ref_is_null(t: Translator, instr: Instr) -> None:
    entry = t.stack.pop()
    deferred_entry = deferred(f"{entry.value} is None", Kind.BOOL, [entry], len(t.stack))
    if deferred_entry is not None:
        t.stack.push(deferred_entry)
    else:
        t.assign(1, f"1 if {entry.value} is None else 0")


def _ref_func(t: Translator, instr: Instr) -> None:
    t.push_const(f"FI{instr.args[0]}")


def _ref_as_non_null(t: Translator, instr: Instr) -> None:
    t.assign(1, f"NON_NULL({t.pop_value()})")


def _ref_eq(t: Translator, instr: Instr) -> None:
    second, first = t.pop_value(), t.pop_value()
    t.assign(1, f"1 if {first} is {second} else 0")


def _br_on_null(t: Translator, instr: Instr) -> None:
    t.emit(f"_r = {t.pop_value()}")
    t.branch_if("_r is None", t.label(instr.args[0]))
    t.start_run()
    t.assign(1, "_r")


def _br_on_non_null(t: Translator, instr: Instr) -> None:
    reference = t.pop_value()
    target = t.push_results(1)
    t.emit(f"{target} = {reference}")
    t.branch_if(f"{target} is not None", t.label(instr.args[0]))
    t.start_run()
    t.stack.pop()


# ------------------------------------------------------------------ exceptions


def _throw(t: Translator, instr: Instr) -> None:
    tag = instr.args[0]
    count = t.tag_arity(tag)
    values = t.pop_values(count)
    payload = "".join(value + ", " for value in values)
    t.emit(f"raise THROWN(EXN(TG{tag}, ({payload})))")
    t.dead = True


def _throw_ref(t: Translator, instr: Instr) -> None:
    t.emit(f"THROW_REF({t.pop_value()})")
    t.dead = True


def catch_moves(catch: Catch, arity: int, base: int) -> str:
    """The assignment putting a caught exception's values in a label's slots."""
    targets = [f"s{base + offset}" for offset in range(arity)]
    if not targets:
        return ""
    values: List[str] = []
    with_payload = catch.kind.value in (0, 1)
    with_ref = catch.kind.value in (1, 3)
    payload_count = arity - (1 if with_ref else 0)
    if with_payload:
        values.extend(f"_x.payload[{index}]" for index in range(payload_count))
    if with_ref:
        values.append("_x")
    return f"{', '.join(targets)} = {', '.join(values)}"


_SPECIFIC: Dict[Op, object] = {
    opcodes.NOP: _nop,
    opcodes.UNREACHABLE: _unreachable,
    opcodes.DROP: _drop,
    opcodes.SELECT: _select,
    opcodes.SELECT_T: _select,
    opcodes.LOCAL_GET: _local_get,
    opcodes.LOCAL_SET: _local_set,
    opcodes.LOCAL_TEE: _local_tee,
    opcodes.GLOBAL_GET: _global_get,
    opcodes.GLOBAL_SET: _global_set,
    opcodes.BR: _br,
    opcodes.BR_IF: _br_if,
    opcodes.BR_TABLE: _br_table,
    opcodes.RETURN: _return,
    opcodes.CALL: _call,
    opcodes.CALL_INDIRECT: _call_indirect,
    opcodes.RETURN_CALL: _return_call,
    opcodes.RETURN_CALL_INDIRECT: _return_call_indirect,
    opcodes.CALL_REF: _call_ref,
    opcodes.RETURN_CALL_REF: _return_call_ref,
    opcodes.REF_NULL: _ref_null,
    opcodes.REF_IS_NULL: _ref_is_null,
    opcodes.REF_FUNC: _ref_func,
    opcodes.REF_AS_NON_NULL: _ref_as_non_null,
    opcodes.REF_EQ: _ref_eq,
    opcodes.BR_ON_NULL: _br_on_null,
    opcodes.BR_ON_NON_NULL: _br_on_non_null,
    opcodes.THROW: _throw,
    opcodes.THROW_REF: _throw_ref,
    opcodes.I32_CONST: _const_i32,
    opcodes.I64_CONST: _const_i64,
    opcodes.F32_CONST: lambda t, instr: float_bits_const(t, instr.args[0], True),
    opcodes.F64_CONST: lambda t, instr: float_bits_const(t, instr.args[0], False),
    opcodes.V128_CONST: _const_v128,
}


def register() -> Tuple[int, int]:
    """Fill :data:`HANDLERS`; returns (specific, numeric) counts."""
    for op, handler in _SPECIFIC.items():
        HANDLERS[op] = handler  # type: ignore[assignment]
    numeric = 0
    for op in list(IMPLEMENTATIONS) + list(SIMD_IMPLEMENTATIONS):
        if op not in HANDLERS:
            HANDLERS[op] = _numeric
            numeric += 1
    return len(_SPECIFIC), numeric


register()

__all__ = ["catch_moves", "numeric_name", "register"]
