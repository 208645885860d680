"""Decoding of a module: the header, the sections in order, and the checks
between sections (function and code counts, the data count).

Each known section id has a handler in :data:`SECTION_HANDLERS` that reads
the section's contents into a :class:`ModuleBuilder`; :func:`decode_module`
then checks that the section ended where its size said.
"""

from __future__ import annotations

import gc
from typing import Callable, Dict, List, Optional, Tuple

from ..errors import DecodeError
from ..features import Feature, Features
from ..syntax import opcodes
from ..syntax.ast import (
    SECTION_ORDER,
    BinaryLayout,
    CustomSection,
    Data,
    Elem,
    Export,
    Expr,
    ExternKind,
    Func,
    FuncImportType,
    Global,
    Import,
    ImportType,
    Instr,
    LocalGroups,
    Memory,
    Module,
    Names,
    SectionId,
    SegmentMode,
    Table,
    Tag,
)
from ..syntax.types import FUNCREF, AbsHeapType, RecType, RefType, ValType
from .instructions import read_expr
from .names import decode_names
from .reader import Buffer, Reader
from .types import (
    LIMITS_PAGE_SIZE,
    global_type,
    memory_type,
    rec_type,
    ref_type,
    table_type,
    tag_type,
    val_type,
)

MAGIC = 0x6D736100
VERSION = 1

#: The most locals (beyond the parameters) a function may declare; more is
#: "too many locals" (the spec's bound is 2**32 - 1; this one matches wasm-tools
#: and keeps a hostile count from allocating).
MAX_LOCALS = 50_000

EXACT_FUNC_IMPORT = 0x20
TABLE_WITH_INIT = 0x40

LAST_SECTION_ID = max(SectionId)
_ORDER: Dict[int, int] = {section: index for index, section in enumerate(SECTION_ORDER)}


class ModuleBuilder:
    """The parts of a module collected while its sections are decoded."""

    def __init__(self) -> None:
        self.types: List[RecType] = []
        self.imports: List[Import] = []
        self.func_types: List[int] = []
        self.codes: List[Tuple[Tuple[ValType, ...], Optional[LocalGroups], Expr, int]] = []
        self.tables: List[Table] = []
        self.memories: List[Memory] = []
        self.tags: List[Tag] = []
        self.globals: List[Global] = []
        self.exports: List[Export] = []
        self.start: Optional[int] = None
        self.elems: List[Elem] = []
        self.datas: List[Data] = []
        self.data_count: Optional[int] = None
        self.customs: List[CustomSection] = []
        self.names: Optional[Names] = None
        #: The sections that were present with no entries, in order.
        self.empty_sections: List[SectionId] = []
        #: Whether a function body uses a data index (then a data count section is required).
        self.code_uses_data = False
        #: Where each section's contents began (see :class:`BinaryLayout`).
        self.bases: Dict[Tuple[int, ...], int] = {}


# -- sections -----------------------------------------------------------------


def _type_section(reader: Reader, module: ModuleBuilder) -> None:
    count = reader.length32()
    module.types.extend(rec_type(reader) for _ in range(count))


def _import_type(reader: Reader) -> Tuple[ExternKind, ImportType]:
    kind = reader.byte()
    if kind == ExternKind.FUNC.value:
        return ExternKind.FUNC, FuncImportType(reader.u32())
    if kind == EXACT_FUNC_IMPORT:
        return ExternKind.FUNC, FuncImportType(reader.u32(), True)
    if kind == ExternKind.TABLE.value:
        return ExternKind.TABLE, table_type(reader)
    if kind == ExternKind.MEMORY.value:
        return ExternKind.MEMORY, memory_type(reader)
    if kind == ExternKind.GLOBAL.value:
        return ExternKind.GLOBAL, global_type(reader)
    if kind == ExternKind.TAG.value:
        return ExternKind.TAG, tag_type(reader)
    raise DecodeError("malformed import kind", reader.pos - 1)


def _import_section(reader: Reader, module: ModuleBuilder) -> None:
    for _ in range(reader.length32()):
        offset = reader.pos
        module_name = reader.name()
        item_name = reader.name()
        kind, import_type = _import_type(reader)
        module.imports.append(Import(module_name, item_name, kind, import_type, offset))


def _function_section(reader: Reader, module: ModuleBuilder) -> None:
    count = reader.length32()
    u32 = reader.u32
    module.func_types.extend(u32() for _ in range(count))


def _table(reader: Reader) -> Table:
    offset = reader.pos
    if reader.peek() == TABLE_WITH_INIT:
        try:
            reader.pos += 1
            reader.expect(0x00, "zero byte expected")
            table = table_type(reader)
            return Table(table, read_expr(reader), offset)
        except DecodeError:
            reader.pos = offset  # the reference then reads a plain table type
    return Table(table_type(reader), None, offset)


def _table_section(reader: Reader, module: ModuleBuilder) -> None:
    for _ in range(reader.length32()):
        module.tables.append(_table(reader))


def _memory_section(reader: Reader, module: ModuleBuilder) -> None:
    for _ in range(reader.length32()):
        offset = reader.pos
        module.memories.append(Memory(memory_type(reader), offset))


