"""Encoding of a module: sections in :data:`~wasmport.syntax.ast.SECTION_ORDER`,
LEB128s and the encoding choices the AST records (data count section,
element and data segment forms, ``rec``/``sub`` spelled out, ``if`` without
``else``, where each custom section and the name section sat, sections present
though empty, locals groups as declared, an explicit memory index 0).

Empty sections are left out unless :attr:`Module.empty_sections` lists them or
a custom section sat after them; the data count section is written whenever
:attr:`Module.data_count` is not None.

LEB128s are minimal, but for a module decoded from a binary that spelled some
over-long: :attr:`Module.layout` then says where and how wide, and the encoder
writes them so again, into :class:`~wasmport.binary.writer.SpelledBuffer`
objects (one per part built apart: the module, each section's contents, each
function body, each custom section's name, each name subsection). Should the
layout not fit the module -- some listed LEB128 not written again at its
offset, within the bounds of its kind -- the module is encoded again with
minimal LEB128s.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..syntax import opcodes
from ..syntax.ast import (
    SECTION_ORDER,
    CustomSection,
    Data,
    Elem,
    Expr,
    Func,
    FuncImportType,
    Import,
    Module,
    Names,
    SectionId,
    SegmentMode,
    Table,
)
from ..syntax.types import (
    FUNCREF,
    AbsHeapType,
    GlobalType,
    MemoryType,
    RefType,
    TableType,
    TagType,
    ValType,
)
from .decoder import EXACT_FUNC_IMPORT, MAGIC, TABLE_WITH_INIT, VERSION
from .encode_instructions import write_expr
from .encode_names import encode_names
from .encode_types import (
    global_type,
    memory_type,
    rec_type,
    ref_type,
    table_type,
    tag_type,
    val_type,
)
from .writer import SpelledBuffer, Spelling, name, part, sized, uleb

REF_FUNC = RefType(False, AbsHeapType.FUNC)

HEADER = MAGIC.to_bytes(4, "little") + VERSION.to_bytes(4, "little")

#: A section writer appends the section's contents, or returns False when the
#: module has nothing for it (the section is then left out).
SectionWriter = Callable[[bytearray, Module], bool]


def _vector_section(out: bytearray, count: int) -> bool:
    if not count:
        return False
    uleb(out, count)
    return True


def _type_section(out: bytearray, module: Module) -> bool:
    if not _vector_section(out, len(module.types)):
        return False
    for group in module.types:
        rec_type(out, group)
    return True


def _import(out: bytearray, item: Import) -> None:
    name(out, item.module)
    name(out, item.name)
    desc = item.type
    if isinstance(desc, FuncImportType):
        out.append(EXACT_FUNC_IMPORT if desc.exact else 0x00)
        uleb(out, desc.type_index)
    elif isinstance(desc, TableType):
        out.append(0x01)
        table_type(out, desc)
    elif isinstance(desc, MemoryType):
        out.append(0x02)
        memory_type(out, desc)
    elif isinstance(desc, GlobalType):
        out.append(0x03)
        global_type(out, desc)
    elif isinstance(desc, TagType):
        out.append(0x04)
        tag_type(out, desc)
    else:
        raise TypeError(f"not an import type: {desc!r}")


def _import_section(out: bytearray, module: Module) -> bool:
    if not _vector_section(out, len(module.imports)):
        return False
    for item in module.imports:
        _import(out, item)
    return True


def _function_section(out: bytearray, module: Module) -> bool:
    if not _vector_section(out, len(module.funcs)):
        return False
    for func in module.funcs:
        uleb(out, func.type_index)
    return True


def _table(out: bytearray, table: Table) -> None:
    if table.init is None:
        table_type(out, table.type)
        return
    out.append(TABLE_WITH_INIT)
    out.append(0x00)
    table_type(out, table.type)
    write_expr(out, table.init)


def _table_section(out: bytearray, module: Module) -> bool:
    if not _vector_section(out, len(module.tables)):
        return False
    for table in module.tables:
        _table(out, table)
    return True


def _memory_section(out: bytearray, module: Module) -> bool:
    if not _vector_section(out, len(module.memories)):
        return False
    for memory in module.memories:
        memory_type(out, memory.type)
    return True


def _tag_section(out: bytearray, module: Module) -> bool:
    if not _vector_section(out, len(module.tags)):
        return False
    for tag in module.tags:
        tag_type(out, tag.type)
    return True


def _global_section(out: bytearray, module: Module) -> bool:
    if not _vector_section(out, len(module.globals)):
        return False
    for item in module.globals:
        global_type(out, item.type)
        write_expr(out, item.init)
    return True


def _export_section(out: bytearray, module: Module) -> bool:
    if not _vector_section(out, len(module.exports)):
        return False
    for export in module.exports:
        name(out, export.name)
        out.append(export.kind.value)
        uleb(out, export.index)
    return True


def _start_section(out: bytearray, module: Module) -> bool:
    if module.start is None:
        return False
    uleb(out, module.start)
    return True


def _func_index(item: Expr) -> Optional[int]:
    """The function index of an item that is a single ``ref.func``."""
    if len(item) == 1 and item[0].op is opcodes.REF_FUNC:
        index: int = item[0].args[0]
        return index
    return None


def _elem_flags(elem: Elem) -> int:
    """The segment's form: bit 0 passive/declarative, bit 1 explicit table or
    declarative, bit 2 expressions rather than function indices."""
    indices = (
        elem.func_indices
        and elem.type == REF_FUNC
        and all(_func_index(item) is not None for item in elem.items)
    )
    if elem.mode is SegmentMode.PASSIVE:
        mode_bits = 1
    elif elem.mode is SegmentMode.DECLARATIVE:
        mode_bits = 3
    else:
        implicit_type = REF_FUNC if indices else FUNCREF
        mode_bits = 0 if elem.table is None and elem.type == implicit_type else 2
    return mode_bits | (0 if indices else 4)


def _elem(out: bytearray, elem: Elem) -> None:
    flags = _elem_flags(elem)
    uleb(out, flags)
    if flags & 3 == 2:
        uleb(out, elem.table or 0)
    if elem.mode is SegmentMode.ACTIVE:
        write_expr(out, elem.offset_expr or ())
    if flags & 3:
        if flags & 4:
            ref_type(out, elem.type)
        else:
            out.append(0x00)
    uleb(out, len(elem.items))
    for item in elem.items:
        if flags & 4:
            write_expr(out, item)
        else:
            uleb(out, _func_index(item) or 0)


def _elem_section(out: bytearray, module: Module) -> bool:
    if not _vector_section(out, len(module.elems)):
        return False
    for elem in module.elems:
        _elem(out, elem)
    return True


def _data_count_section(out: bytearray, module: Module) -> bool:
    if module.data_count is None:
        return False
    uleb(out, module.data_count)
    return True


def local_groups(locals_: Tuple[ValType, ...]) -> List[Tuple[int, ValType]]:
    """Runs of equal local types, as the code section declares them."""
    groups: List[Tuple[int, ValType]] = []
    for value_type in locals_:
        if groups and groups[-1][1] == value_type:
            groups[-1] = (groups[-1][0] + 1, value_type)
        else:
            groups.append((1, value_type))
    return groups


def _declared_groups(func: Func) -> Optional[Sequence[Tuple[int, ValType]]]:
    """:attr:`Func.local_groups` if it still spells out the function's locals."""
    groups = func.local_groups
    if groups is None:
        return None
    flat: List[ValType] = []
    for count, value_type in groups:
        flat.extend([value_type] * count)
    return groups if tuple(flat) == func.locals else None


