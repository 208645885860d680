"""Encoding of the ``name`` custom section from :class:`~wasmport.syntax.ast.Names`."""

from __future__ import annotations

from ..syntax.ast import IndirectNameMap, NameMap, Names
from .names import INDIRECT_FIELDS, MODULE, NAME_MAP_FIELDS
from .writer import name, sized, uleb


def _name_map(out: bytearray, entries: NameMap) -> None:
    uleb(out, len(entries))
    for index, text in entries:
        uleb(out, index)
        name(out, text)


def _indirect_map(out: bytearray, entries: IndirectNameMap) -> None:
    uleb(out, len(entries))
    for index, inner in entries:
        uleb(out, index)
        _name_map(out, inner)


def encode_names(names: Names) -> bytes:
    """The contents of the custom section (its name ``name`` included)."""
    out = bytearray()
    name(out, "name")
    subsections = {}
    if names.module is not None:
        module_name = bytearray()
        name(module_name, names.module)
        subsections[MODULE] = module_name
    for sub_id, field in NAME_MAP_FIELDS.items():
        entries: NameMap = getattr(names, field)
        if entries:
            content = bytearray()
            _name_map(content, entries)
            subsections[sub_id] = content
    for sub_id, field in INDIRECT_FIELDS.items():
        indirect: IndirectNameMap = getattr(names, field)
        if indirect:
            content = bytearray()
            _indirect_map(content, indirect)
            subsections[sub_id] = content
    for sub_id in sorted(subsections):
        out.append(sub_id)
        sized(out, subsections[sub_id])
    return bytes(out)


__all__ = ["encode_names"]
