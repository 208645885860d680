"""A module compiled by the portable tier: per-function Python code, made
lazily on a function's first call and shared by every instance.

Each function's source defines ``F{i}`` (the fast entry) and ``B{i}`` (the
tail-call body) plus its constants; it is compiled once under a unique
pseudo-filename registered with :mod:`linecache` (tracebacks and debuggers
show it) and executed in each instance's namespace. ``WASMPORT_DUMP_PY=dir``
writes every generated source to ``dir`` (``1`` means the current directory).
"""

from __future__ import annotations

import gc
import itertools
import linecache
import os
import threading
from types import CodeType
from typing import Any, Callable, Dict, List, Optional, Tuple

from ...features import Features
from ...runtime.config import Config
from ...runtime.instances import ModuleInstance, WasmFunction
from ...syntax.ast import Module
from ..base import CompiledModule
from .analysis import Analysis
from .flat import FlatTranslator
from .helpers import base_namespace
from .metering import line_offset
from .structured import StructuredTranslator
from .translator import Translator

_counter = itertools.count()
_BASE: Optional[Dict[str, Any]] = None


def _base() -> Dict[str, Any]:
    global _BASE
    if _BASE is None:
        _BASE = base_namespace()
    return _BASE


def translate_function(module: Module, func_index: int, force_flat: bool = False,
                       fuel: bool = False, epochs: bool = False) -> Translator:
    """Translate defined function ``func_index`` (index space) of ``module``;
    ``fuel`` and ``epochs`` add fuel charges and epoch checks."""
    defined = func_index - len(module.func_type_indices) + len(module.funcs)
    func = module.funcs[defined]
    analysis = Analysis(func.body)
    cls = StructuredTranslator if analysis.structured and not force_flat else FlatTranslator
    translator: Translator = cls(module, func_index, func, module.func_type(func.type_index),
                                 analysis, fuel=fuel, epochs=epochs)
    translator.translate()
    return translator


def function_source(translator: Translator) -> str:
    """The Python source defining ``F{i}`` and ``B{i}``."""
    index = translator.func_index
    tail = translator.uses_tail_calls
    name = f"B{index}" if tail else f"F{index}"
    body: List[str] = []
    if isinstance(translator, FlatTranslator):
        body.extend("    " + line for line in translator.prologue())
        body.extend("    " + line for line in translator.dispatch_lines())
    elif isinstance(translator, StructuredTranslator):
        body.extend(translator.lines)
    lines: List[str] = list(translator.header)
    lines.append(translator.signature(name))
    lines.extend(body)
    if tail:
        params = "".join(f", l{i}" for i in range(translator.params))
        lines.extend([
            translator.signature(f"F{index}"),
            f"    r = B{index}(d{params})",
            "    if r.__class__ is TAIL:",
            "        return TRAMPOLINE(r)",
            "    return r",
        ])
    else:
        lines.append(f"B{index} = F{index}")
    return "\n".join(lines) + "\n"


def _register_source(source: str, hint: str) -> str:
    filename = f"<wasm {hint} #{next(_counter)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    dump = os.environ.get("WASMPORT_DUMP_PY")
    if dump:
        directory = os.getcwd() if dump == "1" else dump
        os.makedirs(directory, exist_ok=True)
        safe = "".join(ch if ch.isalnum() else "_" for ch in filename.strip("<>"))
        with open(os.path.join(directory, safe + ".py"), "w", encoding="utf-8") as out:
            out.write(source)
    return filename


#: What a function's code is cached under: its index, fuel charges, epoch checks.
CodeKey = Tuple[int, bool, bool]


