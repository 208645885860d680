"""The types of a component's definitions, resolved.

The decoder's AST names types by index (:mod:`wasmport.component.ast`); the
validator (:mod:`wasmport.component.validate`) resolves each index to the
type it stands for, so two types can be compared without their index spaces.

* A value type is a :class:`PrimValType` or one of the frozen dataclasses
  below (:data:`ValType`); two value types are equal when they are ``==``.
* A resource type is a :class:`Resource`, compared by identity: each
  ``(type (resource ...))``, each ``(sub resource)`` import or export and each
  instantiation that defines resources makes new ones.
* Function, instance, component and core module types are frozen
  dataclasses too. An instance or component type lists the resources it
  quantifies over (``defined``: the abstract resources its exports introduce;
  ``imported``: those its imports introduce), which a use of the type
  replaces by fresh or actual resources (:func:`substitute`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import (
    Any,
    Callable,
    Dict,
    FrozenSet,
    Generic,
    Iterator,
    Mapping,
    Optional,
    Tuple,
    TypeVar,
    Union,
)

from ..syntax.types import FuncType as CoreFuncType
from ..syntax.types import GlobalType, MemoryType, RecType, RefType, TableType
from ..syntax.types import ValType as CoreValType
from .ast import PrimValType

_serial = itertools.count()
_T = TypeVar("_T")
_V = TypeVar("_V")


class Resource:
    """A resource type; equal only to itself.

    ``rep`` is the core representation type of a resource defined by
    ``(type (resource (rep ...)))``, None for an abstract one; ``local`` is
    set for those defined in a component (``resource.new`` and
    ``resource.rep`` need one); ``name`` is for messages."""

    __slots__ = ("name", "rep", "local", "serial")

    def __init__(self, name: str = "", rep: Optional[CoreValType] = None,
                 local: bool = False) -> None:
        self.name = name
        self.rep = rep
        self.local = local
        self.serial = next(_serial)

    def fresh(self) -> Resource:
        """A new abstract resource of the same name."""
        return Resource(self.name)

    def __repr__(self) -> str:
        return f"Resource({self.name or '?'}#{self.serial})"


# -- value types ---------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    fields: Tuple[Tuple[str, ValType], ...]


@dataclass(frozen=True)
class Variant:
    cases: Tuple[Tuple[str, Optional[ValType]], ...]


@dataclass(frozen=True)
class List:
    element: ValType
    length: Optional[int] = None


@dataclass(frozen=True)
class Tuple_:
    types: Tuple[ValType, ...]


@dataclass(frozen=True)
class Flags:
    labels: Tuple[str, ...]


@dataclass(frozen=True)
class Enum:
    labels: Tuple[str, ...]


@dataclass(frozen=True)
class Option:
    type: ValType


@dataclass(frozen=True)
class Result:
    ok: Optional[ValType]
    error: Optional[ValType]


@dataclass(frozen=True)
class Own:
    """``(own r)``. ``handle`` (not part of equality) is the identity of the
    type index the handle names, for the rule that exported functions name
    only exported or imported resources."""

    resource: Resource
    handle: object = field(default=None, compare=False)


@dataclass(frozen=True)
class Borrow:
    resource: Resource
    handle: object = field(default=None, compare=False)


@dataclass(frozen=True)
class Stream:
    element: Optional[ValType]


@dataclass(frozen=True)
class Future:
    element: Optional[ValType]


@dataclass(frozen=True)
class Map:
    key: ValType
    value: ValType


Defined = Union[Record, Variant, List, Tuple_, Flags, Enum, Option, Result, Own, Borrow,
                Stream, Future, Map]
ValType = Union[PrimValType, Defined]


# -- function, instance, component and module types ------------------------------------------


@dataclass(frozen=True)
class Func:
    params: Tuple[Tuple[str, ValType], ...]
    result: Optional[ValType]
    is_async: bool = False


@dataclass(frozen=True)
class TypeExtern:
    """The extern type of an imported or exported type: the type itself.
    ``handle`` (not part of equality) is the identity of a resource type's
    index, as :class:`Own` has it."""

    type: AnyType
    handle: object = field(default=None, compare=False)


@dataclass(frozen=True)
class ValueExtern:
    type: ValType


@dataclass(frozen=True)
class Instance:
    exports: Tuple[Tuple[str, Extern], ...]
    defined: Tuple[Resource, ...] = ()

    def export(self, name: str) -> Optional[Extern]:
        return _lookup(self.exports, name)


@dataclass(frozen=True)
class ComponentT:
    imports: Tuple[Tuple[str, Extern], ...]
    exports: Tuple[Tuple[str, Extern], ...]
    imported: Tuple[Resource, ...] = ()
    defined: Tuple[Resource, ...] = ()

    def import_(self, name: str) -> Optional[Extern]:
        return _lookup(self.imports, name)

    def export(self, name: str) -> Optional[Extern]:
        return _lookup(self.exports, name)


# -- core types ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class GroupedFuncType(CoreFuncType):
    """A core function type known by its place among the module's types:
    one that is not *plain* (not final, with supertypes, or sharing its
    recursion group) or that refers to other defined types.

    Two are the same type when their canonical ids (the process-wide ids of
    :mod:`wasmport.valid.canon`) are; ``supers`` holds the canonical ids of
    the type and of its declared supertypes, of which it is a subtype. It is
    never equal to a plain :class:`~wasmport.syntax.types.FuncType`: the
    Canonical ABI's types are plain, so ``canon lift`` refuses such a
    function unless ``plain`` (a plain type with references) is set."""

    canonical: int = -1
    supers: FrozenSet[int] = frozenset()
    plain: bool = False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GroupedFuncType) and other.canonical == self.canonical

    def __hash__(self) -> int:
        return hash(("grouped", self.canonical))

    def matches(self, expected: CoreFuncType) -> bool:
        """Whether this type is ``expected`` or a declared subtype of it."""
        return isinstance(expected, GroupedFuncType) and expected.canonical in self.supers


def is_plain(group: RecType, position: int) -> bool:
    """Whether type ``position`` of ``group`` is final, without supertypes or
    descriptors, and alone in its group (as the Canonical ABI's types are)."""
    sub = group.subtypes[position]
    return (len(group.subtypes) == 1 and sub.final and not sub.supertypes
            and sub.descriptor is None and sub.describes is None)


def has_type_references(func: CoreFuncType) -> bool:
    """Whether a core function type refers to defined types by index."""
    return any(isinstance(t, RefType) and isinstance(t.heap, int)
               for t in func.params + func.results)


def core_func_type(group: RecType, position: int, canonical: Callable[[], Tuple[int, FrozenSet[int]]]
                   ) -> CoreFuncType:
    """The function type at ``position`` of ``group``, as a component sees
    it: a plain type of numeric and abstract reference types by its
    structure, any other by its canonical id (``canonical()`` gives the id
    and the ids of its declared supertypes)."""
    composite = group.subtypes[position].composite
    assert isinstance(composite, CoreFuncType)
    plain = is_plain(group, position)
    if plain and not has_type_references(composite):
        return composite
    ident, supers = canonical()
    return GroupedFuncType(composite.params, composite.results, ident, supers, plain)


@dataclass(frozen=True)
class CoreTag:
    """A core tag's type: the func type of its parameters."""

    type: CoreFuncType


CoreItem = Union[CoreFuncType, TableType, MemoryType, GlobalType, CoreTag]


@dataclass(frozen=True)
class ModuleT:
    imports: Tuple[Tuple[str, str, CoreItem], ...]
    exports: Tuple[Tuple[str, CoreItem], ...]


@dataclass(frozen=True)
class CoreInstanceT:
    exports: Tuple[Tuple[str, CoreItem], ...]

    def export(self, name: str) -> Optional[CoreItem]:
        return _lookup(self.exports, name)


Extern = Union[ModuleT, Func, ValueExtern, TypeExtern, ComponentT, Instance]
#: What a component type index stands for.
AnyType = Union[ValType, Func, Instance, ComponentT, Resource]


def _lookup(pairs: Tuple[Tuple[str, _T], ...], name: str) -> Optional[_T]:
    for key, item in pairs:
        if key == name:
            return item
    return None


def describe(item: object) -> str:
    """``func``, ``instance``...: the kind of an extern or type, for messages."""
    if isinstance(item, TypeExtern):
        return "type"
    if isinstance(item, ValueExtern):
        return "value"
    if isinstance(item, Resource):
        return "resource"
    names = {Func: "func", Instance: "instance", ComponentT: "component", ModuleT: "module"}
    return names.get(type(item), "defined type")


# -- walking and substituting ----------------------------------------------------------


class IdentityMemo(Generic[_V]):
    """Values computed for types, by the identity of each type object; each
    object is kept alive, so no ``id`` is reused while the memo lives."""

    def __init__(self) -> None:
        self._known: Dict[int, Tuple[object, _V]] = {}

    def get(self, item: object, compute: Callable[[object], _V]) -> _V:
        """The value for ``item``, from ``compute(item)`` the first time."""
        found = self._known.get(id(item))
        if found is None:
            found = (item, compute(item))
            self._known[id(item)] = found
        return found[1]


def children(item: object) -> Iterator[object]:
    """The types directly inside ``item`` (any type of this module)."""
    if isinstance(item, (PrimValType, Resource)) or item is None:
        return
    if isinstance(item, (Record, Func)):
        pairs = item.fields if isinstance(item, Record) else item.params
        yield from (t for _, t in pairs)
        if isinstance(item, Func) and item.result is not None:
            yield item.result
    elif isinstance(item, Variant):
        yield from (t for _, t in item.cases if t is not None)
    elif isinstance(item, Tuple_):
        yield from item.types
    elif isinstance(item, (Instance, ComponentT)):
        if isinstance(item, ComponentT):
            yield from (t for _, t in item.imports)
        yield from (t for _, t in item.exports)
    elif isinstance(item, (Own, Borrow)):
        yield item.resource
    elif isinstance(item, (TypeExtern, ValueExtern, Option)):
        yield item.type
    else:
        yield from _other_children(item)


def _other_children(item: object) -> Iterator[object]:
    if isinstance(item, List):
        yield item.element
    elif isinstance(item, Result):
        yield from (t for t in (item.ok, item.error) if t is not None)
    elif isinstance(item, (Stream, Future)):
        if item.element is not None:
            yield item.element
    elif isinstance(item, Map):
        yield item.key
        yield item.value


def resources(item: object) -> Iterator[Resource]:
    """Every resource ``item`` refers to (repeats possible)."""
    if isinstance(item, Resource):
        yield item
        return
    for child in children(item):
        yield from resources(child)


Mapping_ = Mapping[Resource, Resource]


def substitute(item: Any, mapping: Mapping_,
               renames: Optional[Mapping[int, object]] = None) -> Any:
    """``item`` with each resource in ``mapping`` replaced, and each type or
    resource handle whose ``id`` is in ``renames`` replaced by what it maps
    to (the types an instantiation supplies for a component's type imports).
    ``item`` may be a type, or a tuple of ``(name, type)`` pairs substituted
    as one (a type used twice is rebuilt once)."""
    if not mapping and not renames:
        return item
    return _Substitution(mapping, renames or {}).apply(item)


class _Substitution:
    def __init__(self, mapping: Mapping_, renames: Mapping[int, object]) -> None:
        self.mapping = mapping
        self.renames = renames
        self.memo: Dict[int, object] = {}

    def handle(self, handle: object) -> object:
        return self.renames.get(id(handle), handle)

    def apply(self, item: Any) -> Any:
        if isinstance(item, Resource):
            return self.mapping.get(item, item)
        if isinstance(item, (PrimValType, str)) or item is None:
            return item
        if isinstance(item, tuple):  # (name, type) pairs, substituted together
            return tuple(self.apply(part) for part in item)
        key = id(item)
        if key in self.renames:
            return self.renames[key]
        if key not in self.memo:
            self.memo[key] = self._rebuild(item)
        return self.memo[key]

    def _pairs(self, pairs: Tuple[Tuple[str, Any], ...]) -> Tuple[Tuple[str, Any], ...]:
        return tuple((name, self.apply(t)) for name, t in pairs)

    def _resources(self, quantified: Tuple[Resource, ...]) -> Tuple[Resource, ...]:
        return tuple(self.mapping.get(r, r) for r in quantified)

    def _rebuild(self, item: object) -> object:
        rebuild = _REBUILD.get(type(item))
        assert rebuild is not None, f"not a component type: {item!r}"
        return rebuild(self, item)


def _rebuild_instance(sub: _Substitution, item: Any) -> Instance:
    return Instance(sub._pairs(item.exports), sub._resources(item.defined))


def _rebuild_component(sub: _Substitution, item: Any) -> ComponentT:
    return ComponentT(sub._pairs(item.imports), sub._pairs(item.exports),
                      sub._resources(item.imported), sub._resources(item.defined))


_REBUILD: Dict[type, Callable[[_Substitution, Any], Any]] = {
    Record: lambda s, t: Record(s._pairs(t.fields)),
    Variant: lambda s, t: Variant(tuple((n, s.apply(c)) for n, c in t.cases)),
    List: lambda s, t: List(s.apply(t.element), t.length),
    Tuple_: lambda s, t: Tuple_(tuple(s.apply(x) for x in t.types)),
    Flags: lambda s, t: t,
    Enum: lambda s, t: t,
    Option: lambda s, t: Option(s.apply(t.type)),
    Result: lambda s, t: Result(s.apply(t.ok), s.apply(t.error)),
    Own: lambda s, t: Own(s.apply(t.resource), s.handle(t.handle)),
    Borrow: lambda s, t: Borrow(s.apply(t.resource), s.handle(t.handle)),
    Stream: lambda s, t: Stream(s.apply(t.element)),
    Future: lambda s, t: Future(s.apply(t.element)),
    Map: lambda s, t: Map(s.apply(t.key), s.apply(t.value)),
    Func: lambda s, t: Func(s._pairs(t.params), s.apply(t.result), t.is_async),
    TypeExtern: lambda s, t: TypeExtern(s.apply(t.type), s.handle(t.handle)),
    ValueExtern: lambda s, t: ValueExtern(s.apply(t.type)),
    Instance: _rebuild_instance,
    ComponentT: _rebuild_component,
    ModuleT: lambda s, t: t,
}


def freshen(item: Any, quantified: Tuple[Resource, ...]) -> Tuple[Any, Dict[Resource, Resource]]:
    """``item`` with each resource of ``quantified`` replaced by a fresh one."""
    mapping = {r: r.fresh() for r in quantified}
    return substitute(item, mapping), mapping