def _function_body(body: bytearray, func: Func, offsets: Optional[List[int]] = None) -> None:
    """``func``'s locals declaration and code (the body its size prefixes)."""
    groups = _declared_groups(func) or local_groups(func.locals)
    uleb(body, len(groups))
    for count, value_type in groups:
        uleb(body, count)
        val_type(body, value_type)
    write_expr(body, func.body, offsets)


def instruction_offsets(func: Func) -> List[int]:
    """Where each instruction of ``func`` starts, from the start of its body
    (locals declaration included) as this encoder writes it; nested
    instructions come right after their block's."""
    offsets: List[int] = []
    _function_body(bytearray(), func, offsets)
    return offsets


def _code(out: bytearray, func: Func) -> None:
    body = part(out, func.offset)
    _function_body(body, func)
    sized(out, body)


def _code_section(out: bytearray, module: Module) -> bool:
    if not _vector_section(out, len(module.funcs)):
        return False
    for func in module.funcs:
        _code(out, func)
    return True


def _data(out: bytearray, data: Data) -> None:
    if data.mode is not SegmentMode.ACTIVE:
        uleb(out, 1)
    elif data.memory is None:
        uleb(out, 0)
        write_expr(out, data.offset_expr or ())
    else:
        uleb(out, 2)
        uleb(out, data.memory)
        write_expr(out, data.offset_expr or ())
    sized(out, data.data)


