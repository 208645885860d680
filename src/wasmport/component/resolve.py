"""Typed index spaces of a component, component type or instance type, and
the resolution of the AST's types into :mod:`wasmport.component.typesys`.

An :class:`Env` holds, for one scope, the type of every definition of every
sort in index order, what the scope imports and exports so far, the
resources it introduces, and which types are *named* (imported or exported),
the rule that an exported function or type may refer only to named records,
variants, enums, flags and resources.

The decoder has already checked that indices are in range
(:mod:`wasmport.component.check`); what is checked here needs the types.
"""

from __future__ import annotations

import copy
from typing import AbstractSet, Any, Dict, List, Optional, Set, Tuple, Union

from ..errors import ValidationError
from ..syntax.types import FuncType as CoreFuncType
from ..syntax.types import GlobalType, MemoryType, NumType, RecType, SubType, TableType
from . import ast
from . import typesys as ts
from .abi import MemoryLayout
from .gates import ComponentFeature
from .names import check_name_type, parse_extern_name, unique_key
from .scope import ScopeKind

#: A core type index space entry: a defined (GC) type, or a module type.
CoreTypeEntry = Union[SubType, ts.ModuleT]

#: The deepest value type wasm-tools accepts (a primitive type is 1 deep).
MAX_TYPE_DEPTH = 100
#: The most elements a fixed-length list may have, and the bytes a value may
#: take in linear memory (wasm-tools 1.262's limits).
MAX_LIST_LENGTH = 1 << 30
MAX_VALUE_BYTES = 1 << 28
#: The largest type, counting each use of a type by another once more
#: (wasm-tools' "effective type size"): bounds every walk over a type.
MAX_TYPE_SIZE = 1_000_000

IMPORT = "import"
EXPORT = "export"


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


