"""The ``name`` custom section: module, function and local names and the
extended-name subsections (labels, types, tables, memories, globals, element
and data segments, fields, tags).

A custom section never makes a module malformed: :func:`decode_names`
returns None for a name section it cannot read, and the decoder then keeps the
section as a plain :class:`~wasmport.syntax.ast.CustomSection`.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Tuple

from ..errors import DecodeError
from ..syntax.ast import IndirectNameMap, NameMap, Names, SectionId
from .reader import Reader

MODULE = 0
FUNCS = 1
LOCALS = 2
LABELS = 3
TYPES = 4
TABLES = 5
MEMORIES = 6
GLOBALS = 7
ELEMS = 8
DATAS = 9
FIELDS = 10
TAGS = 11

#: Subsection id -> Names field holding a plain name map.
NAME_MAP_FIELDS: Dict[int, str] = {
    FUNCS: "funcs",
    TYPES: "types",
    TABLES: "tables",
    MEMORIES: "memories",
    GLOBALS: "globals",
    ELEMS: "elems",
    DATAS: "datas",
    TAGS: "tags",
}
#: Subsection id -> Names field holding an indirect name map.
INDIRECT_FIELDS: Dict[int, str] = {LOCALS: "locals", LABELS: "labels", FIELDS: "fields"}


def read_name_map(reader: Reader) -> NameMap:
    count = reader.length32()
    entries: List[Tuple[int, str]] = []
    for _ in range(count):
        index = reader.u32()
        entries.append((index, reader.name()))
    return tuple(entries)


def read_indirect_map(reader: Reader) -> IndirectNameMap:
    count = reader.length32()
    entries: List[Tuple[int, NameMap]] = []
    for _ in range(count):
        index = reader.u32()
        entries.append((index, read_name_map(reader)))
    return tuple(entries)


def _read_subsections(reader: Reader, starts: Dict[int, int]) -> Optional[Dict[str, object]]:
    fields: Dict[str, object] = {}
    last_id = -1
    while not reader.at_end():
        sub_id = reader.byte()
        size = reader.length32()
        end = reader.pos + size
        starts[sub_id] = reader.pos
        if sub_id <= last_id:
            return None  # out of order or repeated: not a name section we can re-emit
        last_id = sub_id
        reader_fn: Optional[Callable[[Reader], object]]
        if sub_id == MODULE:
            key, reader_fn = "module", Reader.name
        elif sub_id in NAME_MAP_FIELDS:
            key, reader_fn = NAME_MAP_FIELDS[sub_id], read_name_map
        elif sub_id in INDIRECT_FIELDS:
            key, reader_fn = INDIRECT_FIELDS[sub_id], read_indirect_map
        else:
            return None  # an unknown subsection: keep the raw bytes instead
        fields[key] = reader_fn(reader)
        if reader.pos != end:
            return None
    return fields


def decode_names(
    reader: Reader, after: SectionId, customs_before: int, bases: Dict[Tuple[int, ...], int]
) -> Optional[Names]:
    """The name section's contents from ``reader``'s position to the end of its
    input, or None if they are not a name section we can represent.

    When they are, ``bases`` gets the offset of each subsection's contents
    (key ``(0, id)``), for the encoder to spell their over-long LEB128s (which
    ``reader`` notes) the same way again.
    """
    starts: Dict[int, int] = {}
    try:
        fields = _read_subsections(reader, starts)
    except DecodeError:
        return None
    if fields is None:
        return None
    bases.update(((SectionId.CUSTOM.value, sub_id), start) for sub_id, start in starts.items())
    return Names(after=after, customs_before=customs_before, **fields)  # type: ignore[arg-type]


__all__ = ["decode_names", "read_indirect_map", "read_name_map"]
