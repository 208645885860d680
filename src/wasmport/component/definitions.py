"""Checking a component's definitions as they are decoded and adding them to
its index spaces (see :mod:`wasmport.component.check` for what is checked)."""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, Set

from ..errors import ValidationError
from .ast import (
    Alias,
    CanonBuiltin,
    CanonLift,
    CanonLower,
    Component,
    ComponentField,
    ComponentSort,
    CoreInlineExports,
    CoreInstantiate,
    CoreModuleDef,
    CoreSort,
    CoreTypeDef,
    Custom,
    Export,
    Import,
    InlineExports,
    Instantiate,
    Start,
    TypeDef,
    Value,
)
from .check import (
    add_extern,
    check_alias,
    check_core_type,
    check_def_type,
    check_extern_desc,
    check_index,
    check_options,
    check_val_type,
    type_kind,
)
from .gates import ComponentFeature, builtin_feature
from .scope import CoreTypeKind, Scope, TypeKind, sort_name, unique_key


def _unique(names: Iterable[str], what: str, offset: int) -> None:
    seen: Set[str] = set()
    for name in names:
        if name in seen:
            raise ValidationError(f"duplicate {what} `{name}`", offset)
        seen.add(name)


def _core_module(scope: Scope, item: CoreModuleDef) -> None:
    scope.add(CoreSort.MODULE)


def _core_instantiate(scope: Scope, item: CoreInstantiate) -> None:
    scope.check(CoreSort.MODULE, item.module, item.offset)
    for arg in item.args:
        scope.check(CoreSort.INSTANCE, arg.instance, item.offset)
    _unique((arg.name for arg in item.args), "module instantiation argument", item.offset)
    scope.add(CoreSort.INSTANCE)


def _core_inline_exports(scope: Scope, item: CoreInlineExports) -> None:
    for export in item.exports:
        scope.check(export.sort, export.index, item.offset)
    _unique((export.name for export in item.exports), "core instance export name", item.offset)
    scope.add(CoreSort.INSTANCE)


def _core_type(scope: Scope, item: CoreTypeDef) -> None:
    check_core_type(scope, item.type, item.offset)


def _component(scope: Scope, item: Component) -> None:
    # A nested component is checked in its own scope while it is decoded.
    scope.add(ComponentSort.COMPONENT)


def _instantiate(scope: Scope, item: Instantiate) -> None:
    scope.check(ComponentSort.COMPONENT, item.component, item.offset)
    for arg in item.args:
        check_index(scope, arg.item, item.offset)
    _unique((arg.name for arg in item.args), "instantiation argument", item.offset)
    scope.add(ComponentSort.INSTANCE)


def _inline_exports(scope: Scope, item: InlineExports) -> None:
    names: Set[str] = set()
    for export in item.exports:
        check_index(scope, export.item, item.offset)
        key = unique_key(export.name.name)
        if key in names:
            raise ValidationError(f"export name `{export.name.name}` conflicts with a previous "
                                  "export name of this instance", item.offset)
        names.add(key)
    scope.add(ComponentSort.INSTANCE)


def _type(scope: Scope, item: TypeDef) -> None:
    check_def_type(scope, item.type, item.offset)
    scope.add_type(type_kind(item.type))


def _lift(scope: Scope, item: CanonLift) -> None:
    scope.check(CoreSort.FUNC, item.core_func, item.offset)
    check_options(scope, item.options, item.offset)
    scope.expect_type(item.type_index, TypeKind.FUNC, item.offset)
    scope.add(ComponentSort.FUNC)


def _lower(scope: Scope, item: CanonLower) -> None:
    scope.check(ComponentSort.FUNC, item.func, item.offset)
    check_options(scope, item.options, item.offset)
    scope.add(CoreSort.FUNC)


def _builtin(scope: Scope, item: CanonBuiltin) -> None:
    offset = item.offset
    feature = builtin_feature(item)
    if feature is not None:
        scope.require(feature, f"`{item.name}`", offset)
    if item.type_index is not None:
        kind = TypeKind.RESOURCE if item.name.startswith("resource.") else TypeKind.VALUE
        scope.expect_type(item.type_index, kind, offset)
    if item.core_type_index is not None:
        scope.expect_core_type(item.core_type_index, CoreTypeKind.FUNC, offset)
    if item.memory is not None:
        scope.check(CoreSort.MEMORY, item.memory, offset)
    if item.table is not None:
        scope.check(CoreSort.TABLE, item.table, offset)
    if item.result is not None:
        check_val_type(scope, item.result, offset)
    check_options(scope, item.options, offset)
    scope.add(CoreSort.FUNC)


def _start(scope: Scope, item: Start) -> None:
    scope.require(ComponentFeature.VALUES, "a start definition", item.offset)
    scope.check(ComponentSort.FUNC, item.func, item.offset)
    for arg in item.args:
        scope.check(ComponentSort.VALUE, arg, item.offset)
    scope.add(ComponentSort.VALUE, item.results)


def _import(scope: Scope, item: Import) -> None:
    check_extern_desc(scope, item.desc, item.offset)
    scope.add_import_name(item.name.name, item.offset)
    add_extern(scope, item.desc, item.offset)


def _export(scope: Scope, item: Export) -> None:
    check_index(scope, item.item, item.offset)
    if isinstance(item.item.sort, CoreSort) and item.item.sort is not CoreSort.MODULE:
        raise ValidationError(f"a component cannot export a {sort_name(item.item.sort)}; "
                              "of the core sorts only core modules can be exported", item.offset)
    if item.desc is not None:
        check_extern_desc(scope, item.desc, item.offset)
    scope.add_export_name(item.name.name, item.offset)
    if item.item.sort is ComponentSort.TYPE:
        scope.add_type(scope.types[item.item.index])
    else:
        scope.add(item.item.sort)


def _value(scope: Scope, item: Value) -> None:
    scope.require(ComponentFeature.VALUES, "a value definition", item.offset)
    check_val_type(scope, item.type, item.offset)
    scope.add(ComponentSort.VALUE)


def _custom(scope: Scope, item: Custom) -> None:
    """Custom sections define nothing."""


#: The check of each kind of definition; each also adds the definition to its index space.
DEFINE: Dict[type, Callable[[Scope, Any], None]] = {
    CoreModuleDef: _core_module,
    CoreInstantiate: _core_instantiate,
    CoreInlineExports: _core_inline_exports,
    CoreTypeDef: _core_type,
    Component: _component,
    Instantiate: _instantiate,
    InlineExports: _inline_exports,
    Alias: check_alias,
    TypeDef: _type,
    CanonLift: _lift,
    CanonLower: _lower,
    CanonBuiltin: _builtin,
    Start: _start,
    Import: _import,
    Export: _export,
    Value: _value,
    Custom: _custom,
}


def define(scope: Scope, item: ComponentField) -> None:
    """Check a definition against ``scope`` and add what it defines."""
    DEFINE[type(item)](scope, item)
