"""Decoding of component types, core types, names, sorts and aliases.

Type constructors follow the core format's negative-SLEB128 scheme: a
``valtype`` whose first byte is a primitive type's byte is that type, anything
else is a type index read as a non-negative ``s33`` (so index 100 is the two
bytes ``0xe4 0x00``: the single byte ``0x64`` is ``error-context``).
"""

from __future__ import annotations

from typing import Callable, Dict, Optional, Tuple, TypeVar

from ..binary.decoder import _import_type as core_import_type
from ..binary.reader import Reader
from ..binary.types import SUB_FORM, rec_type, sub_type
from ..binary.types import val_type as core_val_type
from ..errors import DecodeError
from ..syntax.types import RecType
from .ast import (
    Alias,
    AliasCoreExport,
    AliasDecl,
    AliasExport,
    AliasOuter,
    BorrowType,
    ComponentDecl,
    ComponentSort,
    ComponentType,
    CoreAliasDecl,
    CoreExportDecl,
    CoreImportDecl,
    CoreRecTypeDecl,
    CoreSort,
    CoreType,
    CoreTypeDecl,
    DefType,
    DefValType,
    EnumType,
    ExportDecl,
    ExternDesc,
    ExternName,
    ExternType,
    ExternTypeKind,
    FlagsType,
    FuncType,
    FutureType,
    ImportDecl,
    InstanceDecl,
    InstanceType,
    ListType,
    MapType,
    ModuleDecl,
    ModuleType,
    NameAttribute,
    OptionType,
    OwnType,
    PrimValType,
    RecordType,
    ResourceType,
    ResultType,
    Sort,
    SortIndex,
    StreamType,
    TupleType,
    TypeBound,
    TypeDecl,
    ValType,
    ValueBound,
    VariantCase,
    VariantType,
)
from .scope import sort_name

T = TypeVar("T")

PRIM_BY_BYTE: Dict[int, PrimValType] = {t.value: t for t in PrimValType}
CORE_SORT_BY_BYTE: Dict[int, CoreSort] = {s.value: s for s in CoreSort}
SORT_BY_BYTE: Dict[int, ComponentSort] = {s.value: s for s in ComponentSort}

#: Sorts an ``outer`` alias may name (``outeraliassort``).
OUTER_ALIAS_SORTS = frozenset(
    {CoreSort.MODULE, CoreSort.TYPE, ComponentSort.TYPE, ComponentSort.COMPONENT}
)

FUNC_FORM = 0x40
ASYNC_FUNC_FORM = 0x43
COMPONENT_FORM = 0x41
INSTANCE_FORM = 0x42
RESOURCE_FORM = 0x3F
MODULE_FORM = 0x50
CORE_TYPE_SORT = 0x10
CORE_OUTER_ALIAS = 0x01
MAX_U32 = 0xFFFF_FFFF


# -- small pieces ---------------------------------------------------------------------


def vector(reader: Reader, item: Callable[[Reader], T]) -> Tuple[T, ...]:
    count = reader.length32()
    return tuple(item(reader) for _ in range(count))


def optional(reader: Reader, item: Callable[[Reader], T]) -> Optional[T]:
    """``<T>?``: ``0x00`` (absent) or ``0x01`` followed by a ``T``."""
    return item(reader) if flag(reader, "optional") else None


def flag(reader: Reader, what: str) -> bool:
    """A byte that must be 0 or 1."""
    byte = reader.byte()
    if byte > 1:
        raise DecodeError(f"malformed {what}: expected 0x00 or 0x01, got 0x{byte:02x}", reader.pos - 1)
    return byte == 1


def sort(reader: Reader) -> Sort:
    start = reader.pos
    byte = reader.byte()
    if byte == 0x00:
        return core_sort(reader)
    found = SORT_BY_BYTE.get(byte)
    if found is None:
        raise DecodeError(f"malformed sort: 0x{byte:02x}", start)
    return found


def core_sort(reader: Reader) -> CoreSort:
    byte = reader.byte()
    found = CORE_SORT_BY_BYTE.get(byte)
    if found is None:
        raise DecodeError(f"malformed core sort: 0x{byte:02x}", reader.pos - 1)
    return found


#: The core sorts of core instance exports (``core:externkind``).
CORE_EXTERN_SORTS = frozenset({CoreSort.FUNC, CoreSort.TABLE, CoreSort.MEMORY,
                               CoreSort.GLOBAL, CoreSort.TAG})


def extern_sort(reader: Reader) -> Sort:
    """The sort of a component import, export or instantiation argument: of
    the core sorts only ``core module``."""
    start = reader.pos
    found = sort(reader)
    if isinstance(found, CoreSort) and found is not CoreSort.MODULE:
        raise DecodeError(f"malformed sort: 0x00 0x{found.value:02x} is not a component "
                          "external kind (of the core sorts only core module is)", start)
    return found


