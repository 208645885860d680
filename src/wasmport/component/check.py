"""Structural checks of component definitions, made as they are decoded.

What is checked (raising :class:`~wasmport.errors.ValidationError` with the
offset of the definition):

* every index is in range of its sort's index space as the definitions before
  it built it: core funcs, tables, memories, globals, tags, types, modules and
  instances; funcs, values, types, components and instances -- including the
  indices inside types (value types, handles, extern types, the heap types and
  supertypes of core recursive types, the types of module type imports and
  exports) and inside component, instance and module types, whose declarators
  build their own index spaces;
* an index names a type of the kind its use needs, where the scope knows
  the kind (see :class:`~wasmport.component.scope.TypeKind`);
* ``outer`` alias counts against the enclosing scopes (components, component
  and instance types, module types);
* import and export names are strongly-unique in their scope (component,
  component type, instance type, inline instance), core export names unique,
  instantiation argument names unique; record field, variant case, flag, enum
  and parameter labels unique (case-insensitively) and in kebab case;
* canonical options: no duplicate or conflicting options;
* resource types are not defined inside component or instance types, and a
  component exports no core sort but ``core module``.

What needs the types of definitions (instantiation, aliases, exports, the
Canonical ABI, names...) is checked afterwards by
:mod:`wasmport.component.validate`.
"""

from __future__ import annotations

import re
from typing import Dict, Iterable, Iterator, Set, Tuple

from ..errors import ValidationError
from ..syntax.ast import FuncImportType
from ..syntax.types import ArrayType, RecType, RefType, StorageType, StructType, TagType
from ..syntax.types import FuncType as CoreFuncType
from .ast import (
    Alias,
    AliasCoreExport,
    AliasDecl,
    AliasExport,
    BorrowType,
    CanonOption,
    CanonOptionKind,
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
    EnumType,
    ExternDesc,
    ExternType,
    ExternTypeKind,
    FlagsType,
    FuncType,
    FutureType,
    ImportDecl,
    InstanceType,
    ListType,
    MapType,
    ModuleType,
    OptionType,
    OwnType,
    PrimValType,
    RecordType,
    ResourceType,
    ResultType,
    SortIndex,
    StreamType,
    TupleType,
    TypeBound,
    TypeDecl,
    ValType,
    ValueBound,
    VariantType,
)
from .gates import ComponentFeature
from .scope import COMPONENT_SORTS, CoreTypeKind, Scope, ScopeKind, TypeKind


def check_index(scope: Scope, item: SortIndex, offset: int) -> None:
    scope.check(item.sort, item.index, offset)


# -- labels -----------------------------------------------------------------------------


#: ``label``: kebab-case words, the first starting with a letter, each all
#: lower case or all upper case.
LABEL = re.compile(r"(?:[a-z][0-9a-z]*|[A-Z][0-9A-Z]*)(?:-(?:[0-9a-z]+|[0-9A-Z]+))*")


def check_labels(labels: Iterable[str], what: str, offset: int) -> None:
    """Labels must be kebab case and unique (case-insensitively)."""
    seen: Set[str] = set()
    for name in labels:
        if not name:
            raise ValidationError(f"{what} name cannot be empty", offset)
        if LABEL.fullmatch(name) is None:
            raise ValidationError(f"{what} name `{name}` is not in kebab case", offset)
        key = name.lower()
        if key in seen:
            raise ValidationError(f"{what} name `{name}` conflicts with a previous {what} name",
                                  offset)
        seen.add(key)


# -- value types --------------------------------------------------------------------------


def referenced_types(deftype: DefType) -> Iterator[ValType]:
    """The value types a value or function type refers to directly."""
    if isinstance(deftype, RecordType):
        yield from (field_type for _, field_type in deftype.fields)
    elif isinstance(deftype, VariantType):
        yield from (case.type for case in deftype.cases if case.type is not None)
    elif isinstance(deftype, (ListType, OptionType)):
        yield deftype.element if isinstance(deftype, ListType) else deftype.type
    elif isinstance(deftype, TupleType):
        yield from deftype.types
    elif isinstance(deftype, ResultType):
        yield from (t for t in (deftype.ok, deftype.error) if t is not None)
    elif isinstance(deftype, (StreamType, FutureType)):
        if deftype.element is not None:
            yield deftype.element
    elif isinstance(deftype, MapType):
        yield from (deftype.key, deftype.value)
    elif isinstance(deftype, FuncType):
        yield from (param_type for _, param_type in deftype.params)
        if deftype.result is not None:
            yield deftype.result


def check_val_type(scope: Scope, valtype: ValType, offset: int) -> None:
    """A value type's index must name a defined value type."""
    if isinstance(valtype, int):
        scope.expect_type(valtype, TypeKind.VALUE, offset)
    elif valtype is PrimValType.ERROR_CONTEXT:
        scope.require(ComponentFeature.ERROR_CONTEXT, "`error-context`", offset)


