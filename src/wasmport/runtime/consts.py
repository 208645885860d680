"""Constant expressions (global initialisers, segment offsets and items),
including extended-const arithmetic, evaluated with :mod:`wasmport.numerics`."""

from __future__ import annotations

from typing import Any, Callable, Dict, List

from ..errors import InternalError
from ..numerics import IMPLEMENTATIONS, f32_from_bits, f64_from_bits
from ..numerics.simd import v128_const
from ..syntax import opcodes
from ..syntax.ast import Expr, Instr
from .instances import ModuleInstance

Handler = Callable[[Instr, List[Any], ModuleInstance], None]


def _push_arg(convert: Callable[[Any], Any]) -> Handler:
    def handler(instr: Instr, stack: List[Any], instance: ModuleInstance) -> None:
        stack.append(convert(instr.args[0]))

    return handler


def _global_get(instr: Instr, stack: List[Any], instance: ModuleInstance) -> None:
    stack.append(instance.globals[instr.args[0]].value)


def _ref_null(instr: Instr, stack: List[Any], instance: ModuleInstance) -> None:
    stack.append(None)


def _ref_func(instr: Instr, stack: List[Any], instance: ModuleInstance) -> None:
    stack.append(instance.funcs[instr.args[0]])


def _numeric(instr: Instr, stack: List[Any], instance: ModuleInstance) -> None:
    function = IMPLEMENTATIONS[instr.op]
    arity = len(instr.op.params or ())
    args = stack[len(stack) - arity:]
    del stack[len(stack) - arity:]
    stack.append(function(*args))


_HANDLERS: Dict[opcodes.Op, Handler] = {
    opcodes.I32_CONST: _push_arg(lambda value: value & 0xFFFFFFFF),
    opcodes.I64_CONST: _push_arg(lambda value: value & 0xFFFFFFFFFFFFFFFF),
    opcodes.F32_CONST: _push_arg(f32_from_bits),
    opcodes.F64_CONST: _push_arg(f64_from_bits),
    opcodes.V128_CONST: _push_arg(v128_const),
    opcodes.GLOBAL_GET: _global_get,
    opcodes.REF_NULL: _ref_null,
    opcodes.REF_FUNC: _ref_func,
}
for _op in (opcodes.I32_ADD, opcodes.I32_SUB, opcodes.I32_MUL,
            opcodes.I64_ADD, opcodes.I64_SUB, opcodes.I64_MUL):
    _HANDLERS[_op] = _numeric


def evaluate(expr: Expr, instance: ModuleInstance) -> Any:
    """The value of the constant expression ``expr`` in ``instance``."""
    stack: List[Any] = []
    for instr in expr:
        handler = _HANDLERS.get(instr.op)
        if handler is None:
            raise InternalError(f"{instr.op.mnemonic} in a constant expression")
        handler(instr, stack, instance)
    if len(stack) != 1:
        raise InternalError("constant expression leaves no single value")
    return stack[0]


__all__ = ["evaluate"]
