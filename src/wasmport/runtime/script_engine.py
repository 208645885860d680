"""The script runner's :class:`~wasmport.script.engine.Engine` on top of the
runtime: instantiation through a :class:`~.linker.Linker` preloaded with the
``spectest`` module, and conversion between script values and runtime values."""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, TextIO, Tuple

from ..errors import Exhaustion, LinkError, Trap, WasmException
from ..features import Features
from ..numerics import f32_from_bits, f32_to_bits, f64_from_bits, f64_to_bits
from ..script.ast import (
    NumValue,
    RefExternValue,
    RefHostValue,
    RefNullValue,
    V128Value,
    Value,
)
from ..script.engine import Engine, OpaqueRef, Result
from ..syntax.ast import Module
from ..syntax.types import AbsHeapType, NumType, RefType, ValType
from .config import Config
from .instances import FuncInstance, GlobalInstance, ModuleInstance
from .linker import Linker
from .spectest import spectest_exports
from .store import Store
from .values import ExceptionInstance, ExternRef

_MASKS = {NumType.I32: 0xFFFFFFFF, NumType.I64: 0xFFFFFFFFFFFFFFFF}


def _num_to_runtime(value: NumValue) -> Any:
    if value.type is NumType.F32:
        return f32_from_bits(value.value)
    if value.type is NumType.F64:
        return f64_from_bits(value.value)
    return value.value & _MASKS[value.type]


_TO_RUNTIME: Dict[type, Callable[[Any], Any]] = {
    NumValue: _num_to_runtime,
    V128Value: lambda value: int.from_bytes(value.data, "little"),
    RefNullValue: lambda value: None,
    RefExternValue: lambda value: ExternRef(value.payload),
    RefHostValue: lambda value: ExternRef(("host", value.payload)),
}


def to_runtime(value: Value) -> Any:
    """A script constant as a runtime value."""
    return _TO_RUNTIME[type(value)](value)


def _signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value >> (bits - 1) else value


def _heap_of(t: RefType) -> AbsHeapType:
    heap = t.heap
    return heap if isinstance(heap, AbsHeapType) else AbsHeapType.FUNC


def _reference_result(value: Any, t: RefType) -> Result:
    if value is None:
        return RefNullValue(_heap_of(t))
    if isinstance(value, ExternRef):
        payload = value.value
        if isinstance(payload, tuple) and payload[:1] == ("host",):
            return RefHostValue(payload[1])
        return RefExternValue(payload)
    if isinstance(value, FuncInstance):
        return OpaqueRef(AbsHeapType.FUNC)
    if isinstance(value, ExceptionInstance):
        return OpaqueRef(AbsHeapType.EXN)
    return OpaqueRef(AbsHeapType.ANY)


def to_result(value: Any, t: ValType) -> Result:
    """A runtime value of type ``t`` as a script result."""
    if isinstance(t, RefType):
        return _reference_result(value, t)
    if t is NumType.I32:
        return NumValue(t, _signed(value, 32))
    if t is NumType.I64:
        return NumValue(t, _signed(value, 64))
    if t is NumType.F32:
        return NumValue(t, f32_to_bits(value))
    if t is NumType.F64:
        return NumValue(t, f64_to_bits(value))
    return V128Value(value.to_bytes(16, "little"))


class RuntimeEngine(Engine):
    """Runs script commands on a :class:`Store` (any engine tier)."""

    link_errors = (LinkError,)
    trap_errors = (Trap,)
    exhaustion_errors = (Exhaustion,)
    exception_errors = (WasmException,)

    def __init__(self, config: Optional[Config] = None, features: Optional[Features] = None,
                 output: Optional[TextIO] = None) -> None:
        if config is None:
            config = Config(features=features) if features is not None else Config()
        self.store = Store(config)
        self.linker = Linker()
        self.linker.define_module("spectest", spectest_exports(self.store, output))
        self.instances: Dict[str, ModuleInstance] = {}
        self.definitions: Dict[str, Module] = {}
        self.current: Optional[ModuleInstance] = None
        self.last_definition: Optional[Module] = None

    def _instance(self, name: Optional[str]) -> ModuleInstance:
        if name is None:
            if self.current is None:
                raise LookupError("no module instantiated yet")
            return self.current
        instance = self.instances.get(name)
        if instance is None:
            raise LookupError(f"unknown module ${name}")
        return instance

    def instantiate(self, module: Module, name: Optional[str]) -> None:
        imports = self.linker.resolve(module)
        instance = self.store.instantiate(module, imports, name or "")
        self.current = instance
        if name is not None:
            self.instances[name] = instance

    def define(self, module: Module, name: Optional[str]) -> None:
        self.last_definition = module
        if name is not None:
            self.definitions[name] = module

    def instantiate_definition(self, definition: Optional[str], name: Optional[str]) -> None:
        module = self.last_definition if definition is None else self.definitions.get(definition)
        if module is None:
            raise LookupError(f"unknown module definition ${definition}")
        self.instantiate(module, name)

    def register(self, as_name: str, module: Optional[str]) -> None:
        self.linker.define_instance(as_name, self._instance(module))

    def invoke(self, module: Optional[str], name: str, args: Tuple[Value, ...]
               ) -> Tuple[Result, ...]:
        func = self._instance(module).exports.get(name)
        if not isinstance(func, FuncInstance):
            raise LookupError(f"no exported function {name!r}")
        results = func.invoke(tuple(to_runtime(arg) for arg in args))
        return tuple(to_result(value, t) for value, t in zip(results, func.type.results))

    def get(self, module: Optional[str], name: str) -> Result:
        glob = self._instance(module).exports.get(name)
        if not isinstance(glob, GlobalInstance):
            raise LookupError(f"no exported global {name!r}")
        return to_result(glob.value, glob.type.value)


__all__ = ["RuntimeEngine", "to_result", "to_runtime"]
