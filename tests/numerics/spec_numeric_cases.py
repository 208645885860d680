"""Run a spec script's numeric assertions straight against :mod:`wasmport.numerics`.

Every exported function whose body is straight-line numeric code (parameters,
constants and numeric instructions: see :func:`numerics_support.straight_line`)
is evaluated with the numerics functions, and each ``assert_return`` /
``assert_trap`` invoking it is checked: results bit for bit (NaN patterns by
class), traps by the spec message.

Run as a script for a per-file summary:
``PYTHONPATH=src:tests/numerics python tests/numerics/spec_numeric_cases.py FILES``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

from numerics_support import is_nan_bits, nan_kind, straight_line, to_bits, to_runtime

from wasmport.errors import Trap, WasmError
from wasmport.script import ast as script
from wasmport.script.loader import read_module
from wasmport.script.parser import parse_script
from wasmport.syntax.ast import ExternKind, Module
from wasmport.syntax.types import NumType


@dataclass
class Export:
    run: Callable[..., Tuple[Any, ...]]
    params: Tuple[NumType, ...]
    results: Tuple[NumType, ...]


@dataclass
class Outcome:
    checked: int = 0
    failures: List[str] = field(default_factory=list)


def numeric_exports(module: Module) -> Dict[str, Export]:
    """The module's exported functions that :func:`straight_line` can evaluate."""
    imported = sum(1 for item in module.imports if item.kind is ExternKind.FUNC)
    found: Dict[str, Export] = {}
    for export in module.exports:
        if export.kind is not ExternKind.FUNC or export.index < imported:
            continue
        func = module.funcs[export.index - imported]
        signature = module.func_type(func.type_index)
        types = signature.params + signature.results
        if not all(isinstance(t, NumType) and t is not NumType.V128 for t in types):
            continue
        params = tuple(t for t in signature.params if isinstance(t, NumType))
        results = tuple(t for t in signature.results if isinstance(t, NumType))
        run = straight_line(func.body, params)
        if run is not None:
            found[export.name] = Export(run, params, results)
    return found


def _expected(pattern: script.ResultPattern, type_: NumType, bits: int) -> Optional[str]:
    """None if the result bits match the pattern, else a description of the mismatch."""
    if isinstance(pattern, script.NanPattern):
        if is_nan_bits(type_, bits) and (
            pattern.kind is script.NanKind.ARITHMETIC or nan_kind(type_, bits) == "canonical"
        ):
            return None
        return pattern.kind.value
    if isinstance(pattern, script.ValuePattern) and isinstance(pattern.value, script.NumValue):
        # Integer constants are signed, float constants raw bits: to_bits of the
        # runtime value is the unsigned pattern either way.
        want = to_bits(type_, to_runtime(type_, pattern.value.value))
        return None if want == bits else f"{want:#x}"
    if isinstance(pattern, script.EitherPattern):
        misses = [_expected(p, type_, bits) for p in pattern.alternatives]
        return None if any(m is None for m in misses) else " | ".join(map(str, misses))
    return f"unsupported pattern {pattern!r}"


class Runner:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.current: Dict[str, Export] = {}
        self.named: Dict[str, Dict[str, Export]] = {}
        self.outcome = Outcome()

    def module(self, command: script.ModuleCommand) -> None:
        try:
            exports = numeric_exports(read_module(command.source, self.filename))
        except WasmError:
            exports = {}
        if not command.definition:
            self.current = exports
        if command.id is not None:
            self.named[command.id] = exports

    def target(self, action: script.Action) -> Optional[Export]:
        if not isinstance(action, script.Invoke):
            return None
        exports = self.current if action.module is None else self.named.get(action.module, {})
        return exports.get(action.name)

    def invoke(self, export: Export, action: script.Invoke) -> Tuple[Any, ...]:
        args = []
        for type_, value in zip(export.params, action.args):
            if not isinstance(value, script.NumValue):
                raise TypeError(f"non-numeric argument {value!r}")
            args.append(to_runtime(type_, value.value))
        return export.run(*args)

    def assert_return(self, command: script.AssertReturn) -> None:
        export = self.target(command.action)
        if export is None or not isinstance(command.action, script.Invoke):
            return
        where = f"{self.filename}:{command.line} {command.action.name}"
        self.outcome.checked += 1
        try:
            results = self.invoke(export, command.action)
        except Trap as trap:
            self.outcome.failures.append(f"{where}: trapped {trap.message!r}")
            return
        if len(results) != len(command.results):
            self.outcome.failures.append(f"{where}: {len(results)} results")
            return
        for type_, value, pattern in zip(export.results, results, command.results):
            bits = to_bits(type_, value)
            miss = _expected(pattern, type_, bits)
            if miss is not None:
                self.outcome.failures.append(f"{where}: got {bits:#x}, expected {miss}")

    def assert_trap(self, command: script.AssertTrap) -> None:
        action = command.target
        if isinstance(action, script.ModuleCommand):
            return
        export = self.target(action)
        if export is None or not isinstance(action, script.Invoke):
            return
        where = f"{self.filename}:{command.line} {action.name}"
        self.outcome.checked += 1
        try:
            results = self.invoke(export, action)
        except Trap as trap:
            if not trap.message.startswith(command.message):
                self.outcome.failures.append(f"{where}: trap {trap.message!r}")
            return
        self.outcome.failures.append(f"{where}: returned {results!r}, expected a trap")

    def run(self, commands: Tuple[script.Command, ...]) -> Outcome:
        for command in commands:
            if isinstance(command, script.ModuleCommand):
                self.module(command)
            elif isinstance(command, script.AssertReturn):
                self.assert_return(command)
            elif isinstance(command, script.AssertTrap):
                self.assert_trap(command)
        return self.outcome


def run_file(path: Path) -> Outcome:
    source = path.read_text(encoding="utf-8")
    parsed = parse_script(source, str(path))
    return Runner(path.name).run(parsed.commands)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        result = run_file(Path(name))
        print(f"{name}: {result.checked} checked, {len(result.failures)} failed")
        for failure in result.failures[:20]:
            print("   ", failure)