def type_kind(deftype: DefType) -> TypeKind:
    """The kind of type a type definition defines."""
    if isinstance(deftype, FuncType):
        return TypeKind.FUNC
    if isinstance(deftype, ComponentType):
        return TypeKind.COMPONENT
    if isinstance(deftype, InstanceType):
        return TypeKind.INSTANCE
    if isinstance(deftype, ResourceType):
        return TypeKind.RESOURCE
    return TypeKind.VALUE


def _check_type_labels(deftype: DefType, offset: int) -> None:
    if isinstance(deftype, RecordType):
        check_labels((name for name, _ in deftype.fields), "record field", offset)
    elif isinstance(deftype, VariantType):
        check_labels((case.label for case in deftype.cases), "variant case", offset)
    elif isinstance(deftype, FlagsType):
        check_labels(deftype.labels, "flag", offset)
    elif isinstance(deftype, EnumType):
        check_labels(deftype.labels, "enum case", offset)
    elif isinstance(deftype, FuncType):
        check_labels((name for name, _ in deftype.params), "function parameter", offset)


def check_def_type(scope: Scope, deftype: DefType, offset: int) -> None:
    """Check a type definition in ``scope`` (the caller then adds it)."""
    if isinstance(deftype, (ComponentType, InstanceType)):
        check_decls(scope, deftype, offset)
        return
    if isinstance(deftype, ResourceType):
        if scope.kind is not ScopeKind.COMPONENT:
            raise ValidationError(f"resource types cannot be defined in a {scope.kind.value}",
                                  offset)
        if deftype.destructor is not None:
            scope.check(CoreSort.FUNC, deftype.destructor, offset)
        return
    _check_type_labels(deftype, offset)
    if deftype is PrimValType.ERROR_CONTEXT:
        check_val_type(scope, deftype, offset)
    if isinstance(deftype, ListType) and deftype.length is not None:
        scope.require(ComponentFeature.FIXED_LENGTH_LISTS, "a fixed-length list", offset)
    if isinstance(deftype, (OwnType, BorrowType)):
        scope.expect_type(deftype.type_index, TypeKind.RESOURCE, offset)
    for valtype in referenced_types(deftype):
        check_val_type(scope, valtype, offset)


# -- core types ------------------------------------------------------------------------------


def _storage_indices(storage: StorageType) -> Iterator[int]:
    if isinstance(storage, RefType) and isinstance(storage.heap, int):
        yield storage.heap


def rec_type_indices(rec: RecType) -> Iterator[int]:
    for sub in rec.subtypes:
        yield from sub.supertypes
        yield from (i for i in (sub.descriptor, sub.describes) if i is not None)
        composite = sub.composite
        if isinstance(composite, CoreFuncType):
            for valtype in composite.params + composite.results:
                yield from _storage_indices(valtype)
        elif isinstance(composite, StructType):
            for field in composite.fields:
                yield from _storage_indices(field.storage)
        elif isinstance(composite, ArrayType):
            yield from _storage_indices(composite.field.storage)


def check_rec_type(scope: Scope, rec: RecType, offset: int) -> None:
    """Check a recursive type group and add its types to ``scope``."""
    size = len(rec.subtypes)
    for index in rec_type_indices(rec):
        scope.check(CoreSort.TYPE, index, offset, extra=size)
    scope.add_core_types([CORE_KINDS[type(sub.composite)] for sub in rec.subtypes])


CORE_KINDS = {CoreFuncType: CoreTypeKind.FUNC, StructType: CoreTypeKind.STRUCT,
              ArrayType: CoreTypeKind.ARRAY}


def _core_extern_type_index(decl: CoreImportDecl | CoreExportDecl) -> int:
    if isinstance(decl.type, (FuncImportType, TagType)):
        return decl.type.type_index
    return -1


def check_module_type(scope: Scope, module_type: ModuleType, offset: int) -> None:
    inner = Scope(ScopeKind.MODULE_TYPE, scope)
    exports: Set[str] = set()
    for decl in module_type.decls:
        if isinstance(decl, CoreRecTypeDecl):
            check_rec_type(inner, decl.type, offset)
        elif isinstance(decl, CoreAliasDecl):
            target = inner.outer(decl.count, offset)
            inner.core_types.append(target.core_type_kind(decl.index, offset))
        else:
            index = _core_extern_type_index(decl)
            if index >= 0:
                inner.expect_core_type(index, CoreTypeKind.FUNC, offset)
            if isinstance(decl, CoreExportDecl):
                if decl.name in exports:
                    raise ValidationError(f"duplicate export name `{decl.name}` "
                                          "in module type", offset)
                exports.add(decl.name)


def check_core_type(scope: Scope, core_type: CoreType, offset: int) -> None:
    """Check a core type definition and add it to ``scope``."""
    if isinstance(core_type, ModuleType):
        check_module_type(scope, core_type, offset)
        scope.add_core_types([CoreTypeKind.MODULE])
    else:
        check_rec_type(scope, core_type, offset)


# -- aliases and extern types ------------------------------------------------------------------


