"""The operand stack as the translator sees it: Python expressions, not values.

Every stack position ``i`` has a canonical Python variable ``s{i}``. An entry
is either that variable, or an expression the translator has not written to
it yet: a constant, a local (``l{n}``), or a comparison kept as a Python
boolean so that ``br_if``/``if``/``select`` test it directly. Deferred entries
are written to their variable (*spilled*) before anything could change what
they read: at every control boundary, and before a ``local.set`` of a local
they read. A deferred entry at position ``i`` never reads a variable ``s{j}``
with ``j > i`` (those positions are free to be overwritten).
"""

from __future__ import annotations

import enum
from typing import FrozenSet, List, Optional, Sequence

_NO_LOCALS: FrozenSet[int] = frozenset()


class Kind(enum.Enum):
    CONST = "const"  #: an immutable literal or namespace constant
    SLOT = "slot"  #: the canonical variable of its own position
    LOCAL = "local"  #: a Wasm local, read later
    BOOL = "bool"  #: a Python boolean expression (an i32 0/1 when used as a value)
    EXPR = "expr"  #: a pure, parenthesised value expression (inline arithmetic)


#: Deferred expressions nest at most this deep (Python's parser limits nesting).
MAX_WEIGHT = 6


class Entry:
    __slots__ = ("expr", "kind", "locals", "max_slot", "weight")

    def __init__(self, expr: str, kind: Kind, locals: FrozenSet[int] = _NO_LOCALS,
                 max_slot: int = -1, weight: int = 0) -> None:
        self.expr = expr
        self.kind = kind
        self.locals = locals
        self.max_slot = max_slot
        #: How deeply deferred expressions nest inside this one.
        self.weight = weight


    @property
    def value(self) -> str:
        """The expression as a Wasm value."""
        if self.kind is Kind.BOOL:
            return f"(1 if {self.expr} else 0)"
        return self.expr

    @property
    def condition(self) -> str:
        """The expression as a Python truth value."""
        return self.expr


def deferred(expression: str, kind: Kind, operands: Sequence[Entry], position: int
             ) -> Optional[Entry]:
    """An entry at ``position`` computing ``expression`` from ``operands`` lazily, or
    None if it must be computed now (it would read a free slot, or nest too deep)."""
    weight = 1 + max((entry.weight for entry in operands), default=0)
    max_slot = max((entry.max_slot for entry in operands), default=-1)
    if max_slot > position or weight > MAX_WEIGHT:
        return None
    locals_: FrozenSet[int] = _NO_LOCALS.union(*(entry.locals for entry in operands))
    return Entry(f"({expression})", kind, locals_, max_slot, weight)


def slot(position: int) -> str:
    return f"s{position}"


class OperandStack:
    """The symbolic operand stack of the function being translated."""

    def __init__(self) -> None:
        self.entries: List[Entry] = []
        #: Lines the stack itself needs emitted (spills); the translator drains them.
        self.pending: List[str] = []

    def __len__(self) -> int:
        return len(self.entries)

    def push_slot(self) -> str:
        """Push the canonical variable of the new top position and return its name."""
        position = len(self.entries)
        self.entries.append(Entry(slot(position), Kind.SLOT, _NO_LOCALS, position))
        return slot(position)

    def push(self, entry: Entry) -> None:
        self.entries.append(entry)

    def pop(self) -> Entry:
        return self.entries.pop()

    def pop_n(self, count: int) -> List[Entry]:
        if count == 0:
            return []
        taken = self.entries[-count:]
        del self.entries[-count:]
        return taken

    def top(self, count: int) -> List[Entry]:
        return self.entries[len(self.entries) - count:] if count else []

    def is_canonical(self, position: int) -> bool:
        entry = self.entries[position]
        return entry.kind is Kind.SLOT and entry.expr == slot(position)

    def spill(self, position: int) -> None:
        entry = self.entries[position]
        if entry.kind is Kind.CONST or self.is_canonical(position):
            return
        self.pending.append(f"{slot(position)} = {entry.value}")
        self.entries[position] = Entry(slot(position), Kind.SLOT, _NO_LOCALS, position)

    def spill_all(self) -> None:
        for position in range(len(self.entries)):
            self.spill(position)

    def canonicalize(self) -> None:
        """Spill everything, constants included (before a control-flow merge)."""
        self.canonicalize_from(0)

    def canonicalize_from(self, start: int) -> None:
        """Spill positions ``start...`` including constants."""
        for position in range(start, len(self.entries)):
            if not self.is_canonical(position):
                self.pending.append(f"{slot(position)} = {self.entries[position].value}")
                self.entries[position] = Entry(slot(position), Kind.SLOT, _NO_LOCALS, position)

    def spill_local(self, local: int) -> None:
        """Spill entries that read local ``local`` (it is about to change)."""
        for position, entry in enumerate(self.entries):
            if local in entry.locals:
                self.spill(position)

    def reset(self, height: int, canonical_above: int = 0) -> None:
        """Cut the stack to ``height`` then push ``canonical_above`` canonical slots."""
        del self.entries[height:]
        for _ in range(canonical_above):
            self.push_slot()

    def snapshot(self) -> List[Entry]:
        return list(self.entries)

    def restore(self, entries: Sequence[Entry]) -> None:
        self.entries = list(entries)


def moves(base: int, sources: Sequence[Entry]) -> str:
    """A single assignment moving ``sources`` into positions ``base...`` ('' if none)."""
    targets: List[str] = []
    values: List[str] = []
    for offset, entry in enumerate(sources):
        target = slot(base + offset)
        if entry.expr == target and entry.kind is Kind.SLOT:
            continue
        targets.append(target)
        values.append(entry.value)
    if not targets:
        return ""
    return f"{', '.join(targets)} = {', '.join(values)}"


__all__ = ["Entry", "Kind", "OperandStack", "moves", "slot"]
