"""The core function types of the canonical built-ins, and the checks of their immediates.

Every canonical definition but ``lift`` defines a core function;
:func:`builtin_type` gives the type of the one a
:class:`~wasmport.component.ast.CanonBuiltin` defines, after the checks
``wasm-tools`` 1.262 makes on its immediates:

* ``resource.new``/``resource.rep`` name a resource defined by this component
  (``(rep t) -> i32`` and ``i32 -> (rep t)``); ``resource.drop`` any resource;
* ``task.return``'s result type is a value type, lowered as the single
  parameter of a function, with options that lower values (``memory`` when
  needed, no ``realloc``, ``post-return``, ``callback`` nor ``async``);
* ``context.get``/``context.set`` of ``i32`` (``i64`` needs the ``cm64``
  feature) at index 0 (1 too with the threading feature);
* the ``stream.*``/``future.*`` built-ins name a stream or future type
  respectively; reads need ``memory`` for a payload and ``realloc`` for a
  payload that holds pointers, writes ``memory`` for a payload;
* ``error-context.new`` needs ``memory``, ``error-context.debug-message``
  ``memory`` and ``realloc``, both synchronous;
* ``waitable-set.wait``/``poll`` take a memory the Canonical ABI may use;
* the ``cancellable`` immediate must be zero: ``wasm-tools`` 1.262 rejects
  the flag, dropped from the Component Model;
* ``thread.new-indirect`` takes a function type ``i32 -> ()`` and a 32-bit
  table of ``funcref``; ``thread.spawn-*`` take a shared function type, which
  the core type model (no shared types) cannot have.

Whether a built-in's feature is enabled is checked while decoding
(:mod:`wasmport.component.gates`); the features this module consults are
the ones the built-ins' immediates decide.
"""

from __future__ import annotations

from typing import AbstractSet, Callable, Dict, Protocol, Tuple, Union

from ..errors import ValidationError
from ..syntax.types import FUNCREF, I32, I64, AddrType, SubType, TableType
from ..syntax.types import FuncType as CoreFuncType
from ..syntax.types import ValType as CoreValType
from . import abi
from . import typesys as ts
from .ast import CanonBuiltin, PrimValType
from .gates import ComponentFeature


class BuiltinEnv(abi.OptionEnv, Protocol):
    """What the built-ins need of the validator's index spaces (the decoder
    has checked the indices)."""

    @property
    def features(self) -> AbstractSet[ComponentFeature]:
        """The optional features enabled."""
        ...

    def type_at(self, index: int) -> ts.AnyType:
        """What component type ``index`` stands for."""
        ...

    def core_type_at(self, index: int) -> object:
        """Core type ``index``: a :class:`~wasmport.syntax.types.SubType` for
        a defined (GC) type, else a module type."""
        ...

    def table_at(self, index: int) -> TableType: ...


Handler = Callable[[CanonBuiltin, BuiltinEnv, int], CoreFuncType]


def builtin_type(builtin: CanonBuiltin, env: BuiltinEnv, offset: int) -> CoreFuncType:
    """The type of the core function ``builtin`` defines; raises
    :class:`ValidationError` when its immediates are invalid."""
    if builtin.name in _CANCELLABLE and builtin.flag:
        raise ValidationError(f"the `cancellable` immediate of `{builtin.name}` is no longer "
                              "supported: it must be zero", offset)
    fixed = _FIXED.get(builtin.name)
    if fixed is not None:
        return fixed
    handler = _HANDLERS.get(builtin.name)
    if handler is None:
        raise ValidationError(f"unknown canonical built-in `{builtin.name}`", offset)
    return handler(builtin, env, offset)


def _sig(params: Tuple[CoreValType, ...], results: Tuple[CoreValType, ...] = ()
         ) -> CoreFuncType:
    return CoreFuncType(params, results)


_I32 = (I32,)
_I32x2 = (I32, I32)

#: Built-ins whose type is fixed and whose immediates need no check.
_FIXED: Dict[str, CoreFuncType] = {
    "task.cancel": _sig(()),
    "subtask.cancel": _sig(_I32, _I32),
    "subtask.drop": _sig(_I32),
    "thread.yield": _sig((), _I32),
    "error-context.drop": _sig(_I32),
    "waitable-set.new": _sig((), _I32),
    "waitable-set.drop": _sig(_I32),
    "waitable.join": _sig(_I32x2),
    "backpressure.inc": _sig(()),
    "backpressure.dec": _sig(()),
    "thread.index": _sig((), _I32),
    "thread.resume-later": _sig(_I32),
    "thread.suspend": _sig((), _I32),
    "thread.suspend-then-resume": _sig(_I32, _I32),
    "thread.yield-then-resume": _sig(_I32, _I32),
    "thread.suspend-then-promote": _sig(_I32, _I32),
    "thread.yield-then-promote": _sig(_I32, _I32),
    "thread.available_parallelism": _sig((), _I32),
}

