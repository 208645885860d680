"""The component binary decoder: :func:`decode_component`.

A component starts with the preamble ``\\0asm``, version ``0x0d 0x00`` and
layer ``0x01 0x00`` and is a sequence of sections, each ``id size contents``.
Each section is read through a reader that ends where the section ends, so a
definition that runs past it is "unexpected end of section" and one that stops
short of it is "section size mismatch". Definitions are checked as they are
read (see :mod:`wasmport.component.check`); core modules are validated by
:func:`wasmport.valid.validate` under the default features.
"""

from __future__ import annotations

import gc
from typing import Callable, Dict, Iterable, List

from ..binary.decoder import decode_module
from ..binary.reader import Buffer, Reader
from ..errors import DecodeError, ValidationError
from ..features import Features
from ..valid import validate
from .ast import (
    Component,
    ComponentField,
    CoreInlineExport,
    CoreInlineExports,
    CoreInstance,
    CoreInstantiate,
    CoreInstantiateArg,
    CoreModuleDef,
    CoreSort,
    CoreTypeDef,
    Custom,
    Export,
    Import,
    InlineExport,
    InlineExports,
    Instance,
    Instantiate,
    InstantiateArg,
    Section,
    SectionId,
    Start,
    TypeDef,
    Value,
)
from .canon import canon
from .definitions import define
from .gates import ComponentFeature
from .scope import Scope, ScopeKind
from .types import (
    alias,
    core_extern_sort,
    core_type,
    def_type,
    extern_desc,
    extern_name,
    optional,
    sort_index,
    val_type,
    vector,
)

MAGIC = b"\x00asm"
#: The (pre-standard) component binary version this decoder reads.
COMPONENT_VERSION = 0x0D
COMPONENT_LAYER = 0x01
PREAMBLE_SIZE = 8
#: The features core modules are validated under: the defaults, as for a
#: core module on its own.
CORE_FEATURES = Features()

#: A section's reader: decodes the section's definitions into ``fields``
#: (checking each against the scope) and returns how many it decoded.
SectionReader = Callable[[Reader, Scope, List[ComponentField]], int]


def _preamble(reader: Reader) -> None:
    start = reader.pos
    if reader.view[start:start + 4].tobytes() != MAGIC:
        raise DecodeError("magic header not detected", start)
    reader.skip(4)
    if reader.length - reader.pos < 4:
        raise DecodeError("unexpected end: truncated preamble", reader.pos)
    version = reader.byte() | reader.byte() << 8
    layer = reader.byte() | reader.byte() << 8
    if layer == 0:
        raise DecodeError("not a component: layer 0 is a core module", start + 6)
    if layer != COMPONENT_LAYER:
        raise DecodeError(f"unknown binary layer 0x{layer:x}", start + 6)
    if version != COMPONENT_VERSION:
        raise DecodeError(f"unknown component binary version 0x{version:x} "
                          f"(this decoder reads version 0x{COMPONENT_VERSION:x})", start + 4)


# -- definitions --------------------------------------------------------------------------


def _core_instance(reader: Reader) -> CoreInstance:
    start = reader.pos
    kind = reader.byte()
    if kind == 0x00:
        module = reader.u32()
        return CoreInstantiate(module, vector(reader, _core_instantiate_arg), start)
    if kind == 0x01:
        return CoreInlineExports(vector(reader, _core_inline_export), start)
    raise DecodeError(f"malformed core instance: 0x{kind:02x}", start)


def _core_instantiate_arg(reader: Reader) -> CoreInstantiateArg:
    name = reader.name()
    if reader.byte() != CoreSort.INSTANCE.value:
        raise DecodeError("malformed core instantiation argument: expected the instance sort "
                          "0x12", reader.pos - 1)
    return CoreInstantiateArg(name, reader.u32())


def _core_inline_export(reader: Reader) -> CoreInlineExport:
    name = reader.name()
    export_sort = core_extern_sort(reader)
    return CoreInlineExport(name, export_sort, reader.u32())


def _instance(reader: Reader) -> Instance:
    start = reader.pos
    kind = reader.byte()
    if kind == 0x00:
        component = reader.u32()
        return Instantiate(component, vector(reader, _instantiate_arg), start)
    if kind == 0x01:
        return InlineExports(vector(reader, _inline_export), start)
    raise DecodeError(f"malformed instance: 0x{kind:02x}", start)


def _instantiate_arg(reader: Reader) -> InstantiateArg:
    name = reader.name()
    return InstantiateArg(name, sort_index(reader))


def _inline_export(reader: Reader) -> InlineExport:
    name = extern_name(reader)
    return InlineExport(name, sort_index(reader))


def _core_type_def(reader: Reader) -> CoreTypeDef:
    start = reader.pos
    return CoreTypeDef(core_type(reader), start)


def _type_def(reader: Reader) -> TypeDef:
    start = reader.pos
    return TypeDef(def_type(reader), start)


def _import(reader: Reader) -> Import:
    start = reader.pos
    name = extern_name(reader)
    return Import(name, extern_desc(reader), start)


def _export(reader: Reader) -> Export:
    start = reader.pos
    name = extern_name(reader)
    item = sort_index(reader)
    return Export(name, item, optional(reader, extern_desc), start)


