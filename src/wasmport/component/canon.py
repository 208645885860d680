"""Decoding of canonical definitions (section 8).

``lift`` and ``lower`` have their own nodes; every other built-in is a
:class:`~wasmport.component.ast.CanonBuiltin` described by one row of
:data:`BUILTINS`: its opcode, its text name and the immediates that follow the
opcode, spelled as a string of one letter per immediate (see
:data:`IMMEDIATE_READERS`).

The rows follow the encodings ``wasm-tools`` 1.262 writes, which the binary
format's document does not all list yet (``stream.forward`` and
``future.forward``) or lists with a ``shared`` immediate that ``wasm-tools``
does not write (the shared-everything-threads built-ins ``0x40``-``0x42``).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Tuple

from ..binary.reader import Reader
from ..binary.types import val_type as core_val_type
from ..errors import DecodeError
from .ast import Canon, CanonBuiltin, CanonLift, CanonLower, CanonOption, CanonOptionKind
from .types import flag, result_list, vector

#: Opcode -> (name, immediates). Immediates: ``t`` a type index, ``o`` canonical
#: options, ``a``/``c`` an ``async``/``cancellable`` flag byte,
#: ``r`` a result list, ``v`` a core value type and a context index, ``m`` a core
#: memory index, ``f`` a core type index, ``b`` a core table index.
BUILTINS: Dict[int, Tuple[str, str]] = {
    0x02: ("resource.new", "t"),
    0x03: ("resource.drop", "t"),
    0x04: ("resource.rep", "t"),
    0x05: ("task.cancel", ""),
    0x06: ("subtask.cancel", "a"),
    0x09: ("task.return", "ro"),
    0x0A: ("context.get", "v"),
    0x0B: ("context.set", "v"),
    0x0C: ("thread.yield", "c"),
    0x0D: ("subtask.drop", ""),
    0x0E: ("stream.new", "t"),
    0x0F: ("stream.read", "to"),
    0x10: ("stream.write", "to"),
    0x11: ("stream.cancel-read", "ta"),
    0x12: ("stream.cancel-write", "ta"),
    0x13: ("stream.drop-readable", "t"),
    0x14: ("stream.drop-writable", "t"),
    0x15: ("future.new", "t"),
    0x16: ("future.read", "to"),
    0x17: ("future.write", "to"),
    0x18: ("future.cancel-read", "ta"),
    0x19: ("future.cancel-write", "ta"),
    0x1A: ("future.drop-readable", "t"),
    0x1B: ("future.drop-writable", "t"),
    0x1C: ("error-context.new", "o"),
    0x1D: ("error-context.debug-message", "o"),
    0x1E: ("error-context.drop", ""),
    0x1F: ("waitable-set.new", ""),
    0x20: ("waitable-set.wait", "cm"),
    0x21: ("waitable-set.poll", "cm"),
    0x22: ("waitable-set.drop", ""),
    0x23: ("waitable.join", ""),
    0x24: ("backpressure.inc", ""),
    0x25: ("backpressure.dec", ""),
    0x26: ("thread.index", ""),
    0x27: ("thread.new-indirect", "fb"),
    0x28: ("thread.resume-later", ""),
    0x29: ("thread.suspend", "c"),
    0x2A: ("thread.suspend-then-resume", "c"),
    0x2B: ("thread.yield-then-resume", "c"),
    0x2C: ("thread.suspend-then-promote", "c"),
    0x2D: ("thread.yield-then-promote", "c"),
    0x2E: ("stream.forward", "t"),
    0x2F: ("future.forward", "t"),
    0x40: ("thread.spawn-ref", "f"),
    0x41: ("thread.spawn-indirect", "fb"),
    0x42: ("thread.available_parallelism", ""),
}

LIFT = 0x00
LOWER = 0x01
FUNC_SORT = 0x00
OPTIONS_WITH_INDEX = frozenset(
    {CanonOptionKind.MEMORY, CanonOptionKind.REALLOC, CanonOptionKind.POST_RETURN,
     CanonOptionKind.CALLBACK}
)
OPTION_BY_BYTE: Dict[int, CanonOptionKind] = {kind.value: kind for kind in CanonOptionKind}


def canon_option(reader: Reader) -> CanonOption:
    start = reader.pos
    kind = OPTION_BY_BYTE.get(reader.byte())
    if kind is None:
        raise DecodeError(f"malformed canonical option: 0x{reader.data[start]:02x}", start)
    if kind in OPTIONS_WITH_INDEX:
        return CanonOption(kind, reader.u32())
    return CanonOption(kind)


def canon_options(reader: Reader) -> Tuple[CanonOption, ...]:
    return vector(reader, canon_option)


def _context(reader: Reader) -> Dict[str, Any]:
    valtype = core_val_type(reader)
    return {"core_valtype": valtype, "context_index": reader.u32()}


#: Immediate letter -> a reader giving the :class:`CanonBuiltin` fields it sets.
IMMEDIATE_READERS: Dict[str, Callable[[Reader], Dict[str, Any]]] = {
    "t": lambda r: {"type_index": r.u32()},
    "o": lambda r: {"options": canon_options(r)},
    "a": lambda r: {"flag": flag(r, "async immediate")},
    "c": lambda r: {"flag": flag(r, "cancellable immediate")},
    "r": lambda r: {"result": result_list(r)},
    "v": _context,
    "m": lambda r: {"memory": r.u32()},
    "f": lambda r: {"core_type_index": r.u32()},
    "b": lambda r: {"table": r.u32()},
}


def _sort_byte(reader: Reader, what: str) -> None:
    if reader.byte() != FUNC_SORT:
        raise DecodeError(f"malformed canon {what}: expected the func sort 0x00", reader.pos - 1)


def canon(reader: Reader) -> Canon:
    start = reader.pos
    opcode = reader.byte()
    if opcode == LIFT:
        _sort_byte(reader, "lift")
        core_func = reader.u32()
        options = canon_options(reader)
        return CanonLift(core_func, options, reader.u32(), start)
    if opcode == LOWER:
        _sort_byte(reader, "lower")
        func = reader.u32()
        return CanonLower(func, canon_options(reader), start)
    row = BUILTINS.get(opcode)
    if row is None:
        raise DecodeError(f"malformed canonical definition: unknown opcode 0x{opcode:02x}", start)
    name, immediates = row
    fields: Dict[str, Any] = {}
    for letter in immediates:
        fields.update(IMMEDIATE_READERS[letter](reader))
    return CanonBuiltin(name, opcode, offset=start, **fields)