class PortableModule(CompiledModule):
    """Lazily translated code of one module (per function and metering flags)."""

    def __init__(self, module: Module, features: Features, force_flat: bool = False) -> None:
        self.module = module
        self.features = features
        self.force_flat = force_flat
        self.imported = len(module.func_type_indices) - len(module.funcs)
        self._code: Dict[CodeKey, CodeType] = {}
        self._lock = threading.Lock()
        self.name = module.names.module if module.names and module.names.module else "module"

    def code_for(self, func_index: int, fuel: bool = False, epochs: bool = False) -> CodeType:
        """The compiled code object of one function (translated on first use),
        with fuel charges and epoch checks if asked for."""
        key = (func_index, fuel, epochs)
        code = self._code.get(key)
        if code is None:
            with self._lock:
                code = self._code.get(key)
                if code is None:
                    code = self._translate(key)
                    self._code[key] = code
        return code

    def _translate(self, key: CodeKey) -> CodeType:
        func_index, fuel, epochs = key
        # Translation allocates many small objects while the module's AST is
        # alive; pausing the cyclic GC keeps it from re-scanning that AST.
        paused = gc.isenabled()
        gc.disable()
        try:
            source = function_source(translate_function(
                self.module, func_index, self.force_flat, fuel=fuel, epochs=epochs))
            filename = _register_source(source, f"{self.name} func {func_index}")
            return compile(source, filename, "exec")
        finally:
            if paused:
                gc.enable()

    def namespace(self, instance: ModuleInstance, config: Config) -> Dict[str, Any]:
        names = dict(_base())
        names["MAXD"] = config.max_call_depth - 1
        names["INST"] = instance
        names["LOST_CONTROL"] = _lost_control
        meter = config.meter
        if meter is not None and (config.consume_fuel or config.epoch_interruption):
            names["FU"] = meter.fuel
            names["OUT_OF_FUEL"] = meter.out_of_fuel
            names["EP"] = meter.epoch.cell
            names["DL"] = meter.deadline
            names["INTERRUPT"] = meter.interrupt
        for index, func in enumerate(instance.funcs):
            names[f"FI{index}"] = func
            names[f"F{index}"] = func.fast
            names[f"B{index}"] = func.body
        for index, memory in enumerate(instance.memories):
            names[f"M{index}"] = memory
            names[f"MB{index}"] = memory.buffer
        for index, table in enumerate(instance.tables):
            names[f"T{index}"] = table
        for index, glob in enumerate(instance.globals):
            names[f"G{index}"] = glob
        for index, tag in enumerate(instance.tags):
            names[f"TG{index}"] = tag
        for index, type_id in enumerate(instance.type_ids):
            names[f"TY{index}"] = type_id
        return names

    def bind(self, instance: ModuleInstance, config: Config) -> None:
        if (config.consume_fuel or config.epoch_interruption) and config.meter is None:
            raise ValueError("fuel or epoch checks need the configuration of a Store")
        names = self.namespace(instance, config)
        flags = (config.consume_fuel, config.epoch_interruption)
        for index in range(self.imported, len(instance.funcs)):
            func = instance.funcs[index]
            if isinstance(func, WasmFunction):
                self._bind_stub(func, (index, *flags), names)

    def _bind_stub(self, func: WasmFunction, key: CodeKey, names: Dict[str, Any]) -> None:
        index = key[0]

        def materialize() -> None:
            exec(self.code_for(*key), names)
            func.fast = names[f"F{index}"]
            func.body = names[f"B{index}"]

        def fast_stub(*args: Any) -> Any:
            if func.fast is fast_stub:
                materialize()
            return func.fast(*args)

        def body_stub(*args: Any) -> Any:
            if func.body is body_stub:
                materialize()
            return func.body(*args)

        func.fast = names[f"F{index}"] = fast_stub
        func.body = names[f"B{index}"] = body_stub


def is_tail_entry(code: CodeType) -> bool:
    """Whether ``code`` is the ``F{i}`` entry of a function that makes tail calls:
    not a Wasm frame of its own (its body ``B{i}`` is, until it tail-calls)."""
    return "TRAMPOLINE" in code.co_names


def wasm_offset(filename: str, lineno: int) -> int:
    """The byte offset (in the module binary) of the Wasm instruction that line
    ``lineno`` of the generated source ``filename`` runs; -1 if unknown (a
    module without offsets, such as one parsed from text)."""
    return line_offset(linecache.getlines(filename), lineno)


def _lost_control(pc: int) -> None:
    from ...errors import InternalError

    raise InternalError(f"generated code lost control at block {pc}")


Factory = Callable[[Module, Features], PortableModule]

__all__ = ["PortableModule", "function_source", "is_tail_entry", "translate_function",
           "wasm_offset"]
