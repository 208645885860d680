"""Iso-recursive type canonicalisation (spec "Type Equivalence" / rolling of rec groups).

Two defined types are equivalent when they sit at the same position of
equivalent recursion groups. A group is turned into a *canonical key*: its
subtypes with every type index rewritten as

* ``-1 - k`` for the ``k``-th type of the group itself (a relative reference), or
* the *canonical id* (``>= 0``) of a type defined outside the group.

Keys are interned in one process-wide table, so that a canonical id names the
same type in every module: two modules that define equivalent groups get the
same ids, which is what import/export matching across modules needs later.
"""

from __future__ import annotations

import threading
from typing import Dict, Hashable, List, Optional, Sequence, Tuple

from ..syntax.types import (
    AbsHeapType,
    ArrayType,
    CompositeType,
    FieldType,
    FuncType,
    NumType,
    PackedType,
    RecType,
    StorageType,
    StructType,
    SubType,
)


class UnknownTypeIndex(Exception):
    """A type index beyond the types defined so far (raised to the validator)."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


class _Interner:
    """The process-wide table of canonical recursion groups."""

    def __init__(self) -> None:
        self._groups: Dict[Tuple[Hashable, ...], int] = {}
        self._next = 0
        self._lock = threading.Lock()

    def intern(self, key: Tuple[Hashable, ...]) -> int:
        """The canonical id of the group's first type (the others follow it)."""
        with self._lock:
            first = self._groups.get(key)
            if first is None:
                first = self._next
                self._next += len(key)
                self._groups[key] = first
            return first


INTERNER = _Interner()


class _KeyBuilder:
    """Builds the canonical key of one recursion group."""

    def __init__(self, canon: Sequence[int], start: int, end: int) -> None:
        self.canon = canon
        self.start = start
        self.end = end

    def index(self, index: int) -> int:
        if self.start <= index < self.end:
            return -1 - (index - self.start)
        if 0 <= index < self.start:
            return self.canon[index]
        raise UnknownTypeIndex(index)

    def storage(self, t: StorageType) -> Hashable:
        if isinstance(t, (NumType, PackedType)):
            return t
        heap = t.heap
        heap_key: Hashable = heap if isinstance(heap, AbsHeapType) else self.index(heap)
        return (t.nullable, t.exact, heap_key)

    def field(self, f: FieldType) -> Hashable:
        return (self.storage(f.storage), f.mutable)

    def composite(self, c: CompositeType) -> Hashable:
        if isinstance(c, FuncType):
            return (
                "func",
                tuple(self.storage(t) for t in c.params),
                tuple(self.storage(t) for t in c.results),
            )
        if isinstance(c, StructType):
            return ("struct", tuple(self.field(f) for f in c.fields))
        if isinstance(c, ArrayType):
            return ("array", self.field(c.field))
        raise UnknownTypeIndex(-1)

    def optional(self, index: Optional[int]) -> Optional[int]:
        return None if index is None else self.index(index)

    def subtype(self, sub: SubType) -> Hashable:
        return (
            sub.final,
            tuple(self.index(s) for s in sub.supertypes),
            self.composite(sub.composite),
            self.optional(sub.descriptor),
            self.optional(sub.describes),
        )


def canonicalize(groups: Sequence[RecType]) -> List[int]:
    """Canonical ids of every type index of a module's type section.

    Raises :class:`UnknownTypeIndex` for a reference past the end of its group.
    """
    canon: List[int] = []
    for group in groups:
        start = len(canon)
        builder = _KeyBuilder(canon, start, start + len(group.subtypes))
        key = tuple(builder.subtype(sub) for sub in group.subtypes)
        first = INTERNER.intern(key)
        canon.extend(range(first, first + len(group.subtypes)))
    return canon


__all__ = ["INTERNER", "UnknownTypeIndex", "canonicalize"]
