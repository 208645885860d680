"""Helpers shared by the scalar numerics tests.

* conversions between raw bit patterns (how scripts, the AST and wasmtime's
  reinterpret-based harness carry numbers) and the runtime form;
* :func:`result_matches`, the comparison the spec allows: bit for bit, except
  that NaN results are checked for their class (canonical/arithmetic);
* :func:`straight_line`, which turns a function body made only of
  ``local.get``, constants and numeric instructions into a Python evaluator over
  :data:`wasmport.numerics.IMPLEMENTATIONS`.
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Sequence, Tuple

from wasmport import numerics
from wasmport.syntax import opcodes
from wasmport.syntax.ast import Instr
from wasmport.syntax.types import NumType

MASKS = {NumType.I32: 0xFFFFFFFF, NumType.I64: 0xFFFFFFFFFFFFFFFF}
WIDTHS = {NumType.F32: 32, NumType.F64: 64}


def to_runtime(type_: NumType, raw: int) -> Any:
    """The runtime value of an integer (signed or unsigned) or float bit pattern."""
    if type_ is NumType.F32:
        return numerics.f32_from_bits(raw)
    if type_ is NumType.F64:
        return numerics.f64_from_bits(raw)
    return raw & MASKS[type_]


def to_bits(type_: NumType, value: Any) -> int:
    """The unsigned bit pattern of a runtime value."""
    if type_ is NumType.F32:
        return numerics.f32_to_bits(value)
    if type_ is NumType.F64:
        return numerics.f64_to_bits(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{type_.text} result is not an int: {value!r}")
    if not 0 <= value <= MASKS[type_]:
        raise ValueError(f"{type_.text} result out of canonical range: {value:#x}")
    return value


def is_nan_bits(type_: NumType, bits: int) -> bool:
    if type_ is NumType.F32:
        return bits & 0x7F800000 == 0x7F800000 and bits & 0x7FFFFF != 0
    if type_ is NumType.F64:
        return bits & 0x7FF0000000000000 == 0x7FF0000000000000 and bits & 0xFFFFFFFFFFFFF != 0
    return False


def nan_kind(type_: NumType, bits: int) -> str:
    """'canonical', 'arithmetic' or 'signalling' for a NaN bit pattern."""
    width = WIDTHS[type_]
    if numerics.is_canonical_nan_bits(bits, width):
        return "canonical"
    if numerics.is_arithmetic_nan_bits(bits, width):
        return "arithmetic"
    return "signalling"


Operand = Tuple[str, Any]  # ("local", index) or ("const", runtime value)


def straight_line(
    body: Sequence[Instr], params: Sequence[NumType]
) -> Optional[Callable[..., Tuple[Any, ...]]]:
    """An evaluator for ``body`` if it only reads parameters, pushes constants and
    applies numeric rows of :data:`IMPLEMENTATIONS`; None otherwise."""
    steps: List[Tuple[str, Any]] = []
    used_numeric = False
    for instr in body:
        op = instr.op
        if op is opcodes.LOCAL_GET and instr.args[0] < len(params):
            steps.append(("local", instr.args[0]))
        elif op in _CONSTS:
            steps.append(("const", to_runtime(_CONSTS[op], instr.args[0])))
        elif op in numerics.IMPLEMENTATIONS:
            steps.append(("apply", op))
            used_numeric = True
        else:
            return None
    if not used_numeric:
        return None

    def run(*args: Any) -> Tuple[Any, ...]:
        stack: List[Any] = []
        for kind, payload in steps:
            if kind == "local":
                stack.append(args[payload])
            elif kind == "const":
                stack.append(payload)
            else:
                arity = len(payload.params)
                operands = stack[len(stack) - arity :]
                del stack[len(stack) - arity :]
                result = numerics.IMPLEMENTATIONS[payload](*operands)
                if len(payload.results) == 1:
                    stack.append(result)
                else:
                    stack.extend(result)
        return tuple(stack)

    return run


_CONSTS = {
    opcodes.I32_CONST: NumType.I32,
    opcodes.I64_CONST: NumType.I64,
    opcodes.F32_CONST: NumType.F32,
    opcodes.F64_CONST: NumType.F64,
}