class Env:
    """The typed index spaces of one scope, built in definition order."""

    def __init__(self, kind: ScopeKind, parent: Optional[Env] = None,
                 features: AbstractSet[ComponentFeature] = frozenset()) -> None:
        self.kind = kind
        self.parent = parent
        #: The optional features enabled (those of the outermost scope).
        self.features: AbstractSet[ComponentFeature] = (
            features if parent is None else parent.features)
        self.types: List[ts.AnyType] = []
        #: The identity of each type index (for named-type checks): the type
        #: object itself, or for a resource an object standing for that index.
        self.handles: List[object] = []
        self.core_types: List[CoreTypeEntry] = []
        #: The recursion groups of the core types (one per module type or alias).
        self.core_groups: List[RecType] = []
        self.core_funcs: List[CoreFuncType] = []
        self.core_tables: List[TableType] = []
        self.core_memories: List[MemoryType] = []
        self.core_globals: List[GlobalType] = []
        self.core_tags: List[ts.CoreTag] = []
        self.modules: List[ts.ModuleT] = []
        self.core_instances: List[ts.CoreInstanceT] = []
        self.funcs: List[ts.Func] = []
        self.values: List[ts.ValType] = []
        #: Whether each value has been used (each must be, exactly once).
        self.values_used: List[bool] = []
        self.components: List[ts.ComponentT] = []
        self.instances: List[ts.Instance] = []
        self.imports: List[Tuple[str, ts.Extern]] = []
        self.exports: List[Tuple[str, ts.Extern]] = []
        #: Resources introduced by imports, and those this scope defines
        #: (locally, by instantiation, or declared by export in a type).
        self.imported_resources: List[ts.Resource] = []
        self.defined_resources: List[ts.Resource] = []
        #: ``id`` of the named types and resource handles, by import/export.
        self.named: Dict[str, Set[int]] = {IMPORT: set(), EXPORT: set()}
        #: The keys (names.unique_key) of the import and export names so far.
        self.name_keys: Dict[str, Set[Tuple[str, ...]]] = {IMPORT: set(), EXPORT: set()}
        #: Resources by the import or export name that introduced them.
        self.resource_names: Dict[str, Dict[str, object]] = {IMPORT: {}, EXPORT: {}}
        # Memos of depth and size by id(), keeping each type alive (so no id is reused).
        self._depths: ts.IdentityMemo[int] = (ts.IdentityMemo() if parent is None
                                              else parent._depths)
        self._sizes: ts.IdentityMemo[int] = ts.IdentityMemo() if parent is None else parent._sizes
        self.memory_layout: MemoryLayout = (MemoryLayout() if parent is None
                                            else parent.memory_layout)

    def outer(self, count: int) -> Env:
        env: Env = self
        for _ in range(count):
            assert env.parent is not None, "outer counts are checked while decoding"
            env = env.parent
        return env

    # -- type lookups ---------------------------------------------------------------------

    def val_type(self, valtype: ast.ValType, offset: int) -> ts.ValType:
        if isinstance(valtype, ast.PrimValType):
            return valtype
        found = self.types[valtype]
        if isinstance(found, (ts.Func, ts.Instance, ts.ComponentT, ts.Resource)):
            raise ValidationError(f"type index {valtype} is not a defined type", offset)
        return found

    def resource(self, index: int, offset: int) -> Tuple[ts.Resource, object]:
        found = self.types[index]
        if not isinstance(found, ts.Resource):
            raise ValidationError(f"type index {index} is not a resource type", offset)
        return found, self.handles[index]

    def type_of_kind(self, index: int, kind: type, offset: int) -> ts.AnyType:
        found = self.types[index]
        if not isinstance(found, kind):
            word = {ts.Func: "function", ts.Instance: "instance",
                    ts.ComponentT: "component"}.get(kind, "defined")
            raise ValidationError(f"type index {index} is not {_article(word)} {word} type",
                                  offset)
        return found

    def core_func_type(self, index: int, offset: int) -> CoreFuncType:
        found = self.core_types[index]
        if not isinstance(found, SubType) or not isinstance(found.composite, CoreFuncType):
            raise ValidationError(f"core type index {index} is not a function type", offset)
        return found.composite

    def module_type(self, index: int, offset: int) -> ts.ModuleT:
        found = self.core_types[index]
        if not isinstance(found, ts.ModuleT):
            raise ValidationError(f"core type index {index} is not a module type", offset)
        return found

    def add_value(self, valtype: ts.ValType, used: bool = False) -> None:
        self.values.append(valtype)
        self.values_used.append(used)

    def use_value(self, index: int, offset: int) -> ts.ValType:
        """Value ``index``, which may be used once only."""
        if self.values_used[index]:
            raise ValidationError(f"value {index} cannot be used more than once", offset)
        self.values_used[index] = True
        return self.values[index]

    def core_space(self, sort: ast.CoreSort) -> List[Any]:
        """The index space of a core func, table, memory, global or tag."""
        spaces: Dict[ast.CoreSort, List[Any]] = {
            ast.CoreSort.FUNC: self.core_funcs, ast.CoreSort.TABLE: self.core_tables,
            ast.CoreSort.MEMORY: self.core_memories, ast.CoreSort.GLOBAL: self.core_globals,
            ast.CoreSort.TAG: self.core_tags,
        }
        return spaces[sort]

    def push_type(self, item: ts.AnyType, handle: Optional[object] = None) -> None:
        self.types.append(item)
        self.handles.append(item if handle is None else handle)

    # -- type size and depth ---------------------------------------------------------------

    def size(self, item: object) -> int:
        """The effective size of a type: 1 plus the sizes of the types it uses."""
        if isinstance(item, (ast.PrimValType, ts.Resource)) or item is None:
            return 1
        return self._sizes.get(item, self._size)

    def _size(self, item: object) -> int:
        if isinstance(item, ts.ModuleT):
            return 1 + len(item.imports) + len(item.exports)
        return 1 + sum(self.size(child) for child in ts.children(item))

    def check_size(self, item: object, offset: int) -> None:
        if self.size(item) > MAX_TYPE_SIZE:
            raise ValidationError("effective type size exceeds the limit of "
                                  f"{MAX_TYPE_SIZE}", offset)

    def depth(self, item: object) -> int:
        """How deep a value type nests (a primitive is 1), as wasm-tools counts."""
        if isinstance(item, (ast.PrimValType, ts.Resource)):
            return 1
        return self._depths.get(item, self._depth)

    def _depth(self, item: object) -> int:
        return 1 + max((self.depth(child) for child in ts.children(item)
                        if not isinstance(child, ts.Resource)), default=0)