def _tag_section(reader: Reader, module: ModuleBuilder) -> None:
    for _ in range(reader.length32()):
        offset = reader.pos
        module.tags.append(Tag(tag_type(reader), offset))


def _global_section(reader: Reader, module: ModuleBuilder) -> None:
    for _ in range(reader.length32()):
        offset = reader.pos
        value_type = global_type(reader)
        module.globals.append(Global(value_type, read_expr(reader), offset))


def _export_section(reader: Reader, module: ModuleBuilder) -> None:
    for _ in range(reader.length32()):
        offset = reader.pos
        name = reader.name()
        kind = reader.byte()
        if kind > ExternKind.TAG.value:
            raise DecodeError("malformed export kind", reader.pos - 1)
        module.exports.append(Export(name, ExternKind(kind), reader.u32(), offset))


def _start_section(reader: Reader, module: ModuleBuilder) -> None:
    module.start = reader.u32()


def _data_count_section(reader: Reader, module: ModuleBuilder) -> None:
    module.data_count = reader.u32()


def _locals(reader: Reader) -> Tuple[Tuple[ValType, ...], Optional[LocalGroups]]:
    """The flattened locals, and the groups as declared when they are not the
    canonical grouping (a group of count zero, or two adjacent groups of one type)."""
    start = reader.pos
    groups: List[Tuple[int, ValType]] = []
    total = 0
    canonical = True
    previous: Optional[ValType] = None
    for _ in range(reader.length32()):
        count = reader.u32()
        value_type = val_type(reader)
        groups.append((count, value_type))
        total += count
        if canonical and (not count or value_type == previous):
            canonical = False
        previous = value_type
    if total > MAX_LOCALS:
        raise DecodeError("too many locals", start)
    flat: List[ValType] = []
    for count, value_type in groups:
        flat.extend([value_type] * count)
    return tuple(flat), None if canonical else tuple(groups)


def _code_section(reader: Reader, module: ModuleBuilder) -> None:
    reader.data_index_used = False
    for _ in range(reader.length32()):
        size = reader.length32()
        start = reader.pos
        local_types, groups = _locals(reader)
        body = read_expr(reader)
        if reader.pos != start + size:
            raise DecodeError("section size mismatch", start)
        module.codes.append((local_types, groups, body, start))
    module.code_uses_data = reader.data_index_used


def _data_section(reader: Reader, module: ModuleBuilder) -> None:
    for _ in range(reader.length32()):
        offset = reader.pos
        flags = reader.u32()
        if flags == 1:
            content = reader.bytes(reader.length32())
            module.datas.append(Data(SegmentMode.PASSIVE, content, None, None, offset))
            continue
        if flags > 2:
            raise DecodeError("malformed data segment kind", reader.pos - 1)
        memory = reader.u32() if flags == 2 else None
        offset_expr = read_expr(reader)
        content = reader.bytes(reader.length32())
        module.datas.append(Data(SegmentMode.ACTIVE, content, memory, offset_expr, offset))


# -- element segments ---------------------------------------------------------

_ELEM_MODES = (SegmentMode.ACTIVE, SegmentMode.PASSIVE, SegmentMode.ACTIVE, SegmentMode.DECLARATIVE)
REF_FUNC_TYPE = RefType(False, AbsHeapType.FUNC)


def _func_index_items(reader: Reader) -> Tuple[Expr, ...]:
    items = []
    for _ in range(reader.length32()):
        offset = reader.pos
        items.append((Instr(opcodes.REF_FUNC, (reader.u32(),), offset),))
    return tuple(items)


def _elem_kind(reader: Reader) -> RefType:
    if reader.byte() != 0x00:
        raise DecodeError("malformed element kind", reader.pos - 1)
    return REF_FUNC_TYPE


def _elem(reader: Reader) -> Elem:
    offset = reader.pos
    flags = reader.u32()
    if flags > 7:
        raise DecodeError("malformed elements segment kind", reader.pos - 1)
    mode = _ELEM_MODES[flags & 3]
    table = reader.u32() if flags & 3 == 2 else None
    offset_expr = read_expr(reader) if mode is SegmentMode.ACTIVE else None
    uses_exprs = bool(flags & 4)
    if flags & 3 == 0:
        elem_type = FUNCREF if uses_exprs else REF_FUNC_TYPE
    elif uses_exprs:
        elem_type = ref_type(reader)
    else:
        elem_type = _elem_kind(reader)
    if uses_exprs:
        items = tuple(read_expr(reader) for _ in range(reader.length32()))
    else:
        items = _func_index_items(reader)
    return Elem(mode, elem_type, items, table, offset_expr, not uses_exprs, offset)


def _elem_section(reader: Reader, module: ModuleBuilder) -> None:
    for _ in range(reader.length32()):
        module.elems.append(_elem(reader))


SectionHandler = Callable[[Reader, ModuleBuilder], None]

#: The sections whose contents are a vector (all but start and data count): an
#: empty one is recorded in :attr:`Module.empty_sections`.
VECTOR_SECTIONS = frozenset(SECTION_ORDER) - {SectionId.START, SectionId.DATA_COUNT}

