"""Validation of a component: the types of its definitions.

:func:`validate_component` decodes a component (which makes the structural
checks of :mod:`wasmport.component.check`) and then type-checks it,
definition by definition, in an :class:`~wasmport.component.resolve.Env`:

* core instantiation: each import of the module is found, by module and
  name, in the instance given for it, with a matching type;
* component instantiation: each import is given, by an argument whose type
  is a subtype of the import's once the resources the component imports are
  bound to those of the arguments; the instance then has the component's
  exports, with fresh resources for those the component defines;
* aliases name an export of the right sort; outer aliases of types do not
  carry resources into a component;
* type definitions resolve (records, variants, flags... with their limits;
  ``own``/``borrow`` of resources; no ``borrow`` in function results;
  resource representations and destructors);
* ``canon lift``/``lower`` and the other built-ins have the core types the
  Canonical ABI gives them (:mod:`wasmport.component.abi`,
  :mod:`wasmport.component.builtins`);
* imports and exports: names (:mod:`wasmport.component.names`), ascribed
  types, exported functions and types that refer only to exported or
  imported types, and local resources that are exported by name and do not
  appear in imports.
"""

from __future__ import annotations

from typing import AbstractSet, Any, Callable, Dict, FrozenSet, Optional, Set, Tuple

from ..binary.reader import Buffer
from ..errors import ValidationError
from ..syntax.types import FuncType as CoreFuncType
from ..syntax.types import MemoryType, TableType
from . import ast
from . import typesys as ts
from .abi import CanonOpts, check_lift, lower_type
from .builtins import builtin_type
from .declare import alias, core_type, def_type, module_of
from .decoder import decode_component
from .gates import ComponentFeature
from .names import check_name_type, parse_extern_name, unique_key
from .resolve import EXPORT, IMPORT, Env, extern_type, import_or_export
from .scope import ScopeKind
from .subtype import Mismatch, check, core_item, open_type


def validate_component(data: Buffer,
                       features: FrozenSet[ComponentFeature] = frozenset()) -> ast.Component:
    """Decode and validate a component binary; the decoded component.

    Raises :class:`~wasmport.errors.DecodeError` for a malformed binary and
    :class:`~wasmport.errors.ValidationError` for an invalid one."""
    component = decode_component(data, features)
    component_type(component, None, features)
    return component


def component_type(component: ast.Component, parent: Optional[Env],
                   features: AbstractSet[ComponentFeature] = frozenset()) -> ts.ComponentT:
    """Type-check a component's definitions; the component's type."""
    env = Env(ScopeKind.COMPONENT, parent, features)
    for item in component.fields:
        DEFINE[type(item)](env, item)
    if not all(env.values_used):
        index = env.values_used.index(False)
        raise ValidationError(f"value index {index} was not used as part of an instantiation, "
                              "start function, or export", component.offset)
    return finish(env, component.offset)


def finish(env: Env, offset: int) -> ts.ComponentT:
    """The type of a component whose definitions are all checked."""
    defined = set(env.defined_resources)
    in_imports: Set[ts.Resource] = set()
    for _, item in env.imports:
        in_imports |= set(ts.resources(item))
    if defined & in_imports:
        raise ValidationError("local resource type found in imports", offset)
    in_exports: Set[ts.Resource] = set()
    explicit: Set[ts.Resource] = set()
    for _, item in env.exports:
        in_exports |= set(ts.resources(item))
        _explicit_resources(item, explicit)
    exported = [r for r in env.defined_resources if r in in_exports]
    if any(r not in explicit for r in exported):
        raise ValidationError("local resource type found in export but not exported itself",
                              offset)
    made = ts.ComponentT(tuple(env.imports), tuple(env.exports),
                         tuple(env.imported_resources), tuple(exported))
    env.check_size(made, offset)
    return made


def _explicit_resources(item: ts.Extern, found: Set[ts.Resource]) -> None:
    """The resources ``item`` exports as types (in nested instances too)."""
    if isinstance(item, ts.TypeExtern) and isinstance(item.type, ts.Resource):
        found.add(item.type)
    elif isinstance(item, ts.Instance):
        for _, export in item.exports:
            _explicit_resources(export, found)


# -- instances ---------------------------------------------------------------------------------


def _core_instantiate(env: Env, item: ast.CoreInstantiate) -> None:
    module = env.modules[item.module]
    args = {arg.name: env.core_instances[arg.instance] for arg in item.args}
    for mod, name, expected in module.imports:
        given = args.get(mod)
        if given is None:
            raise ValidationError(f"missing module instantiation argument named `{mod}`",
                                  item.offset)
        found = given.export(name)
        if found is None:
            raise ValidationError(f"module instantiation argument `{mod}` does not export an "
                                  f"item named `{name}`", item.offset)
        try:
            core_item(found, expected)
        except Mismatch as error:
            raise ValidationError(f"type mismatch for export `{name}` of module instantiation "
                                  f"argument `{mod}`: {error}", item.offset) from None
    env.core_instances.append(ts.CoreInstanceT(module.exports))


def _core_inline_exports(env: Env, item: ast.CoreInlineExports) -> None:
    env.core_instances.append(ts.CoreInstanceT(tuple(
        (export.name, env.core_space(export.sort)[export.index])
        for export in item.exports)))


def extern_at(env: Env, item: ast.SortIndex, offset: int) -> ts.Extern:
    """The extern type of the definition ``item`` names (a value is used up)."""
    sort, index = item.sort, item.index
    if sort is ast.ComponentSort.FUNC:
        return env.funcs[index]
    if sort is ast.ComponentSort.VALUE:
        return ts.ValueExtern(env.use_value(index, offset))
    if sort is ast.ComponentSort.TYPE:
        return ts.TypeExtern(env.types[index], env.handles[index])
    if sort is ast.ComponentSort.COMPONENT:
        return env.components[index]
    if sort is ast.ComponentSort.INSTANCE:
        return env.instances[index]
    assert sort is ast.CoreSort.MODULE, "other core sorts are rejected while decoding"
    return env.modules[index]


