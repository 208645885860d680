"""The SIMD load/store spec scripts, run through :data:`SIMD_MEMORY_HELPERS`.

A small machine with one linear memory (its active data segments applied),
locals, constant globals and straight-line bodies runs the exported functions of
``simd_load*``/``simd_store*``/``simd_address`` and checks ``assert_return``:
the engine's part of a vector access (address, bounds, reading and writing
bytes) is done here the way :mod:`wasmport.numerics.simd` documents it, so the
helpers' calling convention is checked against the spec's expectations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import pytest
from shared_suites import suite_path
from test_simd_spec import CONSTANTS, constant, func_type, numeric_function, to_runtime, to_script

from wasmport.numerics.simd import SIMD_MEMORY_HELPERS
from wasmport.script import ast as script
from wasmport.script.matching import matches
from wasmport.script.parser import parse_script
from wasmport.syntax import ast, opcodes
from wasmport.syntax.opcodes import Imm, Op, OpClass
from wasmport.syntax.types import FuncType
from wasmport.text import module_from_sexpr


class OutOfBounds(Exception):
    """An access outside the memory (the scripts expect a trap: not checked here)."""


_PLAIN_ACCESS: Dict[Op, Tuple[int, bool]] = {
    opcodes.I32_LOAD: (4, False),
    opcodes.I64_LOAD: (8, False),
    opcodes.V128_LOAD: (16, False),
    opcodes.V128_STORE: (16, True),
}


class Instance:
    """One module instance: memory, constant globals and its functions."""

    def __init__(self, module: ast.Module) -> None:
        if module.imports:
            raise TypeError("imports are not supported")
        size = module.memories[0].type.limits.minimum * 65536 if module.memories else 0
        self.memory = bytearray(size)
        for data in module.datas:
            if data.mode is ast.SegmentMode.ACTIVE and data.offset_expr is not None:
                start = constant(data.offset_expr[0])
                self.memory[start : start + len(data.data)] = data.data
        self.globals = [constant(item.init[0]) for item in module.globals]
        self.module = module

    def read(self, address: int, memarg: ast.MemArg, size: int) -> int:
        start = address + memarg.offset
        if start + size > len(self.memory):
            raise OutOfBounds(start)
        return int.from_bytes(self.memory[start : start + size], "little")

    def write(self, address: int, memarg: ast.MemArg, size: int, value: int) -> None:
        start = address + memarg.offset
        if start + size > len(self.memory):
            raise OutOfBounds(start)
        self.memory[start : start + size] = value.to_bytes(size, "little")

    def call(self, func: ast.Func, args: Sequence[Any]) -> List[Any]:
        local_values: List[Any] = list(args) + [0] * len(func.locals)
        stack: List[Any] = []
        for instr in func.body:
            self._step(instr, stack, local_values)
        return stack

    def _step(self, instr: ast.Instr, stack: List[Any], local_values: List[Any]) -> None:
        op = instr.op
        if op is opcodes.LOCAL_GET:
            stack.append(local_values[instr.args[0]])
        elif op is opcodes.LOCAL_SET:
            local_values[instr.args[0]] = stack.pop()
        elif op is opcodes.GLOBAL_GET:
            stack.append(self.globals[instr.args[0]])
        elif op in CONSTANTS:
            stack.append(constant(instr))
        elif op in _PLAIN_ACCESS:
            self._plain_access(instr, stack)
        elif op in SIMD_MEMORY_HELPERS:
            self._vector_access(instr, stack)
        else:
            function = numeric_function(op)
            if function is None or op.params is None:
                raise TypeError(f"{op.mnemonic} is not supported")
            count = len(op.params)
            operands = stack[len(stack) - count :]
            del stack[len(stack) - count :]
            stack.append(function(*operands, *instr.args))

    def _plain_access(self, instr: ast.Instr, stack: List[Any]) -> None:
        size, is_store = _PLAIN_ACCESS[instr.op]
        if is_store:
            value = stack.pop()
            self.write(stack.pop(), instr.args[0], size, value)
        else:
            stack.append(self.read(stack.pop(), instr.args[0], size))

    def _vector_access(self, instr: ast.Instr, stack: List[Any]) -> None:
        op = instr.op
        helper = SIMD_MEMORY_HELPERS[op]
        memarg = instr.args[0]
        has_lane = Imm.LANE in op.imms
        if op.klass is OpClass.VECTOR_STORE:
            vector = stack.pop()
            self.write(stack.pop(), memarg, op.mem_bytes, helper(vector, instr.args[1]))
        elif has_lane:
            vector = stack.pop()
            raw = self.read(stack.pop(), memarg, op.mem_bytes)
            stack.append(helper(vector, raw, instr.args[1]))
        else:
            stack.append(helper(self.read(stack.pop(), memarg, op.mem_bytes)))


_SUPPORTED = frozenset({opcodes.LOCAL_GET, opcodes.LOCAL_SET, opcodes.GLOBAL_GET}) | CONSTANTS


def _supported(func: ast.Func) -> bool:
    for instr in func.body:
        op = instr.op
        if op in _SUPPORTED or op in _PLAIN_ACCESS or op in SIMD_MEMORY_HELPERS:
            continue
        if numeric_function(op) is None or op.params is None:
            return False
    return True


def _exports(module: ast.Module) -> Dict[str, Tuple[ast.Func, FuncType]]:
    found: Dict[str, Tuple[ast.Func, FuncType]] = {}
    for export in module.exports:
        if export.kind is not ast.ExternKind.FUNC:
            continue
        func = module.funcs[export.index]
        type_ = func_type(module, func.type_index)
        if type_ is not None and _supported(func):
            found[export.name] = (func, type_)
    return found


def _instantiate(command: script.ModuleCommand) -> Optional[Tuple[Instance, Dict[str, Any]]]:
    if not isinstance(command.source, script.TextModule):
        return None
    module = module_from_sexpr(command.source.node)
    if module.imports or len(module.memories) > 1:
        return None
    return Instance(module), _exports(module)


def run_script(path: Path) -> Tuple[int, List[str]]:
    checked = 0
    failures: List[str] = []
    current: Optional[Tuple[Instance, Dict[str, Any]]] = None
    for command in parse_script(path.read_text(), str(path)).commands:
        if isinstance(command, script.ModuleCommand):
            current = _instantiate(command)
            continue
        if not isinstance(command, script.AssertReturn) or current is None:
            continue
        action = command.action
        if not isinstance(action, script.Invoke) or action.module is not None:
            continue
        instance, exports = current
        if action.name not in exports:
            continue
        func, type_ = exports[action.name]
        checked += 1
        results = instance.call(func, [to_runtime(arg) for arg in action.args])
        values = [to_script(value, t) for value, t in zip(results, type_.results)]  # type: ignore[arg-type]
        if len(values) != len(command.results) or not all(
            matches(pattern, value) for pattern, value in zip(command.results, values)
        ):
            failures.append(f"{path.name}:{command.line}: {action.name}{action.args} -> {values}")
    return checked, failures


def _scripts() -> List[Path]:
    root = suite_path("spec")
    if not root.is_dir():
        return []
    patterns = ("simd_load*.wast", "simd_store*.wast", "simd_address.wast")
    return sorted(path for pattern in patterns for path in root.glob(pattern))


SCRIPTS = _scripts()


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_memory_script(path: Path, suite_totals: Dict[str, Dict[str, int]]) -> None:
    checked, failures = run_script(path)
    totals = suite_totals.setdefault("simd memory helpers (spec assert_return)", {"checked": 0})
    totals["checked"] += checked
    assert not failures, "\n".join(failures[:20])
    assert checked > 0, f"{path.name}: nothing checked"


def test_every_memory_row_has_a_helper() -> None:
    rows = [
        op
        for op in opcodes.ALL_OPS
        if op.prefix == 0xFD and op.klass in (OpClass.VECTOR_LOAD, OpClass.VECTOR_STORE)
    ]
    missing = [
        op.mnemonic for op in rows if op not in SIMD_MEMORY_HELPERS and op not in _PLAIN_ACCESS
    ]
    assert not missing
