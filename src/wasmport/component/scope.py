"""Index spaces of a component, component type, instance type or module type.

A :class:`Scope` counts the definitions of each sort as the definitions are
read in order, so that an index can be checked against the definitions that
precede it, and knows its enclosing scope, for ``outer`` aliases. It also
keeps the import and export names seen so far, to reject duplicates.
"""

from __future__ import annotations

import enum
from typing import Dict, FrozenSet, List, Optional, Sequence, Set

from ..errors import ValidationError
from .ast import ComponentSort, CoreSort, Sort
from .gates import ComponentFeature


class TypeKind(enum.Enum):
    """What a component type index names, as far as the scope knows."""

    VALUE = "defined"  # a defvaltype
    FUNC = "function"
    COMPONENT = "component"
    INSTANCE = "instance"
    RESOURCE = "resource"
    #: Not known without type information this decoder does not keep (the
    #: type exported by an instance): every check of the kind passes.
    UNKNOWN = "unknown"


class CoreTypeKind(enum.Enum):
    """What a core type index names."""

    FUNC = "function"
    STRUCT = "struct"
    ARRAY = "array"
    MODULE = "module"


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


class ScopeKind(enum.Enum):
    COMPONENT = "component"
    COMPONENT_TYPE = "component type"
    INSTANCE_TYPE = "instance type"
    MODULE_TYPE = "module type"


def sort_name(sort: Sort) -> str:
    """``core func``, ``type``...: the sort as the text format spells it."""
    name = sort.name.lower()
    return f"core {name}" if isinstance(sort, CoreSort) else name


def unique_key(name: str) -> str:
    """The form of an import or export name under which two names clash
    ("strongly-unique" names), as far as the decoder checks it: lower case
    (but for an interface version, compared as written), ``[method]r.r``/
    ``[static]r.r`` reduced to ``r``, and any ``[...]`` annotation but
    ``[constructor]`` dropped. The validator checks the exact rule on parsed
    names (:func:`wasmport.component.names.unique_key`)."""
    base, at, version = name.partition("@")
    lowered = base.lower() + at + version
    if not lowered.startswith("[") or lowered.startswith("[constructor]"):
        return lowered
    close = lowered.find("]")
    if close < 0:
        return lowered
    annotation, rest = lowered[1:close], lowered[close + 1:]
    resource, dot, member = rest.partition(".")
    if annotation in ("method", "static") and dot and resource == member:
        return resource
    return rest


#: The deepest nesting of components and component/instance/module types decoded
#: (wasm-tools stops at 1,000 modules and components in all).
MAX_NESTING = 1000


class NestingTooDeep(RecursionError):
    """Scopes nested beyond :data:`MAX_NESTING`; the decoder reports it as it
    reports running out of Python stack (a DecodeError at the section)."""