#: Built-ins with a ``cancellable`` immediate.
_CANCELLABLE = frozenset({
    "thread.yield", "waitable-set.wait", "waitable-set.poll", "thread.suspend",
    "thread.suspend-then-resume", "thread.yield-then-resume", "thread.suspend-then-promote",
    "thread.yield-then-promote",
})


# -- resources ---------------------------------------------------------------------------


def _resource(builtin: CanonBuiltin, env: BuiltinEnv, offset: int) -> ts.Resource:
    index = _type_index(builtin)
    found = env.type_at(index)
    if not isinstance(found, ts.Resource):
        raise ValidationError(f"type index {index} is not a resource type", offset)
    return found


def _local_rep(builtin: CanonBuiltin, env: BuiltinEnv, offset: int) -> CoreValType:
    resource = _resource(builtin, env, offset)
    if not resource.local or resource.rep is None:
        raise ValidationError(f"type {builtin.type_index} is not a local resource", offset)
    return resource.rep


def _resource_new(builtin: CanonBuiltin, env: BuiltinEnv, offset: int) -> CoreFuncType:
    return _sig((_local_rep(builtin, env, offset),), _I32)


def _resource_rep(builtin: CanonBuiltin, env: BuiltinEnv, offset: int) -> CoreFuncType:
    return _sig(_I32, (_local_rep(builtin, env, offset),))


def _resource_drop(builtin: CanonBuiltin, env: BuiltinEnv, offset: int) -> CoreFuncType:
    _resource(builtin, env, offset)
    return _sig(_I32)


def _type_index(builtin: CanonBuiltin) -> int:
    assert builtin.type_index is not None, builtin
    return builtin.type_index


# -- tasks and contexts ---------------------------------------------------------------------


def _value_type(t: Union[PrimValType, int], env: BuiltinEnv, offset: int) -> ts.ValType:
    if isinstance(t, PrimValType):
        return t
    found = env.type_at(t)
    if isinstance(found, (ts.Resource, ts.Func, ts.Instance, ts.ComponentT)):
        raise ValidationError(f"type index {t} is not a defined type", offset)
    return found


def _task_return(builtin: CanonBuiltin, env: BuiltinEnv, offset: int) -> CoreFuncType:
    params: Tuple[Tuple[str, ts.ValType], ...] = ()
    if builtin.result is not None:
        params = (("v", _value_type(builtin.result, env, offset)),)
    opts = abi.resolve_options(builtin.options, env, offset)
    if opts.realloc is not None:
        raise ValidationError("cannot specify `realloc` option on `task.return`", offset)
    if opts.post_return is not None:
        raise ValidationError("cannot specify `post-return` option on `task.return`", offset)
    abi.check_lower_options(opts, offset)
    _require_sync(opts, builtin, offset)
    return abi.lowered_signature(ts.Func(params, None), opts, offset)


def _require_sync(opts: abi.CanonOpts, builtin: CanonBuiltin, offset: int) -> None:
    if opts.is_async:
        raise ValidationError(f"cannot specify `async` option on `{builtin.name}`", offset)


def _context_type(builtin: CanonBuiltin, env: BuiltinEnv, offset: int) -> CoreValType:
    t = builtin.core_valtype
    if t == I64:
        raise ValidationError(f"64-bit `{builtin.name}` requires the component model 64-bit "
                              "feature", offset)
    if t != I32:
        raise ValidationError(f"`{builtin.name}` only supports `i32` or `i64`", offset)
    index = builtin.context_index or 0
    most = 1 if ComponentFeature.THREADING in env.features else 0
    if index > most:
        raise ValidationError(f"`{builtin.name}` immediate must be at most {most}: {index}",
                              offset)
    return t


def _context_get(builtin: CanonBuiltin, env: BuiltinEnv, offset: int) -> CoreFuncType:
    return _sig((), (_context_type(builtin, env, offset),))


def _context_set(builtin: CanonBuiltin, env: BuiltinEnv, offset: int) -> CoreFuncType:
    return _sig((_context_type(builtin, env, offset),))


# -- streams and futures ---------------------------------------------------------------------


def _async_type(builtin: CanonBuiltin, env: BuiltinEnv, offset: int
                ) -> Union[ts.Stream, ts.Future]:
    """The stream or future type a ``stream.*``/``future.*`` built-in names."""
    index = _type_index(builtin)
    kind = ts.Stream if builtin.name.startswith("stream.") else ts.Future
    found = env.type_at(index)
    if not isinstance(found, kind):
        raise ValidationError(f"`{builtin.name}` requires a {kind.__name__.lower()} type",
                              offset)
    return found


