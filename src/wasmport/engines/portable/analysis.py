"""A pre-pass over a function body: which labels are branch targets, and how
deeply the structured translation would nest Python statements.

Python compiles at most 20 statically nested loops/``try`` blocks and 100
indentation levels; functions beyond :data:`MAX_LOOP_NESTING` or
:data:`MAX_INDENT` are translated as a flat state machine instead.
Both walks use explicit stacks (bodies may nest thousands deep).
"""

from __future__ import annotations

from typing import Iterator, List, Optional, Set, Tuple

from ...syntax import opcodes
from ...syntax.ast import Catch, Expr, Instr

#: Loop/try nesting above which the structured translation is not used.
MAX_LOOP_NESTING = 15
#: Indentation depth above which the structured translation is not used.
MAX_INDENT = 60

_BRANCHES = frozenset({opcodes.BR, opcodes.BR_IF, opcodes.BR_TABLE, opcodes.BR_ON_NULL,
                       opcodes.BR_ON_NON_NULL})
_LOCAL_OPS = frozenset({opcodes.LOCAL_GET, opcodes.LOCAL_SET, opcodes.LOCAL_TEE})

STRUCTURED = frozenset({opcodes.BLOCK, opcodes.LOOP, opcodes.IF, opcodes.TRY_TABLE})


def nested_bodies(instr: Instr) -> Tuple[Expr, ...]:
    """The nested bodies of a structured instruction, in order."""
    op = instr.op
    if op is opcodes.IF:
        then_body, else_body = instr.args[1], instr.args[2]
        return (then_body,) if else_body is None else (then_body, else_body)
    if op is opcodes.TRY_TABLE:
        return (instr.args[2],)
    return (instr.args[1],)


def _label_depths(instr: Instr) -> Tuple[int, ...]:
    """Relative depths ``instr`` branches to (in its own context)."""
    op = instr.op
    if op in (opcodes.BR, opcodes.BR_IF, opcodes.BR_ON_NULL, opcodes.BR_ON_NON_NULL):
        return (instr.args[0],)
    if op is opcodes.BR_TABLE:
        targets, default = instr.args[0]
        return tuple(set(targets)) + (default,)
    return ()


class Analysis:
    """Facts about one function body."""

    def __init__(self, body: Expr) -> None:
        #: ``id()`` of every structured instruction some branch targets.
        self.targeted: Set[int] = set()
        #: Whether some branch targets the function's own label.
        self.returns_by_branch = False
        self.has_try = False
        #: Functions this body tail-calls directly (``return_call``).
        self.tail_callees: Set[int] = set()
        #: ``id()`` of structured instructions that are the last of their parent's body.
        self.tail_nested: Set[int] = set()
        self.max_loops = 0
        self.max_indent = 0
        self.instructions = 0
        #: Locals some path may read before writing (the others need no zeroing).
        self.needs_init: Set[int] = set()
        self._seen_locals: Set[int] = set()
        self._measure(self._walk(body))

    @property
    def structured(self) -> bool:
        """Whether the structured translation fits Python's limits."""
        return self.max_loops <= MAX_LOOP_NESTING and self.max_indent <= MAX_INDENT

    def _mark(self, labels: List[Optional[Instr]], depth: int) -> None:
        if depth >= len(labels):
            return
        target = labels[len(labels) - 1 - depth]
        if target is None:
            self.returns_by_branch = True
        else:
            self.targeted.add(id(target))

    def _walk(self, body: Expr) -> List[Tuple[bool, Instr]]:
        """Visit every instruction; returns the enter (True) / leave (False) events
        of structured instructions, in order, for :meth:`_measure`."""
        events: List[Tuple[bool, Instr]] = []
        labels: List[Optional[Instr]] = [None]
        work: List[Tuple[Optional[Instr], Iterator[Instr], Tuple[Expr, ...]]] = [
            (None, iter(body), ())
        ]
        while work:
            owner, items, rest = work[-1]
            for instr in items:
                self._visit(instr, labels)
                if instr.op in STRUCTURED:
                    bodies = nested_bodies(instr)
                    labels.append(instr)
                    events.append((True, instr))
                    work.append((instr, iter(bodies[0]), bodies[1:]))
                    break
            else:
                work.pop()
                if owner is not None:
                    labels.pop()
                    events.append((False, owner))
                    if rest:
                        labels.append(owner)
                        events.append((True, owner))
                        work.append((owner, iter(rest[0]), rest[1:]))
        return events

    def _visit(self, instr: Instr, labels: List[Optional[Instr]]) -> None:
        self.instructions += 1
        op = instr.op
        if op in _LOCAL_OPS:
            self._local_access(instr, len(labels) > 1)
        elif op in _BRANCHES:
            for depth in _label_depths(instr):
                self._mark(labels, depth)
        elif op in STRUCTURED:
            for nested in nested_bodies(instr):
                if nested and nested[-1].op in STRUCTURED:
                    self.tail_nested.add(id(nested[-1]))
            if op is opcodes.TRY_TABLE:
                self.has_try = True
                catches: Tuple[Catch, ...] = instr.args[1]
                for catch in catches:
                    self._mark(labels, catch.label)
        elif op is opcodes.RETURN_CALL:
            self.tail_callees.add(instr.args[0])

    def _local_access(self, instr: Instr, nested: bool) -> None:
        """A local whose first access is a write at the top level is always written
        before any read (everything before it falls through or leaves the function)."""
        index = instr.args[0]
        if index in self._seen_locals:
            return
        self._seen_locals.add(index)
        if nested or instr.op is opcodes.LOCAL_GET:
            self.needs_init.add(index)

    def _cost(self, instr: Instr) -> Tuple[int, int]:
        """(loops, indentation) one structured instruction adds."""
        targeted = id(instr) in self.targeted
        loops = (1 if targeted else 0) + (1 if instr.op is opcodes.TRY_TABLE else 0)
        indent = loops + (1 if instr.op is opcodes.IF else 0) + (
            1 if instr.op is opcodes.TRY_TABLE else 0)
        return loops, indent

    def _measure(self, events: List[Tuple[bool, Instr]]) -> None:
        loops = indent = 0
        for entering, instr in events:
            cost_loops, cost_indent = self._cost(instr)
            if entering:
                loops += cost_loops
                indent += cost_indent
                self.max_loops = max(self.max_loops, loops)
                self.max_indent = max(self.max_indent, indent)
            else:
                loops -= cost_loops
                indent -= cost_indent


__all__ = ["MAX_INDENT", "MAX_LOOP_NESTING", "Analysis", "nested_bodies"]
