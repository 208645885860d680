"""Type definitions and aliases, in a component and in component, instance
and module types: each resolves into an :class:`~wasmport.component.resolve.Env`."""

from __future__ import annotations

import itertools
from typing import Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from ..errors import ValidationError
from ..features import Features
from ..syntax.ast import ExternKind, FuncImportType, ImportType, Module
from ..syntax.types import FuncType as CoreFuncType
from ..syntax.types import (
    GlobalType,
    MemoryType,
    RecType,
    SubType,
    TableType,
    TagType,
)
from ..valid.canon import UnknownTypeIndex, canonicalize
from ..valid.context import Context
from ..valid.deftypes import build_type_space, check_types
from ..valid.limits import check_memory_type, check_table_limits
from ..valid.matching import TypeSpace
from . import ast
from . import typesys as ts
from .check import rec_type_indices
from .resolve import (
    EXPORT,
    IMPORT,
    CoreTypeEntry,
    Env,
    add_entity,
    defined_type,
    extern_type,
    func_type,
    import_or_export,
    resource_type,
)
from .scope import ScopeKind, sort_name

# -- core types ----------------------------------------------------------------------------


#: Where each core type of a scope was defined: its recursion group and position.
Owners = List[Tuple[RecType, int]]


def _owned(groups: Sequence[RecType]) -> Owners:
    return [(group, position) for group in groups for position in range(len(group.subtypes))]


_unrelated = itertools.count(-2, -1)


def _canonical(owners: Owners, index: int) -> Tuple[int, FrozenSet[int]]:
    """The canonical id (:mod:`wasmport.valid.canon`) of core type ``index``
    among the types ``owners`` lists, and those of its declared supertypes."""
    groups: List[RecType] = []
    for group, position in owners:
        if position == 0:
            groups.append(group)
    try:
        space = TypeSpace([group.subtypes[position] for group, position in owners],
                          canonicalize(groups))
    except UnknownTypeIndex:
        # A type aliased from an enclosing scope refers to that scope's types,
        # which are not numbered here: it stands for a type of its own.
        unique = next(_unrelated)
        return unique, frozenset({unique})
    return space.canon[index], space.supers[index]


def _core_item(types: List[CoreTypeEntry], owners: Owners, kind: ExternKind,
               item: ImportType, offset: int) -> ts.CoreItem:
    if isinstance(item, (FuncImportType, TagType)):
        found = types[item.type_index]
        if not isinstance(found, SubType) or not isinstance(found.composite, CoreFuncType):
            raise ValidationError(f"core type index {item.type_index} is not a function type",
                                  offset)
        func = ts.core_func_type(*owners[item.type_index],
                                 lambda: _canonical(owners, item.type_index))
        return func if isinstance(item, FuncImportType) else ts.CoreTag(func)
    if isinstance(item, MemoryType):
        check_memory_type(Context(TypeSpace((), ()), Features()), item, offset)
    elif isinstance(item, TableType):
        check_table_limits(Features(), item.limits, offset)
    return item


def module_type(env: Env, declared: ast.ModuleType, offset: int) -> ts.ModuleT:
    """The module type a ``(core type (module ...))`` declares."""
    types: List[CoreTypeEntry] = []
    groups: List[RecType] = []
    owners: Owners = []
    imports: List[Tuple[str, str, ts.CoreItem]] = []
    exports: List[Tuple[str, ts.CoreItem]] = []
    for decl in declared.decls:
        if isinstance(decl, ast.CoreRecTypeDecl):
            check_rec_group(groups, types, decl.type, offset)
            groups.append(decl.type)
            types.extend(decl.type.subtypes)
            owners.extend(_owned([decl.type]))
        elif isinstance(decl, ast.CoreAliasDecl):
            types.append(env.outer(decl.count - 1).core_types[decl.index])
            groups.append(group_of(types[-1]))
            owners.append((groups[-1], 0))
        elif isinstance(decl, ast.CoreImportDecl):
            if any(decl.module == mod and decl.name == name for mod, name, _ in imports):
                raise ValidationError(f"module has a duplicate import name "
                                      f"`{decl.module}:{decl.name}` that is not allowed "
                                      "in components", offset)
            imports.append((decl.module, decl.name,
                            _core_item(types, owners, decl.kind, decl.type, offset)))
        else:
            exports.append((decl.name, _core_item(types, owners, decl.kind, decl.type, offset)))
    return ts.ModuleT(tuple(imports), tuple(exports))


