"""The Canonical ABI's core function types for ``canon lift`` and ``canon lower``.

A component function crosses into core Wasm as a core function whose
parameters and results are the *flattening* of its component types
(:func:`flatten`): each component value becomes a short list of ``i32``,
``i64``, ``f32`` and ``f64`` values, and a value too large to pass flat goes
through linear memory behind a pointer instead. This module computes those
core types and checks the canonical options (``memory``, ``realloc``,
``post-return``, ``async``, ``callback``) that a lift or lower needs, as
``wasm-tools`` 1.262 does with its default features:

* ``canon lift`` (:func:`check_lift`): the core function lifted must have the
  type :func:`lift_type` gives, a final function type alone in its recursion
  group; parameters that need memory need ``memory`` and ``realloc`` (the
  caller writes them into the callee's memory); results passed through
  memory need ``memory``; ``post-return`` takes the core results and returns
  nothing; ``async`` needs an ``async`` function type and a ``callback`` of
  type ``(i32 i32 i32) -> i32`` (stackful async is disabled by default).
* ``canon lower`` (:func:`lower_type`): the core type of the new core
  function; parameters that need memory need ``memory``, results that need
  memory need ``memory`` and ``realloc``; ``post-return`` and ``callback`` are
  not allowed.

The options themselves (:func:`resolve_options`, :func:`check_options`):
each at most once, one string encoding, ``callback`` only with ``async``,
``post-return`` not with ``async``, ``memory`` a plain (unshared) 32-bit
memory -- 64-bit memories need the ``cm64`` feature, disabled by default --
and ``realloc`` of type ``(func (param p p p p) (result p))`` with ``p`` the
memory's address type, which requires ``memory``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Protocol, Sequence, Tuple, TypeVar

from ..errors import ValidationError
from ..syntax.types import F32, F64, I32, I64, AddrType, MemoryType
from ..syntax.types import FuncType as CoreFuncType
from ..syntax.types import ValType as CoreValType
from . import typesys as ts
from .ast import CanonOption, CanonOptionKind, PrimValType

#: At most this many flat parameters are passed directly; more go through memory.
MAX_FLAT_PARAMS = 16
#: At most this many flat results are returned directly.
MAX_FLAT_RESULTS = 1
#: The flat parameter limit of an ``async`` lowering.
MAX_FLAT_ASYNC_PARAMS = 4

_T = TypeVar("_T")


class StringEncoding(enum.Enum):
    UTF8 = "utf8"
    UTF16 = "utf16"
    LATIN1_UTF16 = "latin1-utf16"


_ENCODINGS: Dict[CanonOptionKind, StringEncoding] = {
    CanonOptionKind.UTF8: StringEncoding.UTF8,
    CanonOptionKind.UTF16: StringEncoding.UTF16,
    CanonOptionKind.LATIN1_UTF16: StringEncoding.LATIN1_UTF16,
}


@dataclass(frozen=True)
class CanonOpts:
    """Canonical options with their indices resolved to types.

    ``memory`` is the memory's type, ``realloc``, ``post_return`` and
    ``callback`` the types of those core functions; None when absent."""

    string_encoding: StringEncoding = StringEncoding.UTF8
    memory: Optional[MemoryType] = None
    realloc: Optional[CoreFuncType] = None
    post_return: Optional[CoreFuncType] = None
    is_async: bool = False
    callback: Optional[CoreFuncType] = None

    @property
    def pointer(self) -> CoreValType:
        """The core type of a pointer into ``memory`` (``i32`` without one)."""
        if self.memory is not None and self.memory.limits.address is AddrType.I64:
            return I64
        return I32

    @classmethod
    def from_options(cls, options: Sequence[CanonOption], env: OptionEnv, offset: int = -1
                     ) -> CanonOpts:
        """The options of a canonical definition, resolved and checked
        (:func:`resolve_options`)."""
        return resolve_options(options, env, offset)


class OptionEnv(Protocol):
    """The index spaces that canonical options refer to (the validator's;
    the decoder has checked the indices)."""

    def memory_at(self, index: int) -> MemoryType: ...

    def core_func_type_at(self, index: int) -> CoreFuncType:
        """The type of core function ``index``."""
        ...


# -- flattening ------------------------------------------------------------------------


_PRIMITIVE_FLAT: Dict[PrimValType, CoreValType] = {
    PrimValType.S64: I64,
    PrimValType.U64: I64,
    PrimValType.F32: F32,
    PrimValType.F64: F64,
}


def flatten(t: ts.ValType, pointer: CoreValType = I32) -> List[CoreValType]:
    """The flat core types of a value of type ``t`` (``pointer``: the type of
    an address, for strings and lists)."""
    flat = flatten_at_most(t, None, pointer)
    assert flat is not None
    return flat


def flatten_at_most(t: ts.ValType, limit: Optional[int],
                    pointer: CoreValType = I32) -> Optional[List[CoreValType]]:
    """:func:`flatten`, or None as soon as there are more than ``limit``
    flat types (None: no limit)."""
    return _Flattener(pointer).types([t], limit)


class _Flattener:
    def __init__(self, pointer: CoreValType) -> None:
        self.pointer = pointer

    def types(self, items: Sequence[ts.ValType], limit: Optional[int]
              ) -> Optional[List[CoreValType]]:
        """The concatenated flattening of ``items``."""
        out: List[CoreValType] = []
        for item in items:
            room = None if limit is None else limit - len(out)
            flat = self.one(item, room)
            if flat is None:
                return None
            out.extend(flat)
        return out

    def one(self, t: ts.ValType, limit: Optional[int]) -> Optional[List[CoreValType]]:
        flat = self._flat(t, limit)
        if flat is None or (limit is not None and len(flat) > limit):
            return None
        return flat

    def _flat(self, t: ts.ValType, limit: Optional[int]) -> Optional[List[CoreValType]]:
        if isinstance(t, PrimValType):
            if t is PrimValType.STRING:
                return [self.pointer, self.pointer]
            return [_PRIMITIVE_FLAT.get(t, I32)]
        if isinstance(t, ts.Record):
            return self.types([field for _, field in t.fields], limit)
        if isinstance(t, ts.Tuple_):
            return self.types(t.types, limit)
        if isinstance(t, ts.List):
            if t.length is None:
                return [self.pointer, self.pointer]
            return self.types([t.element] * _capped(t.length, limit), limit)
        if isinstance(t, ts.Map):
            return [self.pointer, self.pointer]
        if isinstance(t, ts.Flags):
            return [I32] * ((len(t.labels) + 31) // 32)
        if isinstance(t, (ts.Variant, ts.Option, ts.Result)):
            return self.variant(_case_types(t), limit)
        return [I32]  # enum, own, borrow, stream, future

    def variant(self, cases: Sequence[ts.ValType], limit: Optional[int]
                ) -> Optional[List[CoreValType]]:
        """The discriminant, then the payloads of all cases joined position by position."""
        room = None if limit is None else limit - 1
        if room is not None and room < 0:
            return None
        joined: List[CoreValType] = []
        for case in cases:
            flat = self.one(case, room)
            if flat is None:
                return None
            for i, flat_type in enumerate(flat):
                if i < len(joined):
                    joined[i] = join(joined[i], flat_type)
                else:
                    joined.append(flat_type)
        return [I32, *joined]


def _capped(length: int, limit: Optional[int]) -> int:
    """How many elements of a fixed-length list to flatten: each has at least
    one flat type unless it has none, so ``limit + 1`` settle an overflow."""
    return length if limit is None else min(length, limit + 1)


def _case_types(t: ts.ValType) -> List[ts.ValType]:
    """The payload types of a variant, option or result (cases without one left out)."""
    if isinstance(t, ts.Variant):
        return [case for _, case in t.cases if case is not None]
    if isinstance(t, ts.Option):
        return [t.type]
    assert isinstance(t, ts.Result)
    return [case for case in (t.ok, t.error) if case is not None]


def join(a: CoreValType, b: CoreValType) -> CoreValType:
    """The flat type that holds both a value of flat type ``a`` and one of ``b``."""
    if a == b:
        return a
    if {a, b} == {I32, F32}:
        return I32
    return I64


def contains_pointer(t: ts.ValType) -> bool:
    """Whether a value of type ``t`` refers to linear memory (a string, list or map)."""
    if isinstance(t, PrimValType):
        return t is PrimValType.STRING
    if isinstance(t, ts.List):
        return t.length is None or contains_pointer(t.element)
    if isinstance(t, ts.Map):
        return True
    if isinstance(t, ts.Record):
        return any(contains_pointer(field) for _, field in t.fields)
    if isinstance(t, ts.Tuple_):
        return any(contains_pointer(item) for item in t.types)
    if isinstance(t, (ts.Variant, ts.Option, ts.Result)):
        return any(contains_pointer(case) for case in _case_types(t))
    return False


# -- options -----------------------------------------------------------------------------


def resolve_options(options: Sequence[CanonOption], env: OptionEnv, offset: int) -> CanonOpts:
    """The :class:`CanonOpts` of a list of canonical options, checked
    (:func:`check_options`)."""
    seen: Dict[CanonOptionKind, CanonOption] = {}
    encoding: Optional[StringEncoding] = None
    for option in options:
        if option.kind in _ENCODINGS:
            if encoding is not None:
                raise ValidationError(f"canonical encoding option `{encoding.value}` conflicts "
                                      "with another string encoding", offset)
            encoding = _ENCODINGS[option.kind]
        elif option.kind in seen:
            raise ValidationError(f"canonical option `{_option_name(option.kind)}` is "
                                  "specified more than once", offset)
        seen[option.kind] = option
    opts = CanonOpts(
        string_encoding=encoding or StringEncoding.UTF8,
        memory=_resolve(seen, CanonOptionKind.MEMORY, env.memory_at),
        realloc=_resolve(seen, CanonOptionKind.REALLOC, env.core_func_type_at),
        post_return=_resolve(seen, CanonOptionKind.POST_RETURN, env.core_func_type_at),
        is_async=CanonOptionKind.ASYNC in seen,
        callback=_resolve(seen, CanonOptionKind.CALLBACK, env.core_func_type_at),
    )
    check_options(opts, offset)
    return opts


def _option_name(kind: CanonOptionKind) -> str:
    return kind.name.lower().replace("_", "-")


def _resolve(seen: Dict[CanonOptionKind, CanonOption], kind: CanonOptionKind,
             lookup: Callable[[int], _T]) -> Optional[_T]:
    option = seen.get(kind)
    if option is None:
        return None
    assert option.index is not None
    return lookup(option.index)


def check_options(opts: CanonOpts, offset: int) -> None:
    """The rules of canonical options that need only their types."""
    if opts.callback is not None and not opts.is_async:
        raise ValidationError("cannot specify callback without async", offset)
    if opts.post_return is not None and opts.is_async:
        raise ValidationError("cannot specify post-return function in async", offset)
    if opts.memory is not None:
        check_memory(opts.memory, offset)
    if opts.realloc is not None:
        if opts.memory is None:
            raise ValidationError("canonical option `realloc` requires `memory` to also be "
                                  "specified", offset)
        p = opts.pointer
        if opts.realloc != CoreFuncType((p, p, p, p), (p,)):
            raise ValidationError("canonical option `realloc` uses a core function with an "
                                  "incorrect signature", offset)


def check_memory(memory: MemoryType, offset: int) -> MemoryType:
    """A memory the Canonical ABI may use: not shared, and 32-bit (64-bit
    memories need the ``cm64`` feature, disabled by default)."""
    if memory.limits.address is AddrType.I64:
        raise ValidationError("64-bit memories require the `cm64` feature to be enabled",
                              offset)
    if memory.limits.shared:
        raise ValidationError("the canonical ABI cannot use a shared memory", offset)
    return memory


def require_memory(opts: CanonOpts, offset: int) -> None:
    if opts.memory is None:
        raise ValidationError("canonical option `memory` is required", offset)


def require_realloc(opts: CanonOpts, offset: int) -> None:
    require_memory(opts, offset)
    if opts.realloc is None:
        raise ValidationError("canonical option `realloc` is required", offset)


def check_lower_options(opts: CanonOpts, offset: int) -> None:
    """Options a lowering (and the built-ins that lower values) may not have."""
    if opts.post_return is not None:
        raise ValidationError("canonical option `post-return` cannot be specified for "
                              "lowerings", offset)
    if opts.callback is not None:
        raise ValidationError("canonical option `callback` cannot be specified for lowerings",
                              offset)


def _check_asyncness(func: ts.Func, opts: CanonOpts, offset: int) -> None:
    if opts.is_async and not func.is_async:
        raise ValidationError("the `async` canonical option requires an async function type",
                              offset)


# -- lift and lower ----------------------------------------------------------------------


def _params(func: ts.Func) -> List[ts.ValType]:
    return [t for _, t in func.params]


def _flat_params(func: ts.Func, opts: CanonOpts, limit: int) -> Optional[List[CoreValType]]:
    return _Flattener(opts.pointer).types(_params(func), limit)


def lift_type(func: ts.Func, opts: CanonOpts, offset: int) -> CoreFuncType:
    """The core type of a core function lifted to ``func`` with ``opts``;
    raises when ``opts`` lack the ``memory`` or ``realloc`` the values need."""
    if any(contains_pointer(t) for t in _params(func)):
        require_realloc(opts, offset)
    params = _flat_params(func, opts, MAX_FLAT_PARAMS)
    if params is None:
        require_realloc(opts, offset)
        params = [opts.pointer]
    results: List[CoreValType] = []
    if opts.is_async:
        if func.result is not None and (
                contains_pointer(func.result)
                or flatten_at_most(func.result, MAX_FLAT_PARAMS, opts.pointer) is None):
            require_memory(opts, offset)
        if opts.callback is not None:
            results = [I32]
    elif func.result is not None:
        flat = flatten_at_most(func.result, MAX_FLAT_RESULTS, opts.pointer)
        if flat is None:
            require_memory(opts, offset)
            flat = [opts.pointer]
        results = flat
    return CoreFuncType(tuple(params), tuple(results))


def check_lift(func: ts.Func, opts: CanonOpts, core_type: CoreFuncType, offset: int,
               *, plain: bool = True) -> None:
    """Check ``canon lift`` of a core function of type ``core_type`` to a
    component function of type ``func``.

    ``plain`` says that the core function's type is a final function type
    without supertypes, alone in its recursion group: the Canonical ABI's
    type is such a type, and no other type is equal to it."""
    check_options(opts, offset)
    if opts.post_return is not None and (
            opts.post_return.params != core_type.results or opts.post_return.results):
        raise ValidationError("canonical option `post-return` uses a core function with an "
                              "incorrect signature", offset)
    if opts.is_async:
        if opts.callback is None:
            raise ValidationError("an async lift without `callback` requires the component "
                                  "model async stackful feature", offset)
        if opts.callback != CoreFuncType((I32, I32, I32), (I32,)):
            raise ValidationError("canonical option `callback` uses a core function with an "
                                  "incorrect signature", offset)
    _check_asyncness(func, opts, offset)
    expected = lift_type(func, opts, offset)
    if expected.params != core_type.params:
        raise ValidationError(f"lowered parameter types {_show(expected.params)} do not match "
                              f"parameter types {_show(core_type.params)} of the core "
                              "function", offset)
    if expected.results != core_type.results:
        raise ValidationError(f"lowered result types {_show(expected.results)} do not match "
                              f"result types {_show(core_type.results)} of the core function",
                              offset)
    if not plain:
        raise ValidationError("the core function's type is not a final function type alone "
                              "in its recursion group, as the lowered type is", offset)


def lower_type(func: ts.Func, opts: CanonOpts, offset: int) -> CoreFuncType:
    """The core type of ``canon lower`` of a function of type ``func`` with
    ``opts``, after checking the options a lowering may have and needs."""
    check_options(opts, offset)
    check_lower_options(opts, offset)
    _check_asyncness(func, opts, offset)
    return lowered_signature(func, opts, offset)


def lowered_signature(func: ts.Func, opts: CanonOpts, offset: int) -> CoreFuncType:
    """The Canonical ABI's lowering of ``func`` (no option checks but the
    ``memory`` and ``realloc`` its values need)."""
    if any(contains_pointer(t) for t in _params(func)):
        require_memory(opts, offset)
    params = _flat_params(func, opts,
                          MAX_FLAT_ASYNC_PARAMS if opts.is_async else MAX_FLAT_PARAMS)
    if params is None:
        require_memory(opts, offset)
        params = [opts.pointer]
    if func.result is not None and contains_pointer(func.result):
        require_realloc(opts, offset)
    results: List[CoreValType] = []
    if opts.is_async:
        if func.result is not None:
            require_memory(opts, offset)
            params.append(I32)
        results = [I32]
    elif func.result is not None:
        flat = flatten_at_most(func.result, MAX_FLAT_RESULTS, opts.pointer)
        if flat is None:
            require_memory(opts, offset)
            params.append(opts.pointer)
        else:
            results = flat
    return CoreFuncType(tuple(params), tuple(results))


def _show(types: Tuple[CoreValType, ...]) -> str:
    return "[" + ", ".join(repr(t) for t in types) + "]"


# -- sizes in linear memory ------------------------------------------------------------------

#: The size and alignment (bytes) of each primitive type in linear memory.
_PRIMITIVE_LAYOUT: Dict[PrimValType, Tuple[int, int]] = {
    PrimValType.BOOL: (1, 1), PrimValType.S8: (1, 1), PrimValType.U8: (1, 1),
    PrimValType.S16: (2, 2), PrimValType.U16: (2, 2),
    PrimValType.S32: (4, 4), PrimValType.U32: (4, 4), PrimValType.F32: (4, 4),
    PrimValType.CHAR: (4, 4), PrimValType.ERROR_CONTEXT: (4, 4),
    PrimValType.S64: (8, 8), PrimValType.U64: (8, 8), PrimValType.F64: (8, 8),
    # As in a 64-bit memory, the larger: a pointer and a length of 8 bytes each.
    PrimValType.STRING: (16, 8),
}


def _align_to(offset: int, alignment: int) -> int:
    return -(-offset // alignment) * alignment


def _discriminant(cases: int) -> Tuple[int, int]:
    size = 1 if cases <= 1 << 8 else 2 if cases <= 1 << 16 else 4
    return size, size


def _record_layout(fields: Sequence[Tuple[int, int]]) -> Tuple[int, int]:
    size, alignment = 0, 1
    for field_size, field_alignment in fields:
        size = _align_to(size, field_alignment) + field_size
        alignment = max(alignment, field_alignment)
    return _align_to(size, alignment), alignment


def _variant_layout(discriminant: Tuple[int, int], payloads: Sequence[Tuple[int, int]]
                    ) -> Tuple[int, int]:
    payload_alignment = max((a for _, a in payloads), default=1)
    alignment = max(discriminant[1], payload_alignment)
    size = _align_to(discriminant[0], payload_alignment) + max((s for s, _ in payloads),
                                                              default=0)
    return _align_to(size, alignment), alignment


class MemoryLayout:
    """The most bytes (and the alignment) a value type takes in linear memory
    as the Canonical ABI stores it -- in a 64-bit memory, where strings and
    lists take 16 bytes -- memoised by the identity of each type."""

    def __init__(self) -> None:
        self._memo: ts.IdentityMemo[Tuple[int, int]] = ts.IdentityMemo()

    def layout(self, t: ts.ValType) -> Tuple[int, int]:
        if isinstance(t, PrimValType):
            return _PRIMITIVE_LAYOUT[t]
        return self._memo.get(t, self._compute)

    def _compute(self, t: Any) -> Tuple[int, int]:
        if isinstance(t, ts.List):
            if t.length is None:
                return 16, 8
            size, alignment = self.layout(t.element)
            return size * t.length, alignment
        if isinstance(t, ts.Map):
            return 16, 8
        if isinstance(t, (ts.Record, ts.Tuple_)):
            members = [f for _, f in t.fields] if isinstance(t, ts.Record) else list(t.types)
            return _record_layout([self.layout(m) for m in members])
        if isinstance(t, ts.Flags):
            count = len(t.labels)
            return (1, 1) if count <= 8 else (2, 2) if count <= 16 else (4 * -(-count // 32), 4)
        if isinstance(t, ts.Enum):
            return _discriminant(len(t.labels))
        if isinstance(t, (ts.Variant, ts.Option, ts.Result)):
            count = len(t.cases) if isinstance(t, ts.Variant) else 2
            return _variant_layout(_discriminant(count),
                                   [self.layout(c) for c in _case_types(t)])
        return 4, 4  # own, borrow, stream, future: a handle