def _value(reader: Reader) -> Value:
    start = reader.pos
    value_type = val_type(reader)
    size = reader.length32()
    return Value(value_type, reader.bytes(size), start)


# -- sections ---------------------------------------------------------------------------------


def _vector_section(item: Callable[[Reader], ComponentField]) -> SectionReader:
    def read(reader: Reader, scope: Scope, fields: List[ComponentField]) -> int:
        count = reader.length32()
        for _ in range(count):
            definition = item(reader)
            define(scope, definition)
            fields.append(definition)
        return count

    return read


def _custom_section(reader: Reader, scope: Scope, fields: List[ComponentField]) -> int:
    start = reader.pos
    name = reader.name()
    fields.append(Custom(name, reader.bytes(reader.length - reader.pos), start))
    return 1


def _module_section(reader: Reader, scope: Scope, fields: List[ComponentField]) -> int:
    start = reader.pos
    try:
        module = decode_module(reader.view[start:reader.length])
    except DecodeError as error:
        raise DecodeError(f"in core module: {error.message}", start + error.offset) from None
    try:
        validate(module, CORE_FEATURES)
    except ValidationError as error:
        offset = start + error.offset if error.offset >= 0 else start
        raise ValidationError(f"in core module: {error.message}", offset) from None
    reader.pos = reader.length
    definition = CoreModuleDef(module, start)
    define(scope, definition)
    fields.append(definition)
    return 1


def _component_section(reader: Reader, scope: Scope, fields: List[ComponentField]) -> int:
    start = reader.pos
    _preamble(reader)
    nested = _body(reader, Scope(ScopeKind.COMPONENT, scope), start)
    define(scope, nested)
    fields.append(nested)
    return 1


def _start_section(reader: Reader, scope: Scope, fields: List[ComponentField]) -> int:
    start = reader.pos
    func = reader.u32()
    args = vector(reader, Reader.u32)
    definition = Start(func, args, reader.u32(), start)
    define(scope, definition)
    fields.append(definition)
    return 1


SECTION_READERS: Dict[SectionId, SectionReader] = {
    SectionId.CUSTOM: _custom_section,
    SectionId.CORE_MODULE: _module_section,
    SectionId.CORE_INSTANCE: _vector_section(_core_instance),
    SectionId.CORE_TYPE: _vector_section(_core_type_def),
    SectionId.COMPONENT: _component_section,
    SectionId.INSTANCE: _vector_section(_instance),
    SectionId.ALIAS: _vector_section(alias),
    SectionId.TYPE: _vector_section(_type_def),
    SectionId.CANON: _vector_section(canon),
    SectionId.START: _start_section,
    SectionId.IMPORT: _vector_section(_import),
    SectionId.EXPORT: _vector_section(_export),
    SectionId.VALUE: _vector_section(_value),
}
SECTION_BY_BYTE: Dict[int, SectionId] = {section.value: section for section in SectionId}


def _section(reader: Reader, scope: Scope, fields: List[ComponentField]) -> Section:
    start = reader.pos
    section_id = SECTION_BY_BYTE.get(reader.byte())
    if section_id is None:
        raise DecodeError(f"malformed section id 0x{reader.data[start]:02x}", start)
    size = reader.u32()
    body = reader.pos
    end = body + size
    if end > reader.length:
        raise DecodeError(f"section size out of bounds: the {section_id.name.lower().replace('_', ' ')} section "
                          f"needs {size} bytes, {reader.length - body} remain", body)
    contents = Reader(reader.view[:end], body)
    count = SECTION_READERS[section_id](contents, scope, fields)
    if contents.pos != end:
        raise DecodeError("section size mismatch: the section's contents end at offset "
                          f"0x{contents.pos:x}, its size says 0x{end:x}", contents.pos)
    reader.pos = end
    return Section(section_id, start, body, size, count)


def _body(reader: Reader, scope: Scope, offset: int) -> Component:
    fields: List[ComponentField] = []
    sections: List[Section] = []
    while not reader.at_end():
        sections.append(_section(reader, scope, fields))
    return Component(tuple(fields), tuple(sections), offset)


def decode_component(data: Buffer,
                     features: Iterable[ComponentFeature] = ()) -> Component:
    """Decode a component binary and check the indices and names in it.

    Raises :class:`~wasmport.errors.DecodeError` if it is malformed and
    :class:`~wasmport.errors.ValidationError` if an index is out of range or a
    name is repeated; the checks made and not made are listed in
    :mod:`wasmport.component`. ``features`` enables optional features that
    ``wasm-tools`` leaves disabled by default (:mod:`wasmport.component.gates`).
    """
    reader = Reader(data)
    collecting = gc.isenabled()
    gc.disable()
    try:
        _preamble(reader)
        return _body(reader, Scope(ScopeKind.COMPONENT, None, frozenset(features)), 0)
    except RecursionError:
        # Components and types nest by recursion; the top-level reader is still
        # at the start of the section that holds the deep nesting.
        raise DecodeError("components or types nested too deeply to decode",
                          reader.pos) from None
    finally:
        if collecting:
            gc.enable()