def check_alias(scope: Scope, alias: Alias) -> None:
    """Check an alias and add what it defines to ``scope``."""
    target = alias.target
    offset = alias.offset
    if isinstance(target, AliasExport):
        scope.check(ComponentSort.INSTANCE, target.instance, offset)
    elif isinstance(target, AliasCoreExport):
        scope.check(CoreSort.INSTANCE, target.instance, offset)
    else:
        outer = scope.outer(target.count, offset)
        outer.check(alias.sort, target.index, offset)
        if alias.sort is ComponentSort.TYPE:
            scope.add_type(outer.types[target.index])
            return
        if alias.sort is CoreSort.TYPE:
            scope.core_types.append(outer.core_types[target.index])
            return
    scope.add(alias.sort)


#: The kind of type each kind of extern type names.
EXTERN_TYPE_KINDS = {
    ExternTypeKind.FUNC: TypeKind.FUNC,
    ExternTypeKind.COMPONENT: TypeKind.COMPONENT,
    ExternTypeKind.INSTANCE: TypeKind.INSTANCE,
}


def check_extern_desc(scope: Scope, desc: ExternDesc, offset: int) -> None:
    if isinstance(desc, ExternType):
        if desc.kind is ExternTypeKind.MODULE:
            scope.expect_core_type(desc.type_index, CoreTypeKind.MODULE, offset)
        else:
            scope.expect_type(desc.type_index, EXTERN_TYPE_KINDS[desc.kind], offset)
    elif isinstance(desc, TypeBound):
        if desc.eq is not None:
            scope.check(ComponentSort.TYPE, desc.eq, offset)
    elif isinstance(desc, ValueBound):
        scope.require(ComponentFeature.VALUES, "a value import or export", offset)
        check_val_type(scope, desc.type, offset)


def add_extern(scope: Scope, desc: ExternDesc, offset: int) -> None:
    """Add what an import (or an export declarator) of ``desc`` defines."""
    if isinstance(desc, TypeBound):
        kind = TypeKind.RESOURCE if desc.eq is None else scope.types[desc.eq]
        scope.add_type(kind)
    else:
        scope.add(desc_sort(desc))


def desc_sort(desc: ExternDesc) -> ComponentSort | CoreSort:
    if isinstance(desc, TypeBound):
        return ComponentSort.TYPE
    if isinstance(desc, ValueBound):
        return ComponentSort.VALUE
    return COMPONENT_SORTS[desc.kind.value]


def check_decls(scope: Scope, deftype: ComponentType | InstanceType, offset: int) -> None:
    """Check the declarators of a component or instance type in a scope of their own."""
    kind = ScopeKind.COMPONENT_TYPE if isinstance(deftype, ComponentType) else \
        ScopeKind.INSTANCE_TYPE
    inner = Scope(kind, scope)
    for decl in deftype.decls:
        if isinstance(decl, CoreTypeDecl):
            check_core_type(inner, decl.type, offset)
        elif isinstance(decl, TypeDecl):
            check_def_type(inner, decl.type, offset)
            inner.add_type(type_kind(decl.type))
        elif isinstance(decl, AliasDecl):
            check_alias(inner, _with_offset(decl.alias, offset))
        else:
            check_extern_desc(inner, decl.desc, offset)
            if isinstance(decl, ImportDecl):
                inner.add_import_name(decl.name.name, offset)
            else:
                inner.add_export_name(decl.name.name, offset)
            add_extern(inner, decl.desc, offset)


def _with_offset(alias: Alias, offset: int) -> Alias:
    """An alias read inside a type, given the offset of the type it is in."""
    return Alias(alias.sort, alias.target, offset) if alias.offset < 0 else alias


# -- canonical options -------------------------------------------------------------------------

STRING_ENCODINGS = frozenset({CanonOptionKind.UTF8, CanonOptionKind.UTF16,
                              CanonOptionKind.LATIN1_UTF16})

#: The index space of each option that has an index.
OPTION_SORTS: Dict[CanonOptionKind, CoreSort] = {
    CanonOptionKind.MEMORY: CoreSort.MEMORY,
    CanonOptionKind.REALLOC: CoreSort.FUNC,
    CanonOptionKind.POST_RETURN: CoreSort.FUNC,
    CanonOptionKind.CALLBACK: CoreSort.FUNC,
}


def check_options(scope: Scope, options: Tuple[CanonOption, ...], offset: int) -> None:
    seen: Set[CanonOptionKind] = set()
    encoding = False
    for option in options:
        kind = option.kind
        if kind in STRING_ENCODINGS:
            if encoding:
                raise ValidationError("canonical encoding option conflicts with a previous "
                                      "string encoding option", offset)
            encoding = True
        elif kind in seen:
            raise ValidationError(f"canonical option `{kind.name.lower().replace('_', '-')}` "
                                  "is specified more than once", offset)
        seen.add(kind)
        sort = OPTION_SORTS.get(kind)
        if sort is not None and option.index is not None:
            scope.check(sort, option.index, offset)