def _handle_op(params: Tuple[CoreValType, ...], results: Tuple[CoreValType, ...] = ()
               ) -> Handler:
    """A stream or future built-in of a fixed type (``new``, ``cancel-*``, ``drop-*``)."""
    def handler(builtin: CanonBuiltin, env: BuiltinEnv, offset: int) -> CoreFuncType:
        _async_type(builtin, env, offset)
        return _sig(params, results)
    return handler


def _copy_op(reading: bool, count: int) -> Handler:
    """``read`` or ``write``: ``count`` i32 parameters (handle, pointer,
    and a length for streams), an i32 result."""
    def handler(builtin: CanonBuiltin, env: BuiltinEnv, offset: int) -> CoreFuncType:
        element = _async_type(builtin, env, offset).element
        opts = abi.resolve_options(builtin.options, env, offset)
        if element is not None:
            abi.require_memory(opts, offset)
            if reading and abi.contains_pointer(element):
                abi.require_realloc(opts, offset)
        abi.check_lower_options(opts, offset)
        return _sig((I32,) * count, _I32)
    return handler


# -- error contexts, waitable sets, threads ---------------------------------------------------


def _error_context_new(builtin: CanonBuiltin, env: BuiltinEnv, offset: int) -> CoreFuncType:
    opts = abi.resolve_options(builtin.options, env, offset)
    abi.require_memory(opts, offset)
    _require_sync(opts, builtin, offset)
    abi.check_lower_options(opts, offset)
    return _sig(_I32x2, _I32)


def _error_context_debug_message(builtin: CanonBuiltin, env: BuiltinEnv, offset: int
                                 ) -> CoreFuncType:
    opts = abi.resolve_options(builtin.options, env, offset)
    abi.require_realloc(opts, offset)
    _require_sync(opts, builtin, offset)
    abi.check_lower_options(opts, offset)
    return _sig(_I32x2)


def _waitable_set_wait(builtin: CanonBuiltin, env: BuiltinEnv, offset: int) -> CoreFuncType:
    assert builtin.memory is not None, builtin
    memory = abi.check_memory(env.memory_at(builtin.memory), offset)
    pointer = I64 if memory.limits.address is AddrType.I64 else I32
    return _sig((I32, pointer), _I32)


def _start_func_type(builtin: CanonBuiltin, env: BuiltinEnv, offset: int) -> SubType:
    """The core function type ``i32 -> ()`` a new thread starts with."""
    assert builtin.core_type_index is not None, builtin
    found = env.core_type_at(builtin.core_type_index)
    if not isinstance(found, SubType) or not isinstance(found.composite, CoreFuncType):
        raise ValidationError("expected a core function type", offset)
    if found.composite.params != _I32:
        raise ValidationError("start function must take a single `i32` argument", offset)
    if found.composite.results:
        raise ValidationError("start function must not return any values", offset)
    return found


def _thread_new_indirect(builtin: CanonBuiltin, env: BuiltinEnv, offset: int) -> CoreFuncType:
    _start_func_type(builtin, env, offset)
    assert builtin.table is not None, builtin
    table = env.table_at(builtin.table)
    if (table.element != FUNCREF or table.limits.address is not AddrType.I32
            or table.limits.shared):
        raise ValidationError("table is not a 32-bit table of (ref null (func))", offset)
    return _sig(_I32x2, _I32)


def _thread_spawn(builtin: CanonBuiltin, env: BuiltinEnv, offset: int) -> CoreFuncType:
    _start_func_type(builtin, env, offset)
    raise ValidationError("spawn type must be shared: core function types here are never "
                          "shared", offset)


_HANDLERS: Dict[str, Handler] = {
    "resource.new": _resource_new,
    "resource.drop": _resource_drop,
    "resource.rep": _resource_rep,
    "task.return": _task_return,
    "context.get": _context_get,
    "context.set": _context_set,
    "error-context.new": _error_context_new,
    "error-context.debug-message": _error_context_debug_message,
    "waitable-set.wait": _waitable_set_wait,
    "waitable-set.poll": _waitable_set_wait,
    "thread.new-indirect": _thread_new_indirect,
    "thread.spawn-ref": _thread_spawn,
    "thread.spawn-indirect": _thread_spawn,
}

for _kind, _count in (("stream", 3), ("future", 2)):
    _HANDLERS.update({
        f"{_kind}.new": _handle_op((), (I64,)),
        f"{_kind}.read": _copy_op(True, _count),
        f"{_kind}.write": _copy_op(False, _count),
        f"{_kind}.cancel-read": _handle_op(_I32, _I32),
        f"{_kind}.cancel-write": _handle_op(_I32, _I32),
        f"{_kind}.drop-readable": _handle_op(_I32),
        f"{_kind}.drop-writable": _handle_op(_I32),
        f"{_kind}.forward": _handle_op(_I32x2),
    })


def builtin_names() -> Tuple[str, ...]:
    """Every built-in :func:`builtin_type` knows."""
    return tuple(sorted(set(_FIXED) | set(_HANDLERS)))

