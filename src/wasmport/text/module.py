"""Whole modules: ``(module $id? field*)`` (or bare fields) into an ``ast.Module``.

Three passes, as the spec's identifier contexts require:

1. *declare*: every field binds its ``$id`` and takes its index, so that any
   field may refer to any other (imports must precede definitions);
2. *types*: type definitions and recursion groups are parsed;
3. *fields*: everything else, in source order, creating implicit function
   types for type uses that match no plain definition.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Dict, List, Optional, Tuple, Union

from ..errors import ParseError
from ..features import Features
from ..syntax import ast
from ..syntax import types as T
from .branch_hints import BRANCH_HINT, FuncSource, collecting, hint_section
from .context import ModuleContext, Space
from .cursor import Cursor, error_at, sub
from .custom import CustomCollector, name_annotation_text
from .fields import FIELD_PARSERS, ModuleBuilder
from .keywords import misplaced
from .lexer import Token, TokenKind
from .literals import id_name
from .sexpr import Node, SList, read
from .sourcemap import SourceMap, register

_DEFINITION_KINDS = {
    "func": "function",
    "table": "table",
    "memory": "memory",
    "global": "global",
    "tag": "tag",
}


class _Declarer:
    """Pass 1: binds ids and checks that imports precede definitions."""

    def __init__(self, context: ModuleContext) -> None:
        self.context = context
        self.first_definition: Optional[str] = None
        self.type_nodes: List[Tuple[SList, bool]] = []

    def space(self, head: str) -> Space:
        spaces: Dict[str, Space] = {
            "func": self.context.funcs,
            "table": self.context.tables,
            "memory": self.context.memories,
            "global": self.context.globals,
            "tag": self.context.tags,
            "elem": self.context.elems,
            "data": self.context.datas,
        }
        return spaces[head]

    def field(self, node: SList) -> None:
        head = node.head
        if head == "type":
            self.type_nodes.append((node, False))
            self.context.types.define(_field_id(node))
        elif head == "rec":
            for inner in Cursor(node, 1).items[1:]:
                if isinstance(inner, SList) and inner.annotation is None:
                    if inner.head != "type":
                        raise error_at(inner, "unexpected token")
                    self.type_nodes.append((inner, True))
                    self.context.types.define(_field_id(inner))
            self.type_nodes.append((node, False))
        elif head == "import":
            self.import_(node)
        elif head in _DEFINITION_KINDS:
            self.definition(node, head)
        elif head in ("elem", "data"):
            self.space(head).define(_field_id(node))
        elif head not in ("export", "start"):
            raise misplaced(Cursor(node).peek(), node)

    def import_(self, node: SList) -> None:
        items = [item for item in node.items if not _is_annotation(item)]
        desc = items[3] if len(items) > 3 else None
        if not isinstance(desc, SList) or desc.head not in _DEFINITION_KINDS:
            raise error_at(desc if desc is not None else node, "unexpected token")
        self._check_import_order(node)
        self.space(desc.head or "").define(_field_id(desc))

    def definition(self, node: SList, head: str) -> None:
        if _has_inline_import(node):
            self._check_import_order(node)
        else:
            if self.first_definition is None:
                self.first_definition = _DEFINITION_KINDS[head]
            _declare_inline_segment(self.context, node, head)
        self.space(head).define(_field_id(node), _name_annotation(node))

    def _check_import_order(self, node: SList) -> None:
        if self.first_definition is not None:
            raise error_at(node, f"import after {self.first_definition}")


def _name_annotation(node: SList) -> Optional[str]:
    """The text of an ``(@name "...")`` annotation right after the head and id."""
    for item in node.items[1:]:
        if isinstance(item, Token) and item.kind is TokenKind.ID:
            continue
        if isinstance(item, SList) and item.annotation == "name":
            return name_annotation_text(item)
        if not _is_annotation(item):
            return None
    return None


def _is_annotation(item: Node) -> bool:
    return isinstance(item, SList) and item.annotation is not None


def _field_id(node: SList) -> Optional[Token]:
    cursor = Cursor(node, 1)
    return cursor.peek_token(TokenKind.ID)


def _has_inline_import(node: SList) -> bool:
    for item in node.items[1:]:
        if isinstance(item, SList) and item.annotation is None:
            if item.head == "import":
                return True
            if item.head != "export":
                return False
    return False


def _declare_inline_segment(context: ModuleContext, node: SList, head: str) -> None:
    """``(table ... (elem ...))`` and ``(memory ... (data ...))`` define a segment."""
    inline = {"table": ("elem", context.elems), "memory": ("data", context.datas)}.get(head)
    if inline is None:
        return
    word, space = inline
    for item in node.items[1:]:
        if isinstance(item, SList) and item.head == word:
            space.define(None)
            return


def _parse_types(context: ModuleContext, builder: ModuleBuilder, nodes: List[Tuple[SList, bool]]) -> List[T.RecType]:
    """Pass 2: type definitions, as recursion groups."""
    groups: List[T.RecType] = []
    pending: List[T.SubType] = []
    index = 0
    for node, in_rec in nodes:
        if node.head == "rec":
            groups.append(T.RecType(tuple(pending), explicit=True))
            pending = []
            continue
        cursor = sub(node)
        cursor.take(TokenKind.ID)
        subtype = builder.types.sub_type(cursor, index)
        index += 1
        if in_rec:
            pending.append(subtype)
        else:
            groups.append(T.RecType((subtype,), explicit=False))
    for group in groups:
        for subtype in group.subtypes:
            context.add_defined(subtype, not group.explicit)
    return groups


def module_fields(
    node: SList, start: int, name_token: Optional[Token], features: Optional[Features] = None
) -> ast.Module:
    """Build a module from the fields of ``node`` starting at item ``start``."""
    context = ModuleContext(features)
    declarer = _Declarer(context)
    customs = CustomCollector()
    fields: List[SList] = []
    with collecting() as hints:
        for item in node.items[start:]:
            if isinstance(item, SList) and item.annotation is not None:
                customs.annotation(item, fields)
                continue
            if not isinstance(item, SList):
                raise misplaced(item)
            declarer.field(item)
            fields.append(item)
        builder = ModuleBuilder(context)
        groups = _parse_types(context, builder, declarer.type_nodes)
        places = _FieldPlaces(declarer.type_nodes)
        for field in fields:
            parser = FIELD_PARSERS.get(field.head or "")
            if parser is not None:
                places.parse(builder, field, parser)
    func_nodes = places.nodes["func"]
    imported = sum(1 for imp in builder.imports if imp.kind is ast.ExternKind.FUNC)
    sources = [
        FuncSource(imported + n, func_node, starts)
        for n, (func_node, starts) in enumerate(zip(func_nodes, builder.func_starts))
    ]
    hint = hint_section(hints, sources, builder.funcs)
    if hint is not None:
        customs.customs.append(hint)
    module = _assemble(context, builder, groups, customs, name_token)
    register(module, SourceMap(places.nodes, builder.func_starts))
    return module


#: The builder's lists, by the field kind validation errors name.
_FIELD_LISTS = {
    "import": "imports", "func": "funcs", "table": "tables", "memory": "memories",
    "tag": "tags", "global": "globals", "export": "exports", "elem": "elems", "data": "datas",
}


class _FieldPlaces:
    """The field that defined each entity (inline exports, imports and segments
    included), to locate validation errors."""

    def __init__(self, type_nodes: List[Tuple[SList, bool]]) -> None:
        self.nodes: Dict[str, List[SList]] = {kind: [] for kind in _FIELD_LISTS}
        self.nodes["type"] = [node for node, _ in type_nodes if node.head != "rec"]
        self.nodes["start"] = []

    def parse(self, builder: ModuleBuilder, field: SList, parser: Callable[[ModuleBuilder, SList], None]) -> None:
        sizes = {kind: len(getattr(builder, name)) for kind, name in _FIELD_LISTS.items()}
        parser(builder, field)
        for kind, name in _FIELD_LISTS.items():
            self.nodes[kind].extend([field] * (len(getattr(builder, name)) - sizes[kind]))
        if field.head == "start":
            self.nodes["start"].append(field)


def _assemble(
    context: ModuleContext,
    builder: ModuleBuilder,
    groups: List[T.RecType],
    customs: CustomCollector,
    name_token: Optional[Token],
) -> ast.Module:
    types = list(groups)
    types.extend(T.RecType((T.SubType(func),), explicit=False) for func in context.implicit)
    return ast.Module(
        types=tuple(types),
        imports=tuple(builder.imports),
        funcs=tuple(builder.funcs),
        tables=tuple(builder.tables),
        memories=tuple(builder.memories),
        tags=tuple(builder.tags),
        globals=tuple(builder.globals),
        exports=tuple(builder.exports),
        start=builder.start,
        elems=tuple(builder.elems),
        datas=tuple(builder.datas),
        data_count=len(builder.datas) if builder.uses_data_count else None,
        customs=_anchored(customs.sections(), _present_sections(builder, types)),
        names=_names(context, builder, customs, name_token),
    )


def _present_sections(builder: ModuleBuilder, types: List[T.RecType]) -> List[ast.SectionId]:
    """The non-custom sections the module's binary will have."""
    S = ast.SectionId
    present = {
        S.TYPE: bool(types),
        S.IMPORT: bool(builder.imports),
        S.FUNCTION: bool(builder.funcs),
        S.TABLE: bool(builder.tables),
        S.MEMORY: bool(builder.memories),
        S.TAG: bool(builder.tags),
        S.GLOBAL: bool(builder.globals),
        S.EXPORT: bool(builder.exports),
        S.START: builder.start is not None,
        S.ELEMENT: bool(builder.elems),
        S.DATA_COUNT: builder.uses_data_count,
        S.CODE: bool(builder.funcs),
        S.DATA: bool(builder.datas),
    }
    return [section for section in ast.SECTION_ORDER if present[section]]


