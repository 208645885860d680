"""Helpers of the Canonical ABI tests: component types as text, and many
verdicts of ``wasm-tools`` from one run.

:func:`val_type_text` writes a resolved value type (:mod:`wasmport.component.typesys`)
in the component text format, :func:`core_func_text` a core function type.
A :class:`Script` collects components, each expected valid or invalid under
a case name, as one ``.wast`` script; ``wasm-tools wast`` checks them all in
one process (with its default features, as ``wasm-tools validate`` has them)
and reports each directive that did not behave as expected -- a component
expected invalid that fails to parse counts as a failure too, so a mistake in
the text cannot pass for a rejection. :meth:`Script.run` gives the failures
by case name.
"""

from __future__ import annotations

import re
import subprocess
from typing import Dict, List, Optional, Sequence, Tuple, cast

from wasmport.component import typesys as ts
from wasmport.component.ast import PrimValType
from wasmport.syntax.types import I32, I64
from wasmport.syntax.types import FuncType as CoreFuncType
from wasmport.syntax.types import ValType as CoreValType

#: Names given to value types (``$name``), which the text then uses for them.
Names = Dict[ts.ValType, str]


def val_type_text(t: ts.ValType, names: Optional[Names] = None) -> str:
    """``t`` in the text format; a type (or inner type) named in ``names`` as ``$name``."""
    names = names or {}
    if t in names:
        return f"${names[t]}"
    if isinstance(t, PrimValType):
        return t.name.lower().replace("_", "-")
    if isinstance(t, ts.Record):
        fields = (f'(field "{n}" {val_type_text(f, names)})' for n, f in t.fields)
        return "(record " + " ".join(fields) + ")"
    if isinstance(t, ts.Variant):
        cases = (f'(case "{n}"' + ("" if c is None else " " + val_type_text(c, names)) + ")"
                 for n, c in t.cases)
        return "(variant " + " ".join(cases) + ")"
    if isinstance(t, ts.List):
        length = "" if t.length is None else f" {t.length}"
        return f"(list {val_type_text(t.element, names)}{length})"
    if isinstance(t, ts.Tuple_):
        return "(tuple " + " ".join(val_type_text(x, names) for x in t.types) + ")"
    if isinstance(t, (ts.Flags, ts.Enum)):
        kind = "flags" if isinstance(t, ts.Flags) else "enum"
        return f"({kind} " + " ".join(f'"{label}"' for label in t.labels) + ")"
    return _other_text(t, names)


def _other_text(t: ts.ValType, names: Names) -> str:
    if isinstance(t, ts.Option):
        return f"(option {val_type_text(t.type, names)})"
    if isinstance(t, ts.Result):
        ok = "" if t.ok is None else " " + val_type_text(t.ok, names)
        error = "" if t.error is None else f" (error {val_type_text(t.error, names)})"
        return f"(result{ok}{error})"
    if isinstance(t, (ts.Own, ts.Borrow)):
        kind = "own" if isinstance(t, ts.Own) else "borrow"
        return f"({kind} ${t.resource.name})"
    if isinstance(t, (ts.Stream, ts.Future)):
        kind = "stream" if isinstance(t, ts.Stream) else "future"
        element = "" if t.element is None else " " + val_type_text(t.element, names)
        return f"({kind}{element})"
    assert isinstance(t, ts.Map), t
    return f"(map {val_type_text(t.key, names)} {val_type_text(t.value, names)})"


def func_text(func: ts.Func, names: Optional[Names] = None) -> str:
    """``async? (param ...)* (result ...)?`` of a component function type."""
    parts = ["async"] if func.is_async else []
    parts += [f'(param "{name}" {val_type_text(t, names)})' for name, t in func.params]
    if func.result is not None:
        parts.append(f"(result {val_type_text(func.result, names)})")
    return " ".join(parts)


def imported_types(func: ts.Func) -> Tuple[List[str], Names]:
    """Definitions importing each defined value type of ``func`` under a
    name, inner types first (a function of an import or export may use only
    named types), and the names given."""
    names: Names = {}
    decls: List[str] = []

    def visit(t: ts.ValType) -> None:
        if isinstance(t, PrimValType) or t in names:
            return
        for inner in ts.children(t):
            if not isinstance(inner, ts.Resource):
                visit(cast(ts.ValType, inner))
        number = len(names)
        decls.append(f"  (type $d{number} {val_type_text(t, names)})")
        decls.append(f'  (import "t{number}" (type $t{number} (eq $d{number})))')
        names[t] = f"t{number}"

    for _, param in func.params:
        visit(param)
    if func.result is not None:
        visit(func.result)
    return decls, names


def _core_types(types: Sequence[CoreValType]) -> str:
    return " ".join(repr(t) for t in types)


def core_func_text(t: CoreFuncType) -> str:
    """``(param ...) (result ...)`` of a core function type."""
    parts = []
    if t.params:
        parts.append(f"(param {_core_types(t.params)})")
    if t.results:
        parts.append(f"(result {_core_types(t.results)})")
    return " ".join(parts)


class Script:
    """Components to check, each under a case name, as one ``.wast`` script."""

    def __init__(self) -> None:
        self.lines: List[str] = []
        #: (first line, case) of each directive, in order.
        self.starts: List[Tuple[int, str]] = []
        self.counts: Dict[str, int] = {}

    def add(self, case: str, component: str, valid: bool, directive: str = "assert_invalid"
            ) -> None:
        """``component`` (text), expected valid or else rejected by
        ``directive`` (``assert_malformed`` for a binary that fails to decode)."""
        self.starts.append((len(self.lines) + 1, case))
        self.counts[case] = self.counts.get(case, 0) + 1
        text = component if valid else f'({directive}\n{component}\n"")'
        self.lines.extend(text.splitlines())

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def run(self, wasm_tools: str, features: str = "") -> Dict[str, List[str]]:
        """Case -> the messages of its directives that failed."""
        args = [wasm_tools, "wast", "--ignore-error-messages", "-"]
        if features:
            args += ["--features", features]
        done = subprocess.run(args, input=self.text().encode(), capture_output=True,
                              check=False, timeout=300)
        failures: Dict[str, List[str]] = {}
        if done.returncode == 0:
            return failures
        report = done.stderr.decode()
        blocks = re.split(r"^failed directive on [^\n]*?:(\d+):\d+\n", report, flags=re.M)
        if len(blocks) < 3:
            raise AssertionError(f"wasm-tools wast failed without a directive: {report[:2000]}")
        for line, message in zip(blocks[1::2], blocks[2::2]):
            case = self.case_at(int(line))
            failures.setdefault(case, []).append(message.strip()[:600])
        return failures

    def case_at(self, line: int) -> str:
        found = self.starts[0][1]
        for start, case in self.starts:
            if start > line:
                break
            found = case
        return found


def perturbations(t: CoreFuncType) -> List[CoreFuncType]:
    """Core types that differ from ``t`` a little."""
    def other(v: CoreValType) -> CoreValType:
        return I64 if v == I32 else I32
    found = [CoreFuncType(t.params + (I32,), t.results)]
    if t.params:
        found.append(CoreFuncType(t.params[:-1], t.results))
        found.append(CoreFuncType((other(t.params[0]),) + t.params[1:], t.results))
    if t.results:
        found.append(CoreFuncType(t.params, (other(t.results[0]),) + t.results[1:]))
    else:
        found.append(CoreFuncType(t.params, (I32,)))
    return found
