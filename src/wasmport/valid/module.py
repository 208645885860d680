"""Module validation (spec "Modules"): build the context, then check every
import, definition, segment, export and the start function."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, List, Set

from ..errors import ValidationError
from ..features import Feature, Features, feature_message
from ..syntax.ast import (
    Elem,
    Export,
    ExternKind,
    Func,
    FuncImportType,
    Import,
    Module,
    SegmentMode,
)
from ..syntax.types import (
    FuncType,
    GlobalType,
    MemoryType,
    TableType,
    TagType,
)
from .code import CodeValidator
from .consts import check_const, referenced_functions
from .context import Context, require_feature
from .deftypes import build_type_space, check_types
from .limits import check_global_type, check_memory_type, check_table_type
from .matching import defaultable
from .rules import rules_for
from .rules.helpers import address_of


@contextmanager
def located(context: Context) -> Iterator[None]:
    """Give a :class:`ValidationError` raised inside the field being checked."""
    try:
        yield
    except ValidationError as error:
        if error.field is None:
            error.field = context.where
        raise


def _function_type_index(context: Context, index: int, offset: int) -> int:
    context.func_type(index, offset)
    return index


def _tag_type(context: Context, tt: TagType, offset: int) -> int:
    require_feature(context.features, Feature.EXCEPTIONS, "tag", offset)
    ft = context.func_type(tt.type_index, offset)
    if ft.results:
        raise ValidationError("non-empty tag result type", offset)
    return tt.type_index


def _add_import(context: Context, imp: Import) -> None:
    t = imp.type
    offset = imp.offset
    if isinstance(t, FuncImportType):
        if t.exact:
            require_feature(context.features, Feature.CUSTOM_DESCRIPTORS, "exact import", offset)
        context.funcs.append(_function_type_index(context, t.type_index, offset))
        context.exact_funcs.append(t.exact)
    elif isinstance(t, TableType):
        check_table_type(context, t, offset)
        context.tables.append(t)
    elif isinstance(t, MemoryType):
        check_memory_type(context, t, offset)
        context.memories.append(t)
    elif isinstance(t, GlobalType):
        check_global_type(context, t, offset)
        if t.mutable:
            require_feature(context.features, Feature.MUTABLE_GLOBAL, "mutable global", offset)
        context.globals.append(t)
        context.imported_globals += 1
    else:
        context.tags.append(_tag_type(context, t, offset))


def _check_counts(context: Context, module: Module) -> None:
    features = context.features
    if len(context.memories) > 1 and Feature.MULTI_MEMORY not in features:
        raise ValidationError(
            f"multiple memories: {feature_message(Feature.MULTI_MEMORY)}", -1
        )
    if len(context.tables) > 1 and Feature.REFERENCE_TYPES not in features:
        raise ValidationError(
            f"multiple tables: {feature_message(Feature.REFERENCE_TYPES)}", -1
        )


def _declared_refs(module: Module) -> Set[int]:
    exprs = [g.init for g in module.globals]
    exprs.extend(t.init for t in module.tables if t.init is not None)
    for elem in module.elems:
        exprs.extend(elem.items)
        if elem.offset_expr is not None:
            exprs.append(elem.offset_expr)
    exprs.extend(d.offset_expr for d in module.datas if d.offset_expr is not None)
    refs = referenced_functions(exprs)
    refs.update(e.index for e in module.exports if e.kind is ExternKind.FUNC)
    return refs


def build_context(module: Module, features: Features) -> Context:
    """The context of ``module``: types checked, imports and definitions added."""
    types = build_type_space(module.types, features, -1)
    context = Context(types, features)
    with located(context):
        check_types(context, module.types)
        for n, imp in enumerate(module.imports):
            context.where = ("import", n)
            _add_import(context, imp)
        for n, func in enumerate(module.funcs):
            context.where = ("func", n)
            context.funcs.append(_function_type_index(context, func.type_index, func.offset))
            context.exact_funcs.append(True)
        for n, table in enumerate(module.tables):
            context.where = ("table", n)
            check_table_type(context, table.type, table.offset)
            context.tables.append(table.type)
        for n, memory in enumerate(module.memories):
            context.where = ("memory", n)
            check_memory_type(context, memory.type, memory.offset)
            context.memories.append(memory.type)
        for n, tag in enumerate(module.tags):
            context.where = ("tag", n)
            context.tags.append(_tag_type(context, tag.type, tag.offset))
        context.where = None
        _check_counts(context, module)
    context.refs = frozenset(_declared_refs(module))
    return context


def _visible_globals(context: Context, defined_so_far: int) -> int:
    if Feature.GC in context.features:
        return defined_so_far
    return context.imported_globals


def _check_globals(context: Context, module: Module) -> None:
    for n, glob in enumerate(module.globals):
        context.where = ("global", n)
        check_global_type(context, glob.type, glob.offset)
        visible = _visible_globals(context, len(context.globals))
        check_const(context, glob.init, glob.type.value, visible, glob.offset)
        context.globals.append(glob.type)


def _check_tables(context: Context, module: Module) -> None:
    # The table section precedes the global section: only imports are visible.
    visible = context.imported_globals
    for n, table in enumerate(module.tables):
        context.where = ("table", n)
        element = table.type.element
        if table.init is not None:
            require_feature(
                context.features, Feature.FUNCTION_REFERENCES, "table initializer", table.offset
            )
            check_const(context, table.init, element, visible, table.offset)
        elif not defaultable(element):
            raise ValidationError("type mismatch: non-defaultable table type", table.offset)


def _check_elem(context: Context, elem: Elem, visible: int) -> None:
    offset = elem.offset
    if not elem.func_indices:
        # A plain list of function indices is the MVP form (typed ``(ref func)``).
        context.check_ref_type(elem.type, offset)
    if elem.mode is not SegmentMode.ACTIVE:
        require_feature(context.features, Feature.BULK_MEMORY, "passive segment", offset)
    if elem.func_indices:
        for item in elem.items:
            for instr in item:
                context.func(instr.args[0], offset)
    else:
        for item in elem.items:
            check_const(context, item, elem.type, visible, offset)
    if elem.mode is SegmentMode.ACTIVE:
        table = context.table(0 if elem.table is None else elem.table, offset)
        if not context.types.ref_matches(elem.type, table.element):
            raise ValidationError(
                "type mismatch: element segment's type does not match table's element type",
                offset,
            )
        if elem.offset_expr is None:
            raise ValidationError("active element segment without offset", offset)
        check_const(context, elem.offset_expr, address_of(table.limits), visible, offset)


def _check_segments(context: Context, module: Module) -> None:
    visible = _visible_globals(context, len(context.globals))
    for n, elem in enumerate(module.elems):
        context.where = ("elem", n)
        _check_elem(context, elem, visible)
    for n, data in enumerate(module.datas):
        context.where = ("data", n)
        if data.mode is SegmentMode.ACTIVE:
            memory = context.memory(0 if data.memory is None else data.memory, data.offset)
            if data.offset_expr is None:
                raise ValidationError("active data segment without offset", data.offset)
            check_const(context, data.offset_expr, address_of(memory.limits), visible, data.offset)
        else:
            require_feature(context.features, Feature.BULK_MEMORY, "passive segment", data.offset)


def check_func(context: Context, func: Func) -> None:
    ft: FuncType = context.func_type(func.type_index, func.offset)
    for t in func.locals:
        context.check_val_type(t, func.offset)
    inits: List[bool] = [True] * len(ft.params)
    inits.extend(defaultable(t) for t in func.locals)
    validator = CodeValidator(
        context, rules_for(context.features), ft.params + func.locals, ft.results, inits
    )
    validator.run(func.body, func.offset)


def _check_exports(context: Context, exports: tuple[Export, ...]) -> None:
    names: Set[str] = set()
    lookups = {
        ExternKind.FUNC: context.func,
        ExternKind.TABLE: context.table,
        ExternKind.MEMORY: context.memory,
        ExternKind.GLOBAL: context.global_,
        ExternKind.TAG: context.tag,
    }
    for n, export in enumerate(exports):
        context.where = ("export", n)
        lookups[export.kind](export.index, export.offset)
        if export.kind is ExternKind.GLOBAL and context.globals[export.index].mutable:
            require_feature(
                context.features, Feature.MUTABLE_GLOBAL, "mutable global", export.offset
            )
        if export.name in names:
            raise ValidationError("duplicate export name", export.offset)
        names.add(export.name)


def _check_start(context: Context, start: int) -> None:
    context.where = ("start", 0)
    ft = context.func_type(context.func(start, -1), -1)
    if ft.params or ft.results:
        raise ValidationError("start function must not have parameters or results", -1)


def validate_module(module: Module, features: Features) -> None:
    context = build_context(module, features)
    with located(context):
        _check_globals(context, module)
        context.elems.extend(elem.type for elem in module.elems)
        context.datas = len(module.datas)
        _check_tables(context, module)
        _check_segments(context, module)
        for n, func in enumerate(module.funcs):
            context.where = ("func", n)
            check_func(context, func)
        if module.start is not None:
            _check_start(context, module.start)
        _check_exports(context, module.exports)


__all__ = ["build_context", "check_func", "validate_module"]