# -- defined types ------------------------------------------------------------------------


def _nonempty(items: Tuple[object, ...], message: str, offset: int) -> None:
    if not items:
        raise ValidationError(message, offset)


def defined_type(env: Env, deftype: ast.DefValType, offset: int) -> ts.ValType:
    """Resolve a defined value type."""
    vt = env.val_type
    result: ts.ValType
    if isinstance(deftype, ast.PrimValType):
        return deftype
    if isinstance(deftype, ast.RecordType):
        _nonempty(deftype.fields, "record type must have at least one field", offset)
        result = ts.Record(tuple((name, vt(t, offset)) for name, t in deftype.fields))
    elif isinstance(deftype, ast.VariantType):
        _nonempty(deftype.cases, "variant type must have at least one case", offset)
        result = ts.Variant(tuple((case.label, None if case.type is None else vt(case.type, offset))
                                  for case in deftype.cases))
    elif isinstance(deftype, ast.ListType):
        _check_length(deftype.length, offset)
        result = ts.List(vt(deftype.element, offset), deftype.length)
    elif isinstance(deftype, ast.TupleType):
        _nonempty(deftype.types, "tuple type must have at least one type", offset)
        result = ts.Tuple_(tuple(vt(t, offset) for t in deftype.types))
    elif isinstance(deftype, ast.FlagsType):
        _nonempty(deftype.labels, "flags must have at least one entry", offset)
        if len(deftype.labels) > 32:
            raise ValidationError("cannot have more than 32 flags", offset)
        result = ts.Flags(deftype.labels)
    elif isinstance(deftype, ast.EnumType):
        _nonempty(deftype.labels, "enum type must have at least one variant", offset)
        result = ts.Enum(deftype.labels)
    else:
        result = _other_defined(env, deftype, offset)
    if env.depth(result) > MAX_TYPE_DEPTH:
        raise ValidationError("type nesting is too deep", offset)
    if ComponentFeature.FIXED_LENGTH_LISTS in env.features:
        # Only fixed-length lists make a value this large.
        if env.memory_layout.layout(result)[0] >= MAX_VALUE_BYTES:
            raise ValidationError("value type's maximum in-memory size exceeds maximum byte "
                                  "size", offset)
    return result


def _check_length(length: Optional[int], offset: int) -> None:
    if length is None:
        return
    if length < 1:
        raise ValidationError("fixed-length lists must have more than zero elements", offset)
    if length > MAX_LIST_LENGTH:
        raise ValidationError("fixed-length list element count exceeds limit of "
                              f"{MAX_LIST_LENGTH}", offset)


def _optional(env: Env, valtype: Optional[ast.ValType], offset: int) -> Optional[ts.ValType]:
    return None if valtype is None else env.val_type(valtype, offset)


def _other_defined(env: Env, deftype: ast.DefValType, offset: int) -> ts.ValType:
    if isinstance(deftype, ast.OptionType):
        return ts.Option(env.val_type(deftype.type, offset))
    if isinstance(deftype, ast.ResultType):
        return ts.Result(_optional(env, deftype.ok, offset), _optional(env, deftype.error, offset))
    if isinstance(deftype, (ast.OwnType, ast.BorrowType)):
        resource, handle = env.resource(deftype.type_index, offset)
        kind = ts.Own if isinstance(deftype, ast.OwnType) else ts.Borrow
        return kind(resource, handle)
    if isinstance(deftype, ast.StreamType):
        element = _optional(env, deftype.element, offset)
        if element is ast.PrimValType.CHAR:
            raise ValidationError("`stream<char>` is not valid at this time, use `stream<u8>` "
                                  "with a defined encoding instead", offset)
        return ts.Stream(element)
    if isinstance(deftype, ast.FutureType):
        return ts.Future(_optional(env, deftype.element, offset))
    assert isinstance(deftype, ast.MapType)
    key = env.val_type(deftype.key, offset)
    if key not in MAP_KEYS:
        raise ValidationError("invalid map key type", offset)
    return ts.Map(key, env.val_type(deftype.value, offset))


