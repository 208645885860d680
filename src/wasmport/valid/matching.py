"""Type matching (spec "Matching"): subtyping of heap, reference, value,
composite and defined types, over a module's canonicalised type space.

Inside the validator a heap type is an :class:`AbsHeapType`, a type index
(``int >= 0``) or :data:`BOT_HEAP` (``-1``), the bottom heap type that the
algorithm's ``pop_ref`` produces for an unknown operand. An operand type is a
value type or ``None``, the algorithm's ``Bot`` (an unknown type).
"""

from __future__ import annotations

from typing import Dict, FrozenSet, List, Optional, Sequence

from ..syntax.types import (
    AbsHeapType,
    ArrayType,
    CompositeType,
    FieldType,
    FuncType,
    HeapType,
    NumType,
    PackedType,
    RefType,
    StorageType,
    StructType,
    SubType,
    ValType,
)

H = AbsHeapType
#: The bottom heap type (of an unknown reference operand).
BOT_HEAP = -1
#: The reference type ``pop_ref`` gives for an unknown operand.
BOT_REF = RefType(False, BOT_HEAP)

#: An operand type: a value type or None (unknown, the algorithm's ``Bot``).
Operand = Optional[ValType]

#: Abstract heap type -> every abstract heap type above it (itself included).
_ABS_SUPERS: Dict[AbsHeapType, FrozenSet[AbsHeapType]] = {
    H.ANY: frozenset({H.ANY}),
    H.EQ: frozenset({H.EQ, H.ANY}),
    H.I31: frozenset({H.I31, H.EQ, H.ANY}),
    H.STRUCT: frozenset({H.STRUCT, H.EQ, H.ANY}),
    H.ARRAY: frozenset({H.ARRAY, H.EQ, H.ANY}),
    H.NONE: frozenset({H.NONE, H.I31, H.STRUCT, H.ARRAY, H.EQ, H.ANY}),
    H.FUNC: frozenset({H.FUNC}),
    H.NOFUNC: frozenset({H.NOFUNC, H.FUNC}),
    H.EXTERN: frozenset({H.EXTERN}),
    H.NOEXTERN: frozenset({H.NOEXTERN, H.EXTERN}),
    H.EXN: frozenset({H.EXN}),
    H.NOEXN: frozenset({H.NOEXN, H.EXN}),
}

#: The top of each abstract heap type's hierarchy.
_ABS_TOP: Dict[AbsHeapType, AbsHeapType] = {
    H.ANY: H.ANY, H.EQ: H.ANY, H.I31: H.ANY, H.STRUCT: H.ANY, H.ARRAY: H.ANY,
    H.NONE: H.ANY, H.FUNC: H.FUNC, H.NOFUNC: H.FUNC, H.EXTERN: H.EXTERN,
    H.NOEXTERN: H.EXTERN, H.EXN: H.EXN, H.NOEXN: H.EXN,
}

#: The bottom of each hierarchy, by its top.
_BOTTOM: Dict[AbsHeapType, AbsHeapType] = {
    H.ANY: H.NONE, H.FUNC: H.NOFUNC, H.EXTERN: H.NOEXTERN, H.EXN: H.NOEXN,
}

_BOTTOMS = frozenset(_BOTTOM.values())


def _kind(composite: CompositeType) -> AbsHeapType:
    if isinstance(composite, FuncType):
        return H.FUNC
    if isinstance(composite, StructType):
        return H.STRUCT
    return H.ARRAY


def is_num_operand(t: Operand) -> bool:
    return t is None or isinstance(t, NumType)


def defaultable(t: StorageType) -> bool:
    return not isinstance(t, RefType) or t.nullable


