"""Rules of the parametric (``drop``, ``select``) and variable instructions."""

from __future__ import annotations

from typing import Dict

from ...syntax import opcodes as ops
from ...syntax.ast import Instr
from ...syntax.opcodes import Op
from ...syntax.types import I32, RefType
from ..code import CodeValidator, Rule
from ..matching import type_text
from .helpers import Nested


def drop(v: CodeValidator, instr: Instr) -> Nested:
    v.pop_any()
    return None


def select(v: CodeValidator, instr: Instr) -> Nested:
    v.pop_val(I32)
    t1 = v.pop_any()
    t2 = v.pop_any()
    for t in (t1, t2):
        if isinstance(t, RefType):
            raise v.error(
                "type mismatch: instruction requires numeric or vector type"
                f" but stack has {type_text(t)}"
            )
    if t1 is not None and t2 is not None and t1 is not t2:
        raise v.error(f"type mismatch: select operands {type_text(t2)} and {type_text(t1)}")
    v.vals.append(t2 if t1 is None else t1)
    return None


def select_typed(v: CodeValidator, instr: Instr) -> Nested:
    types = instr.args[0]
    if len(types) != 1:
        raise v.error("invalid result arity")
    t = types[0]
    v.context.check_val_type(t, v.offset)
    v.pop_val(I32)
    v.pop_val(t)
    v.pop_val(t)
    v.vals.append(t)
    return None


def local_get(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    if 0 <= index < len(v.locals) and v.inits[index]:
        v.vals.append(v.locals[index])
        return None
    v.local(index)
    raise v.error("uninitialized local")


def local_set(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    t = v.local(index)
    vals = v.vals
    if len(vals) > v.frame.height and vals[-1] is t:
        del vals[-1]
    else:
        v.pop_val(t)
    if not v.inits[index]:
        v.init_local(index)
    return None


def local_tee(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    t = v.local(index)
    v.pop_val(t)
    v.init_local(index)
    v.vals.append(t)
    return None


def global_get(v: CodeValidator, instr: Instr) -> Nested:
    v.vals.append(v.context.global_(instr.args[0], v.offset).value)
    return None


def global_set(v: CodeValidator, instr: Instr) -> Nested:
    global_type = v.context.global_(instr.args[0], v.offset)
    if not global_type.mutable:
        raise v.error("immutable global")
    v.pop_val(global_type.value)
    return None


RULES: Dict[Op, Rule] = {
    ops.DROP: drop,
    ops.SELECT: select,
    ops.SELECT_T: select_typed,
    ops.LOCAL_GET: local_get,
    ops.LOCAL_SET: local_set,
    ops.LOCAL_TEE: local_tee,
    ops.GLOBAL_GET: global_get,
    ops.GLOBAL_SET: global_set,
}

__all__ = ["RULES"]