class Scope:
    """The index spaces of one scope, built in definition order."""

    __slots__ = ("kind", "parent", "level", "features", "counts", "types", "core_types",
                 "import_names", "export_names")

    def __init__(self, kind: ScopeKind, parent: Optional[Scope] = None,
                 features: FrozenSet[ComponentFeature] = frozenset()) -> None:
        self.kind = kind
        self.parent = parent
        #: How many scopes enclose this one; beyond MAX_NESTING decoding stops.
        self.level: int = parent.level + 1 if parent is not None else 0
        if self.level > MAX_NESTING:
            raise NestingTooDeep(self.level)
        #: The optional features enabled (those of the outermost scope).
        self.features: FrozenSet[ComponentFeature] = (
            parent.features if parent is not None else features)
        self.counts: Dict[Sort, int] = {}
        #: The kind of each type and core type, in index order.
        self.types: List[TypeKind] = []
        self.core_types: List[Optional[CoreTypeKind]] = []
        self.import_names: Set[str] = set()
        self.export_names: Set[str] = set()

    def require(self, feature: ComponentFeature, what: str, offset: int) -> None:
        """Fail unless ``feature`` is enabled: ``what`` needs it."""
        if feature not in self.features:
            raise ValidationError(f"{what} requires the component model {feature.value} "
                                  "feature", offset)

    def size(self, sort: Sort) -> int:
        if sort is ComponentSort.TYPE:
            return len(self.types)
        if sort is CoreSort.TYPE:
            return len(self.core_types)
        return self.counts.get(sort, 0)

    def add(self, sort: Sort, count: int = 1) -> None:
        """Add ``count`` definitions of ``sort`` (types of a kind not known)."""
        if sort is ComponentSort.TYPE:
            self.types.extend([TypeKind.UNKNOWN] * count)
        elif sort is CoreSort.TYPE:
            self.core_types.extend([None] * count)
        else:
            self.counts[sort] = self.counts.get(sort, 0) + count

    def add_type(self, kind: TypeKind) -> None:
        self.types.append(kind)

    def add_core_types(self, kinds: Sequence[CoreTypeKind]) -> None:
        self.core_types.extend(kinds)

    def type_kind(self, index: int, offset: int) -> TypeKind:
        self.check(ComponentSort.TYPE, index, offset)
        return self.types[index]

    def core_type_kind(self, index: int, offset: int) -> Optional[CoreTypeKind]:
        self.check(CoreSort.TYPE, index, offset)
        return self.core_types[index]

    def expect_type(self, index: int, kind: TypeKind, offset: int) -> None:
        """Fail unless type ``index`` exists and may be of ``kind``."""
        found = self.type_kind(index, offset)
        if found is not kind and found is not TypeKind.UNKNOWN:
            raise ValidationError(f"type index {index} is not {_article(kind.value)} "
                                  f"{kind.value} type", offset)

    def expect_core_type(self, index: int, kind: CoreTypeKind, offset: int) -> None:
        found = self.core_type_kind(index, offset)
        if found is not kind and found is not None:
            raise ValidationError(f"core type index {index} is not {_article(kind.value)} "
                                  f"{kind.value} type", offset)

    def check(self, sort: Sort, index: int, offset: int, extra: int = 0) -> None:
        """Fail unless ``index`` is in ``sort``'s index space (plus ``extra``
        entries being defined, such as the rest of a recursive type group)."""
        size = self.size(sort) + extra
        if index >= size:
            name = sort_name(sort)
            raise ValidationError(
                f"unknown {name} {index}: {name} index out of bounds "
                f"({size} defined in this {self.kind.value})", offset)

    def outer(self, count: int, offset: int) -> Scope:
        """The scope ``count`` levels out (0 is this scope)."""
        scope: Scope = self
        for _ in range(count):
            if scope.parent is None:
                raise ValidationError(
                    f"invalid outer alias count of {count}: only "
                    f"{self.depth()} enclosing scopes", offset)
            scope = scope.parent
        return scope

    def depth(self) -> int:
        depth = 0
        scope = self.parent
        while scope is not None:
            depth += 1
            scope = scope.parent
        return depth

    def add_import_name(self, name: str, offset: int) -> None:
        key = unique_key(name)
        if key in self.import_names:
            raise ValidationError(f"import name `{name}` conflicts with a previous import name "
                                  f"in this {self.kind.value}", offset)
        self.import_names.add(key)

    def add_export_name(self, name: str, offset: int) -> None:
        key = unique_key(name)
        if key in self.export_names:
            raise ValidationError(f"export name `{name}` conflicts with a previous export name "
                                  f"in this {self.kind.value}", offset)
        self.export_names.add(key)


#: The sort each kind of ``externtype`` defines, by the kind's byte.
COMPONENT_SORTS: Dict[int, Sort] = {
    0x00: CoreSort.MODULE,
    0x01: ComponentSort.FUNC,
    0x02: ComponentSort.VALUE,
    0x03: ComponentSort.TYPE,
    0x04: ComponentSort.COMPONENT,
    0x05: ComponentSort.INSTANCE,
}