#: The types a map's keys may have: the primitive types but the floats.
MAP_KEYS = frozenset(set(ast.PrimValType) - {ast.PrimValType.F32, ast.PrimValType.F64,
                                             ast.PrimValType.ERROR_CONTEXT})


def contains_borrow(item: object) -> bool:
    if isinstance(item, ts.Borrow):
        return True
    if isinstance(item, (ts.Own, ts.Resource)):
        return False
    return any(contains_borrow(child) for child in ts.children(item))


def func_type(env: Env, func: ast.FuncType, offset: int) -> ts.Func:
    params = tuple((name, env.val_type(t, offset)) for name, t in func.params)
    result = None if func.result is None else env.val_type(func.result, offset)
    if result is not None and contains_borrow(result):
        raise ValidationError("function result cannot contain a `borrow` type", offset)
    return ts.Func(params, result, func.is_async)


def resource_type(env: Env, resource: ast.ResourceType, offset: int) -> ts.Resource:
    if resource.rep != NumType.I32:
        raise ValidationError("resources can only be represented by `i32`", offset)
    if resource.destructor is not None:
        dtor = env.core_funcs[resource.destructor]
        if dtor.params != (resource.rep,) or dtor.results:
            raise ValidationError(f"core function {resource.destructor} has wrong signature "
                                  "for a destructor", offset)
    made = ts.Resource(rep=resource.rep, local=True)
    env.defined_resources.append(made)
    return made


# -- imports, exports and the entities they define -----------------------------------------


def extern_type(env: Env, desc: ast.ExternDesc, offset: int) -> ts.Extern:
    """The extern type an import, export ascription or declarator gives."""
    if isinstance(desc, ast.TypeBound):
        if desc.eq is None:
            return ts.TypeExtern(ts.Resource())
        return ts.TypeExtern(env.types[desc.eq], env.handles[desc.eq])
    if isinstance(desc, ast.ValueBound):
        return ts.ValueExtern(env.val_type(desc.type, offset))
    kind = desc.kind
    if kind is ast.ExternTypeKind.MODULE:
        return env.module_type(desc.type_index, offset)
    wanted = {ast.ExternTypeKind.FUNC: ts.Func, ast.ExternTypeKind.INSTANCE: ts.Instance,
              ast.ExternTypeKind.COMPONENT: ts.ComponentT}[kind]
    found = env.type_of_kind(desc.type_index, wanted, offset)
    assert isinstance(found, (ts.Func, ts.Instance, ts.ComponentT))
    return found


def add_entity(env: Env, item: ts.Extern, kind: Optional[str], fresh: bool = False) -> ts.Extern:
    """Add ``item`` to its index space. ``kind`` is IMPORT or EXPORT for an
    import or export (None for an alias or instantiation); ``fresh`` is set
    where a ``(sub resource)`` type introduces a new resource. Returns the
    entity as added (instances get fresh resources, types a new identity)."""
    if isinstance(item, ts.Instance):
        if kind is not None and item.defined:
            freshened, mapping = ts.freshen(item, item.defined)
            target = env.imported_resources if kind == IMPORT else env.defined_resources
            target.extend(mapping.values())
            item = ts.Instance(freshened.exports)
        env.instances.append(item)
    elif isinstance(item, ts.TypeExtern):
        item = _add_type(env, item, kind, fresh)
    elif isinstance(item, ts.Func):
        env.funcs.append(item)
    elif isinstance(item, ts.ComponentT):
        env.components.append(item)
    elif isinstance(item, ts.ModuleT):
        env.modules.append(item)
    else:
        env.add_value(item.type, used=kind == EXPORT)
    return item