SECTION_HANDLERS: Dict[SectionId, SectionHandler] = {
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


# -- custom sections ----------------------------------------------------------


def _custom_section(reader: Reader, module: ModuleBuilder, end: int, after: SectionId) -> None:
    offset = reader.pos
    name = reader.name()
    start = reader.pos
    content = reader.bytes(end - reader.pos)
    if name == "name" and module.names is None:
        # Read in place (offsets into the module) up to the section's end.
        names_reader = Reader(reader.view[:end], start)
        names = decode_names(names_reader, after, len(module.customs), module.bases)
        if names is not None:
            module.names = names
            module.bases[(SectionId.CUSTOM.value,)] = offset
            reader.widths.update(names_reader.widths)
            return
    module.customs.append(CustomSection(name, content, after, offset))


# -- the module ---------------------------------------------------------------


#: The layer field (upper 16 bits of the version word) of a component binary.
COMPONENT_LAYER = 1


def _header(reader: Reader) -> None:
    if reader.fixed32() != MAGIC:
        raise DecodeError("magic header not detected", 0)
    version = reader.fixed32()
    if version != VERSION:
        if version >> 16 == COMPONENT_LAYER:
            raise DecodeError("unknown binary version: this is a component-model binary "
                              "(layer 1); wasmport decodes and runs core modules only", 4)
        raise DecodeError("unknown binary version", 4)


def _sections(reader: Reader, module: ModuleBuilder) -> None:
    last_order = -1
    after = SectionId.CUSTOM
    data = reader.data
    while reader.pos < reader.length:
        section_offset = reader.pos
        section_id = data[section_offset]
        if section_id > LAST_SECTION_ID:
            raise DecodeError("malformed section id", section_offset)
        reader.pos += 1
        size = reader.length32()
        start = reader.pos
        if section_id == SectionId.CUSTOM:
            _custom_section(reader, module, start + size, after)
        else:
            order = _ORDER[section_id]
            if order <= last_order:
                raise DecodeError("unexpected content after last section", section_offset)
            last_order = order
            after = SectionId(section_id)
            module.bases[(section_id,)] = start
            SECTION_HANDLERS[after](reader, module)
            if after in VECTOR_SECTIONS and _vector_is_empty(reader, start):
                module.empty_sections.append(after)
        if reader.pos != start + size:
            raise DecodeError("section size mismatch", start)


def _vector_is_empty(reader: Reader, start: int) -> bool:
    """Whether the vector the section at ``start`` held (already read) has no entries."""
    end = reader.pos
    reader.pos = start
    empty = reader.u32() == 0
    reader.pos = end
    return empty


def _check_counts(reader: Reader, module: ModuleBuilder) -> None:
    end = reader.length
    if len(module.func_types) != len(module.codes):
        raise DecodeError("function and code section have inconsistent lengths", end)
    if module.data_count is not None and module.data_count != len(module.datas):
        raise DecodeError("data count and data section have inconsistent lengths", end)
    if module.data_count is None and module.code_uses_data:
        raise DecodeError("data count section required", end)


def decode_module(data: Buffer, features: Optional[Features] = None) -> Module:
    """Decode a binary module. Raises :class:`DecodeError` if it is malformed.

    The decoder reads every encoding it knows whatever ``features`` says
    (rejecting disabled proposals is the validator's job), with one exception:
    where a proposal gives meaning to bits that are otherwise reserved, so that
    the same bytes are malformed without it, ``features`` decides. Today that
    is the custom-page-sizes flag of memory limits. None means every feature.
    """
    reader = Reader(data)
    if features is not None and Feature.CUSTOM_PAGE_SIZES not in features:
        reader.memory_flags = ~LIMITS_PAGE_SIZE
    # Decoding allocates many small acyclic objects and no cycles: pausing the
    # cyclic garbage collector meanwhile roughly halves the time on large modules.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _decode(reader)
    finally:
        if collecting:
            gc.enable()


def _decode(reader: Reader) -> Module:
    _header(reader)
    module = ModuleBuilder()
    _sections(reader, module)
    _check_counts(reader, module)
    funcs = tuple(
        Func(type_index, local_types, body, offset, groups)
        for type_index, (local_types, groups, body, offset) in zip(
            module.func_types, module.codes
        )
    )
    decoded = Module(
        types=tuple(module.types),
        imports=tuple(module.imports),
        funcs=funcs,
        tables=tuple(module.tables),
        memories=tuple(module.memories),
        tags=tuple(module.tags),
        globals=tuple(module.globals),
        exports=tuple(module.exports),
        start=module.start,
        elems=tuple(module.elems),
        datas=tuple(module.datas),
        data_count=module.data_count,
        customs=tuple(module.customs),
        names=module.names,
        empty_sections=tuple(module.empty_sections),
    )
    if reader.widths:
        object.__setattr__(decoded, "layout", BinaryLayout(reader.widths, module.bases))
    return decoded


__all__ = ["MAX_LOCALS", "SECTION_HANDLERS", "decode_module"]