class TypeSpace:
    """A module's defined types with what matching needs about each."""

    def __init__(self, defined: Sequence[SubType], canon: Sequence[int]) -> None:
        self.defined = tuple(defined)
        self.canon = tuple(canon)
        #: The abstract kind of each defined type: FUNC, STRUCT or ARRAY.
        self.kinds = tuple(_kind(sub.composite) for sub in defined)
        supers: List[FrozenSet[int]] = []
        for index, sub in enumerate(defined):
            own = frozenset({self.canon[index]})
            parent = sub.supertypes[0] if sub.supertypes else None
            if parent is not None and 0 <= parent < index:
                own = own | supers[parent]
            supers.append(own)
        #: Canonical ids of each type and all its declared supertypes.
        self.supers = tuple(supers)

    def __len__(self) -> int:
        return len(self.defined)

    # -- heap types -------------------------------------------------------

    def top_of(self, heap: HeapType) -> AbsHeapType:
        """The top of the hierarchy ``heap`` belongs to."""
        if isinstance(heap, AbsHeapType):
            return _ABS_TOP[heap]
        if heap == BOT_HEAP:
            return H.ANY
        kind = self.kinds[heap]
        return H.FUNC if kind is H.FUNC else H.ANY

    def bottom_of(self, heap: HeapType) -> AbsHeapType:
        return _BOTTOM[self.top_of(heap)]

    def heap_matches(self, h1: HeapType, h2: HeapType) -> bool:
        if h1 == h2:
            return True
        if isinstance(h1, int):
            if h1 == BOT_HEAP:
                return True
            if isinstance(h2, int):
                return h2 >= 0 and self.canon[h2] in self.supers[h1]
            return h2 in _ABS_SUPERS[self.kinds[h1]]
        if isinstance(h2, int):
            if h2 == BOT_HEAP:
                return False
            return h1 is _BOTTOM[self.top_of(h2)]
        return h2 in _ABS_SUPERS[h1]

    def ref_matches(self, r1: RefType, r2: RefType) -> bool:
        if r1.nullable and not r2.nullable:
            return False
        if r2.exact:
            h1 = r1.heap
            if isinstance(h1, int) and h1 >= 0:
                return r1.exact and isinstance(r2.heap, int) and (
                    self.canon[h1] == self.canon[r2.heap]
                )
            return h1 == BOT_HEAP or h1 in _BOTTOMS and self.heap_matches(h1, r2.heap)
        return self.heap_matches(r1.heap, r2.heap)

    def matches(self, t1: Operand, t2: Operand) -> bool:
        """``t1 <: t2`` for operand types (None, the unknown type, matches all)."""
        if t1 is t2 or t1 is None or t2 is None:
            return True
        if isinstance(t1, RefType) and isinstance(t2, RefType):
            return t1 == t2 or self.ref_matches(t1, t2)
        return False

    def results_match(self, ts1: Sequence[ValType], ts2: Sequence[ValType]) -> bool:
        return len(ts1) == len(ts2) and all(
            self.matches(a, b) for a, b in zip(ts1, ts2)
        )

    # -- composite types --------------------------------------------------

    def storage_matches(self, s1: StorageType, s2: StorageType) -> bool:
        if isinstance(s1, PackedType) or isinstance(s2, PackedType):
            return s1 is s2
        return self.matches(s1, s2)

    def field_matches(self, f1: FieldType, f2: FieldType) -> bool:
        if f1.mutable != f2.mutable:
            return False
        if not self.storage_matches(f1.storage, f2.storage):
            return False
        return not f1.mutable or self.storage_matches(f2.storage, f1.storage)

    def composite_matches(self, c1: CompositeType, c2: CompositeType) -> bool:
        if isinstance(c1, FuncType) and isinstance(c2, FuncType):
            return self.results_match(c2.params, c1.params) and self.results_match(
                c1.results, c2.results
            )
        if isinstance(c1, StructType) and isinstance(c2, StructType):
            return len(c1.fields) >= len(c2.fields) and all(
                self.field_matches(a, b) for a, b in zip(c1.fields, c2.fields)
            )
        if isinstance(c1, ArrayType) and isinstance(c2, ArrayType):
            return self.field_matches(c1.field, c2.field)
        return False

    def type_matches(self, x1: int, x2: int) -> bool:
        """Defined type ``x1`` is a subtype of defined type ``x2``."""
        return self.canon[x2] in self.supers[x1]

    def equivalent(self, x1: int, x2: int) -> bool:
        return self.canon[x1] == self.canon[x2]


def type_text(t: Operand) -> str:
    """A value type as the spec's reference interpreter prints it."""
    if t is None:
        return "(unknown)"
    if isinstance(t, NumType):
        return t.text
    heap = t.heap
    if heap == BOT_HEAP:
        name = "bot"
    elif isinstance(heap, AbsHeapType):
        name = heap.text
    else:
        name = str(heap)
    if t.exact:
        name = f"(exact {name})"
    return f"(ref {'null ' if t.nullable else ''}{name})"


def types_text(ts: Sequence[Operand]) -> str:
    return "[" + " ".join(type_text(t) for t in ts) + "]"


__all__ = [
    "BOT_HEAP",
    "BOT_REF",
    "Operand",
    "TypeSpace",
    "defaultable",
    "is_num_operand",
    "type_text",
    "types_text",
]