def _data_section(out: bytearray, module: Module) -> bool:
    if not _vector_section(out, len(module.datas)):
        return False
    for data in module.datas:
        _data(out, data)
    return True


SECTION_WRITERS: Dict[SectionId, SectionWriter] = {
    SectionId.TYPE: _type_section,
    SectionId.IMPORT: _import_section,
    SectionId.FUNCTION: _function_section,
    SectionId.TABLE: _table_section,
    SectionId.MEMORY: _memory_section,
    SectionId.TAG: _tag_section,
    SectionId.GLOBAL: _global_section,
    SectionId.EXPORT: _export_section,
    SectionId.START: _start_section,
    SectionId.ELEMENT: _elem_section,
    SectionId.DATA_COUNT: _data_count_section,
    SectionId.CODE: _code_section,
    SectionId.DATA: _data_section,
}


def _section(out: bytearray, section_id: int, content: bytes | bytearray) -> None:
    out.append(section_id)
    sized(out, content)


def _custom(out: bytearray, custom: CustomSection) -> None:
    title = part(out, custom.offset)
    name(title, custom.name)
    out.append(SectionId.CUSTOM)
    uleb(out, len(title) + len(custom.data))
    out += title
    out += custom.data


def _customs_after(out: bytearray, module: Module, after: SectionId) -> None:
    """The custom sections (and the name section) that sat after section ``after``.

    The name section goes before the first of them whose index in
    :attr:`Module.customs` is at least :attr:`Names.customs_before`.
    """
    names = module.names
    pending = names is not None and names.after == after
    names_at = (names.customs_before or 0) if names is not None else 0
    for index, custom in enumerate(module.customs):
        if custom.after != after:
            continue
        if pending and index >= names_at and names is not None:
            _name_section(out, names)
            pending = False
        _custom(out, custom)
    if pending and names is not None:
        _name_section(out, names)


def _name_section(out: bytearray, names: Names) -> None:
    content = part(out, (SectionId.CUSTOM.value,))
    encode_names(content, names)
    _section(out, SectionId.CUSTOM, content)


#: The sections that can be empty: their contents are then a vector of length zero.
EMPTY_SECTIONS = frozenset(SECTION_ORDER) - {SectionId.START, SectionId.DATA_COUNT}


def encode_module(module: Module) -> bytes:
    """The binary encoding of ``module``."""
    layout = module.layout
    if layout is not None:
        spelling = Spelling(layout)
        encoded = _encode(SpelledBuffer(0, spelling), module)
        if spelling.complete():
            return encoded
    return _encode(bytearray(), module)


def _encode(out: bytearray, module: Module) -> bytes:
    out += HEADER
    _customs_after(out, module, SectionId.CUSTOM)
    # Empty sections are written (empty) where the binary had them, and where
    # a custom section sat after them, so that the custom section decodes with
    # the same ``after``. The name section's ``after`` takes no part in
    # equality and anchors nothing.
    keep_empty = {custom.after for custom in module.customs}.union(module.empty_sections)
    for section_id in SECTION_ORDER:
        content = part(out, (section_id.value,))
        if SECTION_WRITERS[section_id](content, module):
            _section(out, section_id, content)
        elif section_id in keep_empty and section_id in EMPTY_SECTIONS:
            uleb(content, 0)
            _section(out, section_id, content)
        _customs_after(out, module, section_id)
    return bytes(out)


__all__ = ["SECTION_WRITERS", "encode_module", "instruction_offsets", "local_groups"]