#: What stands, when a recursion group is checked, for a core type index that
#: names a module type (which no group may refer to).
_MODULE_PLACEHOLDER = RecType((SubType(CoreFuncType()),), explicit=False)


def _needs_type_checks(group: RecType) -> bool:
    """Whether a group uses anything beyond plain function types of numeric
    and abstract reference types (what can be invalid in a core type)."""
    if group.explicit or len(group.subtypes) != 1:
        return True
    composite = group.subtypes[0].composite
    return (not ts.is_plain(group, 0) or not isinstance(composite, CoreFuncType)
            or ts.has_type_references(composite))


def group_of(entry: CoreTypeEntry) -> RecType:
    """A recursion group standing for a core type entry that was not defined
    in the scope's own groups (an outer alias, or a module type)."""
    if isinstance(entry, SubType):
        return RecType((entry,), explicit=False)
    return _MODULE_PLACEHOLDER


def check_rec_group(groups: List[RecType], types: List[CoreTypeEntry], group: RecType,
                    offset: int) -> None:
    """Check a recursion group defined after ``groups`` (whose types are
    ``types``) as the core validator checks a type section."""
    for index in rec_type_indices(group):
        if index < len(types) and isinstance(types[index], ts.ModuleT):
            raise ValidationError(f"type index {index} is a module type, not a sub type",
                                  offset)
    if not _needs_type_checks(group):
        return
    every = groups + [group]
    space = build_type_space(every, Features(), offset)
    check_types(Context(space, Features()), every, offset)


def core_type(env: Env, definition: ast.CoreType, offset: int) -> None:
    if isinstance(definition, RecType):
        check_rec_group(env.core_groups, env.core_types, definition, offset)
        env.core_groups.append(definition)
        env.core_types.extend(definition.subtypes)
    else:
        env.core_types.append(module_type(env, definition, offset))
        env.core_groups.append(_MODULE_PLACEHOLDER)


class ModuleSpaces:
    """The core index spaces of a core module, as its exports see them."""

    def __init__(self, module: Module) -> None:
        self.module = module
        self.owners = _owned(module.types)
        self._space: Optional[TypeSpace] = None
        imported: Dict[ExternKind, List[ImportType]] = {kind: [] for kind in ExternKind}
        for imp in module.imports:
            imported[imp.kind].append(imp.type)
        self.tables: List[TableType] = [t for t in imported[ExternKind.TABLE]
                                        if isinstance(t, TableType)]
        self.tables += [table.type for table in module.tables]
        self.memories: List[MemoryType] = [t for t in imported[ExternKind.MEMORY]
                                           if isinstance(t, MemoryType)]
        self.memories += [memory.type for memory in module.memories]
        self.globals: List[GlobalType] = [t for t in imported[ExternKind.GLOBAL]
                                          if isinstance(t, GlobalType)]
        self.globals += [g.type for g in module.globals]
        self.tags: List[TagType] = [t for t in imported[ExternKind.TAG] if isinstance(t, TagType)]
        self.tags += [tag.type for tag in module.tags]

    def item(self, kind: ExternKind, index: int) -> ts.CoreItem:
        module = self.module
        if kind is ExternKind.FUNC:
            return self.func_type(module.func_type_indices[index])
        if kind is ExternKind.TABLE:
            return self.tables[index]
        if kind is ExternKind.MEMORY:
            return self.memories[index]
        if kind is ExternKind.GLOBAL:
            return self.globals[index]
        return ts.CoreTag(self.func_type(self.tags[index].type_index))

    def func_type(self, type_index: int) -> CoreFuncType:
        return ts.core_func_type(*self.owners[type_index],
                                 lambda: self._canonical(type_index))

    def _canonical(self, type_index: int) -> Tuple[int, FrozenSet[int]]:
        if self._space is None:
            self._space = TypeSpace(self.module.defined_types, canonicalize(self.module.types))
        return self._space.canon[type_index], self._space.supers[type_index]


