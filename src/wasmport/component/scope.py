"""Index spaces of a component, component type, instance type or module type.

A :class:`Scope` counts the definitions of each sort as the definitions are
read in order, so that an index can be checked against the definitions that
precede it, and knows its enclosing scope, for ``outer`` aliases. It also
keeps the import and export names seen so far, to reject duplicates.
"""

from __future__ import annotations

import enum
from typing import Dict, Optional, Set

from ..errors import ValidationError
from .ast import ComponentSort, CoreSort, Sort


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
    ("strongly-unique" names): lower case, ``[method]r.r``/``[static]r.r``
    reduced to ``r``, and any ``[...]`` annotation but ``[constructor]`` dropped."""
    lowered = name.lower()
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


class Scope:
    """The index spaces of one scope, built in definition order."""

    __slots__ = ("kind", "parent", "counts", "import_names", "export_names")

    def __init__(self, kind: ScopeKind, parent: Optional[Scope] = None) -> None:
        self.kind = kind
        self.parent = parent
        self.counts: Dict[Sort, int] = {}
        self.import_names: Set[str] = set()
        self.export_names: Set[str] = set()

    def size(self, sort: Sort) -> int:
        return self.counts.get(sort, 0)

    def add(self, sort: Sort, count: int = 1) -> None:
        self.counts[sort] = self.counts.get(sort, 0) + count

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
