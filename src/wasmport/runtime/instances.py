"""Runtime instances (spec "Runtime Structure"): functions, tables, globals,
tags and modules. Memories live in :mod:`.memory`.

Calling convention
------------------
Every :class:`FuncInstance` has ``fast``: a callable ``fast(depth, *args)``
taking runtime values and returning None (no results), the value (one result)
or a tuple (several). ``depth`` is the number of Wasm frames below the call;
engines trap with :class:`~wasmport.errors.Exhaustion` when it passes the
configured maximum. ``body`` is the same function for a tail call's
trampoline: it may return a :class:`TailCall` instead of its results.
``invoke(args)`` is the host's entry point: values in, a tuple out.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from ..errors import WasmException
from ..syntax.ast import ExternKind
from ..syntax.types import FuncType, GlobalType, TableType
from . import stack
from .memory import MemoryInstance
from .thrown import Thrown

FastCall = Callable[..., Any]


class TailCall(tuple):  # type: ignore[type-arg]
    """What a function body returns to make its caller's trampoline call
    ``self[0](*self[1:])``: ``TailCall((func, depth, *args))``. A tuple
    subclass, so making one runs no Python code."""

    __slots__ = ()


def trampoline(result: Any) -> Any:
    """Run tail calls until a function returns real results.

    Small arities are called with plain positional calls: CPython (3.11+) runs
    those without recursing on the C stack, unlike ``f(*args)``.
    """
    while result.__class__ is TailCall:
        count = len(result)
        if count == 2:
            result = result[0](result[1])
        elif count == 3:
            result = result[0](result[1], result[2])
        elif count == 4:
            result = result[0](result[1], result[2], result[3])
        elif count == 5:
            result = result[0](result[1], result[2], result[3], result[4])
        elif count == 6:
            result = result[0](result[1], result[2], result[3], result[4], result[5])
        else:
            result = result[0](*result[1:])
    return result


def results_tuple(result: Any, arity: int) -> Tuple[Any, ...]:
    """The fast convention's return value as a tuple of ``arity`` values."""
    if arity == 0:
        return ()
    if arity == 1:
        return (result,)
    return tuple(result)


class FuncInstance:
    """A function: Wasm code of some module instance, or a host callable.

    ``type_id`` is the canonical id of the function type (equal ids mean
    equal types across modules).
    """

    __slots__ = ("type", "type_id", "fast", "body", "name", "__weakref__")

    def __init__(self, type: FuncType, type_id: int, name: str = "") -> None:
        self.type = type
        self.type_id = type_id
        self.name = name
        self.fast: FastCall = self._not_bound
        self.body: FastCall = self._not_bound

    def _not_bound(self, *args: Any) -> Any:
        raise RuntimeError(f"function {self.name or '?'} is not bound to code")

    def invoke(self, args: Sequence[Any]) -> Tuple[Any, ...]:
        """Call with runtime values from the host; the results as a tuple."""
        if len(args) != len(self.type.params):
            raise TypeError(
                f"function expects {len(self.type.params)} arguments, got {len(args)}"
            )
        try:
            result = stack.run_host_call(self.fast, tuple(args))
        except Thrown as thrown:
            raise WasmException(thrown.exn) from None
        return results_tuple(result, len(self.type.results))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name or hex(id(self))}>"


class WasmFunction(FuncInstance):
    """A function defined by a module; its code is bound by the engine tier."""

    __slots__ = ("module", "index")

    def __init__(
        self, type: FuncType, type_id: int, module: ModuleInstance, index: int, name: str = ""
    ) -> None:
        super().__init__(type, type_id, name)
        self.module = module
        self.index = index


