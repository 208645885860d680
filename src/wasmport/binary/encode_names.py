"""Encoding of the ``name`` custom section from :class:`~wasmport.syntax.ast.Names`."""

from __future__ import annotations

from ..syntax.ast import IndirectNameMap, NameMap, Names, SectionId
from .names import INDIRECT_FIELDS, MODULE, NAME_MAP_FIELDS
from .writer import name, part, sized, uleb


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


def encode_names(out: bytearray, names: Names) -> None:
    """Append the contents of the custom section (its name ``name`` included)."""
    name(out, "name")
    subsections = {}
    if names.module is not None:
        module_name = _subsection(out, MODULE)
        name(module_name, names.module)
        subsections[MODULE] = module_name
    for sub_id, field in NAME_MAP_FIELDS.items():
        entries: NameMap = getattr(names, field)
        if entries:
            content = _subsection(out, sub_id)
            _name_map(content, entries)
            subsections[sub_id] = content
    for sub_id, field in INDIRECT_FIELDS.items():
        indirect: IndirectNameMap = getattr(names, field)
        if indirect:
            content = _subsection(out, sub_id)
            _indirect_map(content, indirect)
            subsections[sub_id] = content
    for sub_id in sorted(subsections):
        out.append(sub_id)
        sized(out, subsections[sub_id])


def _subsection(out: bytearray, sub_id: int) -> bytearray:
    """A buffer for the contents of a subsection, to be appended to ``out``."""
    return part(out, (SectionId.CUSTOM.value, sub_id))


__all__ = ["encode_names"]