def core_extern_sort(reader: Reader) -> CoreSort:
    """The sort of a core instance export: func, table, memory, global or tag."""
    start = reader.pos
    found = core_sort(reader)
    if found not in CORE_EXTERN_SORTS:
        raise DecodeError(f"malformed core sort: 0x{found.value:02x} is not a core "
                          "external kind", start)
    return found


def sort_index(reader: Reader) -> SortIndex:
    item_sort = extern_sort(reader)
    return SortIndex(item_sort, reader.u32())


def attribute(reader: Reader) -> NameAttribute:
    start = reader.pos
    kind = reader.byte()
    if kind > 2:
        raise DecodeError(f"malformed name attribute: 0x{kind:02x}", start)
    return NameAttribute(kind, reader.name())


def extern_name(reader: Reader) -> ExternName:
    """``nameattributes``: a name, with attributes when the form byte is 2."""
    start = reader.pos
    form = reader.byte()
    if form > 2:
        raise DecodeError(f"malformed name: unknown form 0x{form:02x}", start)
    name = reader.name()
    attributes = vector(reader, attribute) if form == 2 else ()
    return ExternName(name, form, attributes)


# -- aliases ---------------------------------------------------------------------------


def alias(reader: Reader) -> Alias:
    start = reader.pos
    alias_sort = sort(reader)
    kind_offset = reader.pos
    kind = reader.byte()
    if kind == 0x00:
        if isinstance(alias_sort, CoreSort) and alias_sort is not CoreSort.MODULE:
            raise DecodeError(f"malformed alias: an instance export cannot be a "
                              f"core {alias_sort.name.lower()}", start)
        return Alias(alias_sort, AliasExport(reader.u32(), reader.name()), start)
    if kind == 0x01:
        if alias_sort not in CORE_EXTERN_SORTS:
            raise DecodeError(f"malformed alias: a core instance export cannot be a "
                              f"{sort_name(alias_sort)}", start)
        return Alias(alias_sort, AliasCoreExport(reader.u32(), reader.name()), start)
    if kind == 0x02:
        if alias_sort not in OUTER_ALIAS_SORTS:
            raise DecodeError(f"malformed outer alias: sort {alias_sort.name.lower()} "
                              "cannot be aliased from an outer scope", start)
        count = reader.u32()
        return Alias(alias_sort, AliasOuter(count, reader.u32()), start)
    raise DecodeError(f"malformed alias target: 0x{kind:02x}", kind_offset)


# -- value types ------------------------------------------------------------------------


def val_type(reader: Reader) -> ValType:
    prim = PRIM_BY_BYTE.get(reader.peek())
    if prim is not None:
        reader.pos += 1
        return prim
    start = reader.pos
    index = reader.s33()
    if index < 0 or index > MAX_U32:
        raise DecodeError("malformed value type", start)
    return index


def label(reader: Reader) -> str:
    return reader.name()


def labeled(reader: Reader) -> Tuple[str, ValType]:
    name = label(reader)
    return name, val_type(reader)


def case(reader: Reader) -> VariantCase:
    name = label(reader)
    case_type = optional(reader, val_type)
    start = reader.pos
    if reader.byte() != 0x00:
        raise DecodeError("malformed variant case: expected 0x00 after the case type", start)
    return VariantCase(name, case_type)


def _list(reader: Reader) -> DefValType:
    return ListType(val_type(reader))


def _fixed_list(reader: Reader) -> DefValType:
    element = val_type(reader)
    return ListType(element, reader.u32())


def _result(reader: Reader) -> DefValType:
    ok = optional(reader, val_type)
    return ResultType(ok, optional(reader, val_type))


def _map(reader: Reader) -> DefValType:
    key = val_type(reader)
    return MapType(key, val_type(reader))


#: Decoders of the compound value types by their opcode.
DEFVALTYPE_DECODERS: Dict[int, Callable[[Reader], DefValType]] = {
    0x72: lambda r: RecordType(vector(r, labeled)),
    0x71: lambda r: VariantType(vector(r, case)),
    0x70: _list,
    0x67: _fixed_list,
    0x6F: lambda r: TupleType(vector(r, val_type)),
    0x6E: lambda r: FlagsType(vector(r, label)),
    0x6D: lambda r: EnumType(vector(r, label)),
    0x6B: lambda r: OptionType(val_type(r)),
    0x6A: _result,
    0x69: lambda r: OwnType(r.u32()),
    0x68: lambda r: BorrowType(r.u32()),
    0x66: lambda r: StreamType(optional(r, val_type)),
    0x65: lambda r: FutureType(optional(r, val_type)),
    0x63: _map,
}


def def_val_type(reader: Reader) -> DefValType:
    start = reader.pos
    byte = reader.byte()
    prim = PRIM_BY_BYTE.get(byte)
    if prim is not None:
        return prim
    decoder = DEFVALTYPE_DECODERS.get(byte)
    if decoder is None:
        raise DecodeError(f"malformed type: unknown type opcode 0x{byte:02x}", start)
    return decoder(reader)


