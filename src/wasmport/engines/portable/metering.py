"""Fuel charges and epoch checks in generated code (only when the
configuration asks for them; otherwise the code has none).

The charging rule (the same totals as Wasmtime's for a call that returns):
every instruction costs one unit except ``nop``, ``drop``, ``block``,
``loop``, ``return`` and ``unreachable`` (and ``else``/``end``, which are not
instructions here), plus one unit per function entry. Host functions cost
nothing.

Bulk instructions cost more, as in Wasmtime (measured against Wasmtime 50,
see tests/engines/test_fuel_metering.py): ``memory.fill``, ``memory.copy``
and ``memory.init`` one more unit per byte, ``table.fill``, ``table.copy``
and ``table.init`` one per element, ``memory.grow`` one per page and
``table.grow`` one per element added. That charge is made where the
instruction executes, after it succeeds (a bulk instruction that traps out
of bounds and a ``*.grow`` that fails cost no more than their one unit), and
is followed by a check, so a large copy with too little fuel left traps
right after it: ``FU[0] -= n`` then ``if FU[0] < 0: OUT_OF_FUEL()``.
(Wasmtime also traps there when exactly no fuel is left. It charges the GC
proposal's ``array.new*``, ``array.fill`` and ``array.copy`` per element too;
this engine does not run GC arrays.)

Where it is charged: a *run* is a stretch of code entered only at its top.
Runs start at a function's entry, at the header of a loop some branch
targets, at each arm of an ``if``, after the ``end`` of an ``if``, of a
``try_table`` or of a block some branch targets, and after a conditional
branch (``br_if``, ``br_on_null``, ``br_on_non_null``). The translator
writes a marker where a run starts and counts the cost of the instructions
it then translates; the marker becomes one subtraction of the whole run's
cost (``FU[0] -= 9``), taken before the run's instructions execute. The rest
of a run is charged even if a trap, or an exception thrown by a callee,
leaves it early.

Where running out traps: as in Wasmtime, only at function entries and loop
headers, after charging that run: ``if FU[0] < 0: OUT_OF_FUEL()`` (which
leaves the fuel at 0). Code between two checks may take the fuel below
zero; the store then reports 0 and the next check traps. Every loop
iteration and every call passes a check, so Wasm out of fuel always stops.

Epoch checks, ``if EP[0] >= DL[0]: INTERRUPT()``, sit at the same places:
function entries and the headers of loops some branch targets.
"""

from __future__ import annotations

from typing import List, Sequence

from ...syntax import opcodes
from ...syntax.opcodes import Op

#: Instructions that cost no fuel.
FREE = frozenset({opcodes.NOP, opcodes.DROP, opcodes.BLOCK, opcodes.LOOP, opcodes.RETURN,
                  opcodes.UNREACHABLE})

#: What a function entry costs, charged with the entry run.
ENTRY_COST = 1

#: The text of a run marker, followed by the run's number.
RUN_MARK = "#RUN "

EPOCH_CHECK = "if EP[0] >= DL[0]: INTERRUPT()"

#: Where a generated line says which Wasm instruction it was written for.
OFFSET_MARK = "# @"


def cost(op: Op) -> int:
    """The fuel one execution of ``op`` costs."""
    return 0 if op in FREE else 1


def bulk_charge(units: str) -> List[str]:
    """The lines that charge a bulk instruction's extra cost, ``units`` (a pure
    expression: its byte, element or page count), and check what is left."""
    return [f"FU[0] -= {units}", "if FU[0] < 0: OUT_OF_FUEL()"]


def offset_tag(offset: int) -> str:
    """The comment that ends each line generated for the instruction at byte
    ``offset`` of the module ('' if unknown): tracebacks map a line of
    generated code back to the Wasm instruction (:func:`line_offset`)."""
    return f"  {OFFSET_MARK}{offset:x}" if offset >= 0 else ""


def line_offset(lines: Sequence[str], lineno: int) -> int:
    """The Wasm byte offset of the instruction line ``lineno`` (1-based) of
    generated source ``lines`` was written for: its tag, or the nearest one
    above it in the same function; -1 if there is none."""
    for index in range(min(lineno, len(lines)) - 1, -1, -1):
        line = lines[index]
        position = line.rfind(OFFSET_MARK)
        if position >= 0:
            return int(line[position + len(OFFSET_MARK):].split()[0], 16)
        if line.startswith("def "):
            break
    return -1


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def expand_runs(lines: List[str], costs: Sequence[int], checks: Sequence[bool]) -> None:
    """Replace the run markers in ``lines`` (in place) with their charges, with a
    check for the runs in ``checks``. A run that costs nothing and checks
    nothing disappears, or becomes ``pass`` where a suite needs it."""
    if not any(RUN_MARK in line for line in lines):
        return
    out: List[str] = []
    for position, line in enumerate(lines):
        stripped = line.lstrip(" ")
        if not stripped.startswith(RUN_MARK):
            out.append(line)
            continue
        prefix = line[: len(line) - len(stripped)]
        number, _, tag = stripped[len(RUN_MARK):].partition(" ")
        run = int(number)
        if costs[run]:
            out.append(f"{prefix}FU[0] -= {costs[run]}{tag and ' '}{tag}")
        if checks[run]:
            out.append(f"{prefix}if FU[0] < 0: OUT_OF_FUEL(){tag and ' '}{tag}")
        elif not costs[run] and not _suite_has_other(out, lines, position, len(prefix)):
            out.append(f"{prefix}pass")
    lines[:] = out


def _suite_has_other(before: List[str], lines: List[str], position: int, indent: int) -> bool:
    """Whether the suite holding the marker at ``position`` has another statement:
    one before it (a line indented as deep or deeper) or one after it (as deep)."""
    if before and _indent(before[-1]) >= indent:
        return True
    for line in lines[position + 1:]:
        if line.lstrip(" ").startswith(RUN_MARK):
            continue
        return _indent(line) == indent
    return False


__all__ = ["ENTRY_COST", "EPOCH_CHECK", "FREE", "OFFSET_MARK", "RUN_MARK", "bulk_charge", "cost",
           "expand_runs", "line_offset", "offset_tag"]