def module_of(module: Module, offset: int) -> ts.ModuleT:
    """The type of a (valid) core module; a module in a component may not
    import one name twice."""
    spaces = ModuleSpaces(module)
    imports = []
    seen: Set[Tuple[str, str]] = set()
    for imp in module.imports:
        if (imp.module, imp.name) in seen:
            raise ValidationError(f"module has a duplicate import name `{imp.module}:{imp.name}` "
                                  "that is not allowed in components", offset)
        seen.add((imp.module, imp.name))
        item: ts.CoreItem
        if isinstance(imp.type, FuncImportType):
            item = spaces.func_type(imp.type.type_index)
        elif isinstance(imp.type, TagType):
            item = ts.CoreTag(spaces.func_type(imp.type.type_index))
        else:
            item = imp.type
        imports.append((imp.module, imp.name, item))
    exports = tuple((exp.name, spaces.item(exp.kind, exp.index)) for exp in module.exports)
    return ts.ModuleT(tuple(imports), exports)


# -- component types -----------------------------------------------------------------------


def def_type(env: Env, deftype: ast.DefType, offset: int) -> None:
    """Resolve a type definition and add it to ``env``'s types."""
    _resolve_type(env, deftype, offset)
    env.check_size(env.types[-1], offset)


def _resolve_type(env: Env, deftype: ast.DefType, offset: int) -> None:
    if isinstance(deftype, ast.ResourceType):
        env.push_type(resource_type(env, deftype, offset), object())
    elif isinstance(deftype, ast.FuncType):
        env.push_type(func_type(env, deftype, offset))
    elif isinstance(deftype, ast.ComponentType):
        env.push_type(component_type(env, deftype, offset))
    elif isinstance(deftype, ast.InstanceType):
        env.push_type(instance_type(env, deftype, offset))
    else:
        env.push_type(defined_type(env, deftype, offset))


def _declare(inner: Env, decls: Tuple[object, ...], offset: int) -> None:
    for decl in decls:
        if isinstance(decl, ast.CoreTypeDecl):
            core_type(inner, decl.type, offset)
        elif isinstance(decl, ast.TypeDecl):
            def_type(inner, decl.type, offset)
        elif isinstance(decl, ast.AliasDecl):
            _check_type_alias(decl.alias, offset)
            alias(inner, decl.alias, offset)
        elif isinstance(decl, (ast.ImportDecl, ast.ExportDecl)):
            kind = IMPORT if isinstance(decl, ast.ImportDecl) else EXPORT
            import_or_export(inner, decl.name, extern_type(inner, decl.desc, offset), kind,
                             offset)


def _check_type_alias(definition: ast.Alias, offset: int) -> None:
    allowed = ((ast.ComponentSort.TYPE, ast.ComponentSort.INSTANCE)
               if isinstance(definition.target, ast.AliasExport)
               else (ast.ComponentSort.TYPE, ast.CoreSort.TYPE)
               if isinstance(definition.target, ast.AliasOuter) else ())
    if definition.sort not in allowed:
        raise ValidationError("aliases in a component or instance type may only refer to "
                              "types or instances", offset)


def component_type(env: Env, declared: ast.ComponentType, offset: int) -> ts.ComponentT:
    inner = Env(ScopeKind.COMPONENT_TYPE, env)
    _declare(inner, declared.decls, offset)
    return ts.ComponentT(tuple(inner.imports), tuple(inner.exports),
                         tuple(inner.imported_resources), tuple(inner.defined_resources))