def result_list(reader: Reader) -> Optional[ValType]:
    """``resultlist``: ``0x00 t`` (one result) or ``0x01 0x00`` (none)."""
    start = reader.pos
    form = reader.byte()
    if form == 0x00:
        return val_type(reader)
    if form == 0x01 and reader.byte() == 0x00:
        return None
    raise DecodeError("malformed function result list", start)


def func_type(reader: Reader, is_async: bool) -> FuncType:
    params = vector(reader, labeled)
    return FuncType(params, result_list(reader), is_async)


def resource_type(reader: Reader) -> ResourceType:
    rep = core_val_type(reader)
    return ResourceType(rep, optional(reader, Reader.u32))



# -- extern types and declarators -----------------------------------------------------------


def extern_desc(reader: Reader) -> ExternDesc:
    start = reader.pos
    byte = reader.byte()
    if byte == ExternTypeKind.MODULE.value:
        if reader.byte() != CoreSort.MODULE.value:
            raise DecodeError("malformed core module type: expected 0x11", reader.pos - 1)
        return ExternType(ExternTypeKind.MODULE, reader.u32())
    if byte == ExternTypeKind.TYPE.value:
        bound_offset = reader.pos
        bound = reader.byte()
        if bound == 0x00:
            return TypeBound(reader.u32())
        if bound == 0x01:
            return TypeBound(None)
        raise DecodeError(f"malformed type bound: 0x{bound:02x}", bound_offset)
    if byte == ExternTypeKind.VALUE.value:
        return ValueBound(val_type(reader))
    if byte in (ExternTypeKind.FUNC.value, ExternTypeKind.COMPONENT.value,
                ExternTypeKind.INSTANCE.value):
        return ExternType(ExternTypeKind(byte), reader.u32())
    raise DecodeError(f"malformed extern type: 0x{byte:02x}", start)


def instance_decl(reader: Reader, scope: str = "instance type") -> InstanceDecl:
    start = reader.pos
    kind = reader.byte()
    if kind == 0x00:
        return CoreTypeDecl(core_type(reader))
    if kind == 0x01:
        return TypeDecl(def_type(reader))
    if kind == 0x02:
        return AliasDecl(alias(reader))
    if kind == 0x04:
        name = extern_name(reader)
        return ExportDecl(name, extern_desc(reader))
    raise DecodeError(f"malformed {scope} declarator: 0x{kind:02x}", start)


def component_decl(reader: Reader) -> ComponentDecl:
    if reader.peek() == 0x03:
        reader.pos += 1
        name = extern_name(reader)
        return ImportDecl(name, extern_desc(reader))
    return instance_decl(reader, "component type")


def def_type(reader: Reader) -> DefType:
    byte = reader.peek()
    if byte in (FUNC_FORM, ASYNC_FUNC_FORM):
        reader.pos += 1
        return func_type(reader, byte == ASYNC_FUNC_FORM)
    if byte == COMPONENT_FORM:
        reader.pos += 1
        return ComponentType(vector(reader, component_decl))
    if byte == INSTANCE_FORM:
        reader.pos += 1
        return InstanceType(vector(reader, instance_decl))
    if byte == RESOURCE_FORM:
        reader.pos += 1
        return resource_type(reader)
    return def_val_type(reader)


# -- core types ---------------------------------------------------------------------------


def core_type(reader: Reader) -> CoreType:
    """``core:deftype``: a module type (``0x50``), a non-final subtype written
    ``0x00 0x50 ...`` (to tell it from a module type), or a recursive type."""
    byte = reader.peek()
    if byte == MODULE_FORM:
        reader.pos += 1
        return ModuleType(vector(reader, module_decl))
    if byte == 0x00:
        reader.pos += 1
        if reader.peek() != SUB_FORM:
            raise DecodeError("malformed core type: expected 0x50 after 0x00", reader.pos)
        return RecType((sub_type(reader),), False)
    return rec_type(reader)


def module_decl(reader: Reader) -> ModuleDecl:
    start = reader.pos
    kind = reader.byte()
    if kind == 0x00:
        module = reader.name()
        name = reader.name()
        extern_kind, import_type = core_import_type(reader)
        return CoreImportDecl(module, name, extern_kind, import_type)
    if kind == 0x01:
        return CoreRecTypeDecl(rec_type(reader))
    if kind == 0x02:
        if reader.byte() != CORE_TYPE_SORT:
            raise DecodeError("malformed module type alias: only core types can be aliased",
                              reader.pos - 1)
        if reader.byte() != CORE_OUTER_ALIAS:
            raise DecodeError("malformed module type alias: only outer aliases are allowed",
                              reader.pos - 1)
        count = reader.u32()
        return CoreAliasDecl(count, reader.u32())
    if kind == 0x03:
        name = reader.name()
        extern_kind, export_type = core_import_type(reader)
        return CoreExportDecl(name, extern_kind, export_type)
    raise DecodeError(f"malformed module type declarator: 0x{kind:02x}", start)