class HostFunction(FuncInstance):
    """A Python callable imported as a Wasm function.

    ``callable(*args)`` receives runtime values and returns None (no
    results), a single value, or a sequence of values (several results).
    Exceptions it raises propagate unchanged.
    """

    __slots__ = ("callable",)

    def __init__(self, type: FuncType, type_id: int, callable: Callable[..., Any],
                 name: str = "") -> None:
        super().__init__(type, type_id, name)
        self.callable = callable
        arity = len(type.results)
        call = callable

        def fast(depth: int, *args: Any) -> Any:
            previous = stack.enter_host(depth)
            try:
                result = call(*args)
            except WasmException as error:
                raise Thrown(error.exception) from None
            finally:
                stack.leave_host(previous)
            if arity > 1:
                return tuple(result)
            if arity == 1 and isinstance(result, (tuple, list)):
                return result[0]
            return result

        self.fast = fast
        self.body = fast


class GlobalInstance:
    """A global variable; ``value`` is its runtime value."""

    __slots__ = ("type", "value")

    def __init__(self, type: GlobalType, value: Any) -> None:
        self.type = type
        self.value = value

    def __repr__(self) -> str:
        return f"<GlobalInstance {self.type!r} = {self.value!r}>"


class TableInstance:
    """A table of references; ``elements`` is a list of runtime references."""

    __slots__ = ("type", "elements", "maximum", "__weakref__")

    def __init__(self, type: TableType, init: Any = None, limit: int = 10_000_000) -> None:
        self.type = type
        maximum = type.limits.maximum
        self.maximum = min(limit, maximum if maximum is not None else limit)
        self.elements: List[Any] = [init] * type.limits.minimum

    def grow(self, delta: int, init: Any) -> int:
        """Grow by ``delta`` entries set to ``init``: the old size, or -1."""
        old = len(self.elements)
        if old + delta > self.maximum:
            return -1
        self.elements.extend([init] * delta)
        return old


class TagInstance:
    """An exception tag; ``type`` is the function type of its payload."""

    __slots__ = ("type", "type_id", "__weakref__")

    def __init__(self, type: FuncType, type_id: int) -> None:
        self.type = type
        self.type_id = type_id


ExternValue = Union[FuncInstance, TableInstance, MemoryInstance, GlobalInstance, TagInstance]

#: The extern kind of each kind of external value.
EXTERN_KINDS: Dict[type, ExternKind] = {
    FuncInstance: ExternKind.FUNC,
    WasmFunction: ExternKind.FUNC,
    HostFunction: ExternKind.FUNC,
    TableInstance: ExternKind.TABLE,
    MemoryInstance: ExternKind.MEMORY,
    GlobalInstance: ExternKind.GLOBAL,
    TagInstance: ExternKind.TAG,
}


def extern_kind(value: object) -> Optional[ExternKind]:
    """The kind of an external value, None if it is not one."""
    for cls in type(value).__mro__:
        kind = EXTERN_KINDS.get(cls)
        if kind is not None:
            return kind
    return None


class ModuleInstance:
    """An instantiated module: its index spaces and its exports."""

    def __init__(self, name: str = "") -> None:
        self.name = name
        self.type_ids: List[int] = []
        self.funcs: List[FuncInstance] = []
        self.tables: List[TableInstance] = []
        self.memories: List[MemoryInstance] = []
        self.globals: List[GlobalInstance] = []
        self.tags: List[TagInstance] = []
        #: Element segments (dropped ones are empty lists).
        self.elems: List[List[Any]] = []
        #: Data segments (dropped ones are empty).
        self.datas: List[bytes] = []
        self.exports: Dict[str, ExternValue] = {}

    def export(self, name: str) -> ExternValue:
        """The export ``name``; KeyError if there is none."""
        return self.exports[name]

    def __repr__(self) -> str:
        return f"<ModuleInstance {self.name or hex(id(self))}>"



__all__ = [
    "ExternValue",
    "FuncInstance",
    "GlobalInstance",
    "HostFunction",
    "ModuleInstance",
    "TableInstance",
    "TagInstance",
    "TailCall",
    "WasmFunction",
    "extern_kind",
    "results_tuple",
    "trampoline",
]