def instance_type(env: Env, declared: ast.InstanceType, offset: int) -> ts.Instance:
    inner = Env(ScopeKind.INSTANCE_TYPE, env)
    _declare(inner, declared.decls, offset)
    return ts.Instance(tuple(inner.exports), tuple(inner.defined_resources))


# -- aliases -------------------------------------------------------------------------------

#: The extern type each sort of ``alias export`` must find.
EXPORT_SORTS = {
    ast.ComponentSort.FUNC: ts.Func, ast.ComponentSort.VALUE: ts.ValueExtern,
    ast.ComponentSort.TYPE: ts.TypeExtern, ast.ComponentSort.COMPONENT: ts.ComponentT,
    ast.ComponentSort.INSTANCE: ts.Instance, ast.CoreSort.MODULE: ts.ModuleT,
}

#: The core item type each sort of ``alias core export`` must find.
CORE_EXPORT_SORTS = {
    ast.CoreSort.FUNC: CoreFuncType, ast.CoreSort.TABLE: TableType,
    ast.CoreSort.MEMORY: MemoryType, ast.CoreSort.GLOBAL: GlobalType,
    ast.CoreSort.TAG: ts.CoreTag,
}


def free_resources(item: object) -> Set[ts.Resource]:
    """The resources ``item`` refers to that it does not quantify over."""
    if isinstance(item, ts.Resource):
        return {item}
    found: Set[ts.Resource] = set()
    for child in ts.children(item):
        found |= free_resources(child)
    if isinstance(item, ts.ComponentT):
        found -= set(item.imported) | set(item.defined)
    elif isinstance(item, ts.Instance):
        found -= set(item.defined)
    return found


def alias(env: Env, definition: ast.Alias, offset: int) -> None:
    """Resolve an alias and add what it names to ``env``."""
    target = definition.target
    sort = definition.sort
    if isinstance(target, ast.AliasExport):
        found = env.instances[target.instance].export(target.name)
        if found is None:
            raise ValidationError(f"instance {target.instance} has no export named "
                                  f"`{target.name}`", offset)
        if not isinstance(found, EXPORT_SORTS[sort]):  # type: ignore[index]
            raise ValidationError(f"export `{target.name}` for instance {target.instance} "
                                  f"is not a {sort_name(sort)}", offset)
        add_entity(env, found, None)
    elif isinstance(target, ast.AliasCoreExport):
        _alias_core_export(env, sort, target, offset)
    else:
        _alias_outer(env, sort, target, offset)


def _alias_core_export(env: Env, sort: ast.Sort, target: ast.AliasCoreExport,
                       offset: int) -> None:
    assert isinstance(sort, ast.CoreSort), "the decoder reads only core sorts here"
    item = env.core_instances[target.instance].export(target.name)
    if item is None:
        raise ValidationError(f"core instance {target.instance} has no export named "
                              f"`{target.name}`", offset)
    if not isinstance(item, CORE_EXPORT_SORTS[sort]):
        raise ValidationError(f"export `{target.name}` for core instance {target.instance} "
                              f"is not a {sort.name.lower()}", offset)
    env.core_space(sort).append(item)


def _alias_outer(env: Env, sort: ast.Sort, target: ast.AliasOuter, offset: int) -> None:
    source = env.outer(target.count)
    if sort is ast.CoreSort.TYPE:
        env.core_types.append(source.core_types[target.index])
        env.core_groups.append(group_of(env.core_types[-1]))
    elif sort is ast.CoreSort.MODULE:
        env.modules.append(source.modules[target.index])
    elif sort is ast.ComponentSort.COMPONENT:
        env.components.append(source.components[target.index])
    elif sort is ast.ComponentSort.TYPE:
        found = source.types[target.index]
        if target.count > 0 and env.outer(target.count - 1).kind is ScopeKind.COMPONENT \
                and free_resources(found):
            raise ValidationError("cannot alias outer type which transitively refers to "
                                  "resources not defined in the current component", offset)
        env.push_type(found, source.handles[target.index])
    else:
        raise ValidationError(f"an outer alias cannot name a {sort_name(sort)}", offset)