def _add_type(env: Env, item: ts.TypeExtern, kind: Optional[str], fresh: bool) -> ts.TypeExtern:
    target = item.type
    if isinstance(target, ts.Resource):
        if fresh:
            (env.imported_resources if kind == IMPORT else env.defined_resources).append(target)
        handle = item.handle if kind is None and item.handle is not None else object()
        env.push_type(target, handle)
        return ts.TypeExtern(target, handle)
    if kind is not None and not isinstance(target, ast.PrimValType):
        target = copy.copy(target)  # a new type of its own, equal to the old
    env.push_type(target)
    return ts.TypeExtern(target)


# -- named types ---------------------------------------------------------------------------


def _named_val(item: ts.ValType, named: Set[int]) -> bool:
    if isinstance(item, ast.PrimValType):
        return True
    if isinstance(item, (ts.Record, ts.Variant, ts.Flags, ts.Enum)):
        return id(item) in named
    return _parts_named(item, named)


def _parts_named(item: ts.ValType, named: Set[int]) -> bool:
    """Whether what ``item`` refers to one layer down is named."""
    if isinstance(item, (ts.Own, ts.Borrow)):
        return id(item.handle) in named
    return all(_named_val(child, named) for child in ts.children(item)  # type: ignore[arg-type]
               if not isinstance(child, ts.Resource))


def _all_named(item: ts.AnyType, named: Set[int]) -> bool:
    if isinstance(item, (ts.Resource, ts.ComponentT)):
        return True
    if isinstance(item, ts.Func):
        return all(_named_val(t, named) for t in ts.children(item))  # type: ignore[arg-type]
    if isinstance(item, ts.Instance):
        return all(_extern_named(t, named) for _, t in item.exports)
    if isinstance(item, ast.PrimValType):
        return True
    return _parts_named(item, named)


def _extern_named(item: ts.Extern, named: Set[int]) -> bool:
    if isinstance(item, ts.TypeExtern):
        return _all_named(item.type, named)
    if isinstance(item, ts.ValueExtern):
        return isinstance(item.type, ast.PrimValType) or _parts_named(item.type, named)
    if isinstance(item, (ts.Func, ts.Instance)):
        return _all_named(item, named)
    return True


def register_named(env: Env, name: Optional[str], kind: str, item: ts.Extern) -> bool:
    """Check that ``item``, imported or exported (``kind``), refers only to
    named types, and name what it introduces; False if it may not be."""
    if isinstance(item, ts.TypeExtern) and name is not None and isinstance(item.type, ts.Resource):
        # By the identity of the new type index, as handle types refer to it.
        env.resource_names[kind][name] = item.handle
    if env.kind is ScopeKind.INSTANCE_TYPE:
        return True
    named = env.named[kind]
    if isinstance(item, ts.TypeExtern):
        if not _all_named(item.type, named):
            return False
        key = id(item.handle if isinstance(item.type, ts.Resource) else item.type)
        env.named[EXPORT].add(key)
        if kind == IMPORT:
            env.named[IMPORT].add(key)
        return True
    if isinstance(item, ts.Instance):
        return all(register_named(env, None, kind, export) for _, export in item.exports)
    if isinstance(item, ts.Func):
        return _all_named(item, named)
    if isinstance(item, ts.ValueExtern):
        return _named_val(item.type, named)
    return True


def import_or_export(env: Env, name: ast.ExternName, item: ts.Extern, kind: str,
                     offset: int) -> ts.Extern:
    """Add an import or export of ``item`` under ``name`` to ``env``."""
    fresh = (isinstance(item, ts.TypeExtern) and isinstance(item.type, ts.Resource)
             and item.handle is None)
    parsed = parse_extern_name(name, offset, is_import=kind == IMPORT)
    key = unique_key(parsed)
    if key in env.name_keys[kind]:
        raise ValidationError(f"{kind} name `{name.name}` conflicts with a previous {kind} "
                              "name", offset)
    env.name_keys[kind].add(key)
    added = add_entity(env, item, kind, fresh)
    if not register_named(env, name.name, kind, added):
        raise ValidationError(f"{ts.describe(added)} not valid to be used as {kind}", offset)
    check_name_type(parsed, added, env.resource_names[kind], offset)
    (env.imports if kind == IMPORT else env.exports).append((name.name, added))
    return added
