"""The SIMD spec scripts' ``assert_return`` commands, evaluated with the numerics alone.

Most functions in ``simd_*.wast``/``relaxed_*.wast`` are a few numeric
instructions over their parameters, e.g. ``(i8x16.add (local.get 0) (local.get 1))``.
Such bodies (``local.get``, constants, ``0xFD`` value rows and scalar numeric
rows only) are evaluated here with the numerics functions, so the scripts'
``assert_return`` commands check :mod:`wasmport.numerics.simd` without an engine.
Functions with anything else (memory, control, calls) are not evaluable;
``either`` alternatives and per-lane ``nan:canonical``/``nan:arithmetic`` patterns
are matched by the script matcher.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import pytest
from shared_suites import suite_path

from wasmport.numerics import (
    IMPLEMENTATIONS,
    f32_from_bits,
    f32_to_bits,
    f64_from_bits,
    f64_to_bits,
)
from wasmport.numerics.simd import SIMD_IMPLEMENTATIONS
from wasmport.script import ast as script
from wasmport.script.matching import matches
from wasmport.script.parser import parse_script
from wasmport.syntax import ast, opcodes
from wasmport.syntax.types import FuncType, NumType
from wasmport.text import module_from_sexpr

_MASKS = {NumType.I32: (1 << 32) - 1, NumType.I64: (1 << 64) - 1}


def to_runtime(value: script.Value) -> Any:
    """A script argument in the runtime representation."""
    if isinstance(value, script.V128Value):
        return int.from_bytes(value.data, "little")
    if not isinstance(value, script.NumValue):
        raise TypeError(f"not a numeric argument: {value!r}")
    if value.type is NumType.F32:
        return f32_from_bits(value.value)
    if value.type is NumType.F64:
        return f64_from_bits(value.value)
    return value.value & _MASKS[value.type]


def to_script(value: Any, type_: NumType) -> script.Value:
    """A runtime result as the script value the matcher expects."""
    if type_ is NumType.V128:
        return script.V128Value(value.to_bytes(16, "little"))
    if type_ is NumType.F32:
        return script.NumValue(type_, f32_to_bits(value))
    if type_ is NumType.F64:
        return script.NumValue(type_, f64_to_bits(value))
    width = 32 if type_ is NumType.I32 else 64
    signed = value - (1 << width) if value >> (width - 1) else value
    return script.NumValue(type_, signed)


def constant(instr: ast.Instr) -> Any:
    op = instr.op
    if op is opcodes.V128_CONST:
        return int.from_bytes(instr.args[0], "little")
    if op is opcodes.F32_CONST:
        return f32_from_bits(instr.args[0])
    if op is opcodes.F64_CONST:
        return f64_from_bits(instr.args[0])
    return instr.args[0] & _MASKS[NumType.I32 if op is opcodes.I32_CONST else NumType.I64]


CONSTANTS = frozenset(
    {opcodes.I32_CONST, opcodes.I64_CONST, opcodes.F32_CONST, opcodes.F64_CONST, opcodes.V128_CONST}
)


def numeric_function(op: opcodes.Op) -> Optional[Callable[..., Any]]:
    found = SIMD_IMPLEMENTATIONS.get(op)
    if found is not None and op is not opcodes.V128_CONST:
        return found
    return IMPLEMENTATIONS.get(op)


@dataclass(frozen=True)
class Evaluable:
    """A function whose body this evaluator can run."""

    type: FuncType
    body: Tuple[ast.Instr, ...]

    def run(self, args: Sequence[Any]) -> Tuple[Any, ...]:
        stack: List[Any] = []
        for instr in self.body:
            op = instr.op
            if op is opcodes.LOCAL_GET:
                stack.append(args[instr.args[0]])
            elif op in CONSTANTS:
                stack.append(constant(instr))
            else:
                function = numeric_function(op)
                if function is None or op.params is None:
                    raise TypeError(f"{op.mnemonic} is not evaluable")
                count = len(op.params)
                operands = stack[len(stack) - count :]
                del stack[len(stack) - count :]
                stack.append(function(*operands, *instr.args))
        return tuple(stack)


def _evaluable(module: ast.Module, func: ast.Func) -> Optional[Evaluable]:
    if func.locals:
        return None
    for instr in func.body:
        if instr.op is opcodes.LOCAL_GET or instr.op in CONSTANTS:
            continue
        if numeric_function(instr.op) is None or instr.op.params is None:
            return None
    signature = func_type(module, func.type_index)
    if signature is None:
        return None
    return Evaluable(signature, func.body)


def func_type(module: ast.Module, index: int) -> Optional[FuncType]:
    types = [sub.composite for rec in module.types for sub in rec.subtypes]
    found = types[index]
    return found if isinstance(found, FuncType) else None


def evaluable_exports(module: ast.Module) -> Dict[str, Evaluable]:
    imported = sum(1 for item in module.imports if item.kind is ast.ExternKind.FUNC)
    found: Dict[str, Evaluable] = {}
    for export in module.exports:
        if export.kind is not ast.ExternKind.FUNC or export.index < imported:
            continue
        evaluable = _evaluable(module, module.funcs[export.index - imported])
        if evaluable is not None:
            found[export.name] = evaluable
    return found


@dataclass
class Outcome:
    checked: int = 0
    not_evaluable: int = 0
    failures: Tuple[str, ...] = ()


def run_script(path: Path) -> Outcome:
    """Check every ``assert_return`` of ``path`` whose function is evaluable."""
    commands = parse_script(path.read_text(), str(path)).commands
    outcome = Outcome()
    failures: List[str] = []
    current: Dict[str, Evaluable] = {}
    named: Dict[str, Dict[str, Evaluable]] = {}
    for command in commands:
        if isinstance(command, script.ModuleCommand) and isinstance(
            command.source, script.TextModule
        ):
            current = evaluable_exports(module_from_sexpr(command.source.node))
            if command.id is not None:
                named[command.id] = current
            continue
        if isinstance(command, script.ModuleCommand):
            current = {}
            continue
        if not isinstance(command, script.AssertReturn) or not isinstance(
            command.action, script.Invoke
        ):
            continue
        action = command.action
        exports = named.get(action.module, {}) if action.module is not None else current
        function = exports.get(action.name)
        if function is None:
            outcome.not_evaluable += 1
            continue
        outcome.checked += 1
        results = function.run([to_runtime(arg) for arg in action.args])
        values = [to_script(value, type_) for value, type_ in zip(results, function.type.results)]  # type: ignore[arg-type]
        if len(values) != len(command.results) or not all(
            matches(pattern, value) for pattern, value in zip(command.results, values)
        ):
            failures.append(f"{path.name}:{command.line}: {action.name}{action.args} -> {values}")
    outcome.failures = tuple(failures)
    return outcome


def _scripts() -> List[Path]:
    root = suite_path("spec")
    if not root.is_dir():
        return []
    found = set(root.glob("simd_*.wast")) | set(root.glob("*relaxed*.wast"))
    # Loads and stores: test_simd_memory_spec runs those with a memory.
    memory = {"simd_address.wast"} | {p.name for p in root.glob("simd_load*.wast")}
    memory |= {p.name for p in root.glob("simd_store*.wast")}
    return sorted(path for path in found if path.name not in memory)


SCRIPTS = _scripts()


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_spec_script(path: Path, suite_totals: Dict[str, Dict[str, int]]) -> None:
    outcome = run_script(path)
    totals = suite_totals.setdefault(
        "simd numerics (spec assert_return)", {"checked": 0, "not evaluable": 0}
    )
    totals["checked"] += outcome.checked
    totals["not evaluable"] += outcome.not_evaluable
    assert not outcome.failures, "\n".join(outcome.failures[:20])
    if outcome.checked == 0:
        pytest.skip(
            f"{path.name}: no straight-line numeric function to evaluate (memory or control)"
        )


def test_scripts_found(spec_dir: Path) -> None:
    assert len(SCRIPTS) >= 45