def _anchored(
    customs: Tuple[ast.CustomSection, ...], present: List[ast.SectionId]
) -> Tuple[ast.CustomSection, ...]:
    """Re-anchor each custom section after the last section actually present at or
    before its placement, as decoding the binary would report it."""
    rank = {section: index for index, section in enumerate(ast.SECTION_ORDER)}
    out = []
    for custom in customs:
        anchor = ast.SectionId.CUSTOM
        if custom.after is not ast.SectionId.CUSTOM:
            limit = rank[custom.after]
            for section in present:
                if rank[section] <= limit:
                    anchor = section
        out.append(replace(custom, after=anchor))
    return tuple(out)


def _names(
    context: ModuleContext,
    builder: ModuleBuilder,
    customs: CustomCollector,
    name_token: Optional[Token],
) -> Optional[ast.Names]:
    module_name = id_name(name_token) if name_token is not None else None
    if customs.module_name is not None:
        module_name = customs.module_name

    def plain(space: Space) -> ast.NameMap:
        return tuple(sorted(space.names))

    def indirect(table: Dict[int, List[Tuple[int, str]]]) -> ast.IndirectNameMap:
        return tuple((index, tuple(sorted(names))) for index, names in sorted(table.items()) if names)

    fields = {index: space.names for index, space in context.fields.items()}
    names = ast.Names(
        module=module_name,
        funcs=plain(context.funcs),
        locals=indirect(builder.local_names),
        labels=indirect(builder.label_names),
        types=plain(context.types),
        tables=plain(context.tables),
        memories=plain(context.memories),
        globals=plain(context.globals),
        elems=plain(context.elems),
        datas=plain(context.datas),
        fields=indirect(fields),
        tags=plain(context.tags),
    )
    if names == ast.Names():
        return None
    return names