def _instantiate(env: Env, item: ast.Instantiate) -> None:
    component = env.components[item.component]
    args = {arg.name: extern_at(env, arg.item, item.offset) for arg in item.args}
    try:
        mapping, renames = open_type(args, component.imports, component.imported, "import")
    except Mismatch as error:
        raise ValidationError(str(error), item.offset) from None
    for resource in component.defined:
        mapping[resource] = resource.fresh()
        env.defined_resources.append(mapping[resource])
    made = ts.Instance(ts.substitute(component.exports, mapping, renames))
    env.check_size(made, item.offset)
    env.instances.append(made)


def _inline_exports(env: Env, item: ast.InlineExports) -> None:
    exports = []
    keys: Set[Tuple[str, ...]] = set()
    for export in item.exports:
        found = extern_at(env, export.item, item.offset)
        parsed = parse_extern_name(export.name, item.offset, is_import=False)
        key = unique_key(parsed)
        if key in keys:
            raise ValidationError(f"export name `{export.name.name}` conflicts with a previous "
                                  "export name of this instance", item.offset)
        keys.add(key)
        check_name_type(parsed, found, {}, item.offset)
        exports.append((export.name.name, found))
    made = ts.Instance(tuple(exports))
    env.check_size(made, item.offset)
    env.instances.append(made)


def _nested(env: Env, item: ast.Component) -> None:
    env.components.append(component_type(item, env))


# -- canonical definitions ----------------------------------------------------------------------


class BuiltinContext:
    """What the built-ins look up in the component (builtins.BuiltinEnv)."""

    def __init__(self, env: Env) -> None:
        self.env = env

    @property
    def features(self) -> AbstractSet[ComponentFeature]:
        return self.env.features

    def type_at(self, index: int) -> ts.AnyType:
        return self.env.types[index]

    def core_type_at(self, index: int) -> object:
        return self.env.core_types[index]

    def core_func_type_at(self, index: int) -> CoreFuncType:
        return self.env.core_funcs[index]

    def memory_at(self, index: int) -> MemoryType:
        return self.env.core_memories[index]

    def table_at(self, index: int) -> TableType:
        return self.env.core_tables[index]


def canon_opts(env: Env, options: Tuple[ast.CanonOption, ...], offset: int) -> CanonOpts:
    return CanonOpts.from_options(options, BuiltinContext(env), offset)


def _lift(env: Env, item: ast.CanonLift) -> None:
    func = env.type_of_kind(item.type_index, ts.Func, item.offset)
    assert isinstance(func, ts.Func)
    core = env.core_funcs[item.core_func]
    check_lift(func, canon_opts(env, item.options, item.offset), core, item.offset,
               plain=not isinstance(core, ts.GroupedFuncType) or core.plain)
    env.funcs.append(func)


def _lower(env: Env, item: ast.CanonLower) -> None:
    func = env.funcs[item.func]
    env.core_funcs.append(lower_type(func, canon_opts(env, item.options, item.offset), item.offset))


def _builtin(env: Env, item: ast.CanonBuiltin) -> None:
    env.core_funcs.append(builtin_type(item, BuiltinContext(env), item.offset))


# -- start, imports, exports, values ---------------------------------------------------------------


def _start(env: Env, item: ast.Start) -> None:
    func = env.funcs[item.func]
    given = [env.use_value(index, item.offset) for index in item.args]
    if [t for _, t in func.params] != given:
        raise ValidationError("start function arguments do not match its parameters",
                              item.offset)
    if item.results != (0 if func.result is None else 1):
        raise ValidationError("start function results do not match its type", item.offset)
    if func.result is not None:
        env.add_value(func.result)


def _import(env: Env, item: ast.Import) -> None:
    import_or_export(env, item.name, extern_type(env, item.desc, item.offset), IMPORT,
                     item.offset)


def _export(env: Env, item: ast.Export) -> None:
    found = extern_at(env, item.item, item.offset)
    if item.desc is not None:
        ascribed = extern_type(env, item.desc, item.offset)
        try:
            check(found, ascribed)
        except Mismatch as error:
            raise ValidationError("ascribed type of export is not compatible with item's "
                                  f"type: {error}", item.offset) from None
        found = ascribed
    import_or_export(env, item.name, found, EXPORT, item.offset)


def _value(env: Env, item: ast.Value) -> None:
    env.add_value(env.val_type(item.type, item.offset))


DEFINE: Dict[type, Callable[[Env, Any], None]] = {
    ast.CoreModuleDef: lambda env, item: env.modules.append(module_of(item.module, item.offset)),
    ast.CoreInstantiate: _core_instantiate,
    ast.CoreInlineExports: _core_inline_exports,
    ast.CoreTypeDef: lambda env, item: core_type(env, item.type, item.offset),
    ast.Component: _nested,
    ast.Instantiate: _instantiate,
    ast.InlineExports: _inline_exports,
    ast.Alias: lambda env, item: alias(env, item, item.offset),
    ast.TypeDef: lambda env, item: def_type(env, item.type, item.offset),
    ast.CanonLift: _lift,
    ast.CanonLower: _lower,
    ast.CanonBuiltin: _builtin,
    ast.Start: _start,
    ast.Import: _import,
    ast.Export: _export,
    ast.Value: _value,
    ast.Custom: lambda env, item: None,
}