def module_from_sexpr(node: SList, features: Optional[Features] = None) -> ast.Module:
    """The module of an already-read ``(module $id? field*)`` list.

    ``features`` matters only where a proposal changes what is well formed
    (without memory64, memory and table limits are u32 literals)."""
    if node.head != "module":
        raise error_at(node, "unexpected token")
    items = node.items
    position = _skip_plain_annotations(items, 1)
    if position < len(items) and _is_keyword(items[position], "definition"):
        position = _skip_plain_annotations(items, position + 1)
    name_token: Optional[Token] = None
    item = items[position] if position < len(items) else None
    if isinstance(item, Token) and item.kind is TokenKind.ID:
        name_token = item
        position += 1
    return module_fields(node, position, name_token, features)


#: Annotations the fields loop reads (the others after ``module`` are skipped).
_FIELD_ANNOTATIONS = (None, "name", "custom", BRANCH_HINT)


def _skip_plain_annotations(items: Tuple[Node, ...], position: int) -> int:
    """Skip annotations other than ``@name``/``@custom`` (which the fields loop reads)."""
    while position < len(items):
        item = items[position]
        if not (isinstance(item, SList) and item.annotation not in _FIELD_ANNOTATIONS):
            return position
        position += 1
    return position


def _is_keyword(item: Node, word: str) -> bool:
    return isinstance(item, Token) and item.kind is TokenKind.KEYWORD and item.text == word


def parse_module(
    source: Union[str, bytes], filename: Optional[str] = None, features: Optional[Features] = None
) -> ast.Module:
    """Parse a WAT module: one ``(module ...)`` or a sequence of bare module fields."""
    nodes = read(source, filename)
    try:
        if len(nodes) == 1 and isinstance(nodes[0], SList) and nodes[0].head == "module":
            return module_from_sexpr(nodes[0], features)
        for node in nodes:
            if isinstance(node, SList) and node.head == "module":
                raise error_at(node, "unexpected token")
        return module_fields(SList(tuple(nodes), 1, 1), 0, None, features)
    except ParseError as error:
        if error.filename is None:
            error.filename = filename
        raise


__all__ = ["module_fields", "module_from_sexpr", "parse_module"]
