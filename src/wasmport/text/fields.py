"""Module fields after declaration: each parser reads one field (with its inline
exports, imports, elements or data) into the :class:`ModuleBuilder`'s lists."""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Tuple

from ..syntax import ast
from ..syntax import types as T
from ..syntax.opcodes import BY_MNEMONIC
from .context import ModuleContext, Space, is_index
from .cursor import Cursor, error_at, sub
from .instructions import BodyParser, type_use
from .lexer import Token, TokenKind
from .literals import id_name, string_bytes, string_text
from .sexpr import Node, SList
from .typeparse import TypeParser

#: The element type the ``func`` keyword (and the index-list abbreviations) denote.
FUNC_ELEM_TYPE = T.RefType(False, T.AbsHeapType.FUNC)

_KINDS = {
    "func": ast.ExternKind.FUNC,
    "table": ast.ExternKind.TABLE,
    "memory": ast.ExternKind.MEMORY,
    "global": ast.ExternKind.GLOBAL,
    "tag": ast.ExternKind.TAG,
}

_I32_CONST = BY_MNEMONIC["i32.const"]
_I64_CONST = BY_MNEMONIC["i64.const"]
_REF_FUNC = BY_MNEMONIC["ref.func"]


class ModuleBuilder:
    """Collects the parts of an :class:`ast.Module` while its fields are parsed."""

    def __init__(self, context: ModuleContext) -> None:
        self.context = context
        self.types = TypeParser(context)
        self.imports: List[ast.Import] = []
        self.funcs: List[ast.Func] = []
        self.tables: List[ast.Table] = []
        self.memories: List[ast.Memory] = []
        self.tags: List[ast.Tag] = []
        self.globals: List[ast.Global] = []
        self.exports: List[ast.Export] = []
        self.start: Optional[int] = None
        self.elems: List[ast.Elem] = []
        self.datas: List[ast.Data] = []
        self.uses_data_count = False
        #: Per-function local names and label names (function index -> name map).
        self.local_names: Dict[int, List[Tuple[int, str]]] = {}
        self.label_names: Dict[int, List[Tuple[int, str]]] = {}
        #: Per defined function: where its instructions start (see BodyParser.starts).
        self.func_starts: List[List[Node]] = []
        #: Indices handed out so far, per kind, to place inline exports.
        self.next_index: Dict[ast.ExternKind, int] = {kind: 0 for kind in ast.ExternKind}

    # -- shared pieces ------------------------------------------------------------

    def expression(self, cursor: Cursor, locals_space: Optional[Space] = None) -> ast.Expr:
        return BodyParser(self.context, self.types, locals_space).parse(cursor)

    def inline_exports_and_import(
        self, cursor: Cursor, kind: ast.ExternKind
    ) -> Tuple[int, Optional[Tuple[str, str]]]:
        """Reads ``(export "n")*`` and ``(import "m" "n")?``; returns the entity's index."""
        index = self.next_index[kind]
        self.next_index[kind] += 1
        imported: Optional[Tuple[str, str]] = None
        while True:
            node = cursor.peek_list()
            if node is None:
                break
            if node.head == "export":
                cursor.advance()
                inner = sub(node)
                name = string_text(inner.expect(TokenKind.STRING))
                inner.expect_end()
                self.exports.append(ast.Export(name, kind, index))
            elif node.head == "import" and imported is None:
                cursor.advance()
                imported = import_names(node)
            else:
                break
        return index, imported

    # -- functions --------------------------------------------------------------------

    def func(self, node: SList) -> None:
        cursor = sub(node)
        cursor.take(TokenKind.ID)
        index, imported = self.inline_exports_and_import(cursor, ast.ExternKind.FUNC)
        if imported is not None:
            import_type = self.func_import_type(cursor)
            cursor.expect_end()
            self.imports.append(ast.Import(imported[0], imported[1], ast.ExternKind.FUNC, import_type))
            return
        names: List[Optional[Token]] = []
        type_index = type_use(self.context, self.types, cursor, names)
        space = Space("local")
        for name in names:
            space.define(name)
        locals_types = self.locals(cursor, space)
        parser = BodyParser(self.context, self.types, space)
        body = parser.parse(cursor)
        if parser.uses_data:
            self.uses_data_count = True
        if space.names:
            self.local_names[index] = sorted(space.names)
        if parser.label_names:
            self.label_names[index] = parser.label_names
        self.funcs.append(ast.Func(type_index, tuple(locals_types), body))
        self.func_starts.append(parser.starts)

    def func_import_type(self, cursor: Cursor) -> ast.FuncImportType:
        exact = cursor.take_list("exact")
        if exact is not None:
            inner = sub(exact)
            index = type_use(self.context, self.types, inner)
            inner.expect_end()
            return ast.FuncImportType(index, True)
        return ast.FuncImportType(type_use(self.context, self.types, cursor))

    def locals(self, cursor: Cursor, space: Space) -> List[T.ValType]:
        out: List[T.ValType] = []
        while True:
            node = cursor.take_list("local")
            if node is None:
                return out
            inner = sub(node)
            ident = inner.take(TokenKind.ID)
            if ident is not None:
                out.append(self.types.val_type(inner.next()))
                inner.expect_end()
                space.define(ident)
                continue
            for value in self.types.val_types(inner):
                out.append(value)
                space.define(None)

    # -- tables, memories, globals, tags ----------------------------------------------------

    def table(self, node: SList) -> None:
        cursor = sub(node)
        cursor.take(TokenKind.ID)
        index, imported = self.inline_exports_and_import(cursor, ast.ExternKind.TABLE)
        if imported is not None:
            table_type = self.types.table_type(cursor)
            cursor.expect_end()
            self.imports.append(ast.Import(imported[0], imported[1], ast.ExternKind.TABLE, table_type))
            return
        start = cursor.pos
        address = self.types.address_type(cursor)
        if cursor.peek_token(TokenKind.NUMBER) is None and cursor.peek() is not None:
            self.table_with_elems(cursor, index, address)
            return
        cursor.pos = start
        table_type = self.types.table_type(cursor)
        init = self.expression(cursor) if not cursor.at_end() else None
        self.tables.append(ast.Table(table_type, init))

    def table_with_elems(self, cursor: Cursor, index: int, address: T.AddrType) -> None:
        element = self.types.ref_type(cursor.next())
        elem_node = cursor.expect_list("elem")
        cursor.expect_end()
        inner = sub(elem_node)
        segment_type = element
        if is_index(inner.peek()) or inner.at_end():
            items = self.func_index_items(inner)
            # The reference tool writes a plain index list only for funcref tables.
            func_indices = element == T.FUNCREF
            segment_type = FUNC_ELEM_TYPE if func_indices else element
        else:
            items = self.elem_expressions(inner)
            func_indices = False
        count = len(items)
        self.tables.append(ast.Table(T.TableType(T.Limits(count, count, address), element)))
        const = _I64_CONST if address is T.AddrType.I64 else _I32_CONST
        offset = (ast.Instr(const, (0,)),)
        self.elems.append(
            ast.Elem(ast.SegmentMode.ACTIVE, segment_type, items, index, offset, func_indices)
        )

    def memory(self, node: SList) -> None:
        cursor = sub(node)
        cursor.take(TokenKind.ID)
        index, imported = self.inline_exports_and_import(cursor, ast.ExternKind.MEMORY)
        if imported is not None:
            memory_type = self.types.memory_type(cursor)
            cursor.expect_end()
            self.imports.append(ast.Import(imported[0], imported[1], ast.ExternKind.MEMORY, memory_type))
            return
        start = cursor.pos
        address = self.types.address_type(cursor)
        page_size = self.types.page_size(cursor)
        data_node = cursor.take_list("data")
        if data_node is None:
            cursor.pos = start
            self.memories.append(ast.Memory(self.types.memory_type(cursor)))
            cursor.expect_end()
            return
        cursor.expect_end()
        data = data_strings(sub(data_node))
        page = 1 << (16 if page_size is None else page_size)
        pages = (len(data) + page - 1) // page
        limits = T.Limits(pages, pages, address)
        self.memories.append(ast.Memory(T.MemoryType(limits, page_size)))
        const = _I64_CONST if address is T.AddrType.I64 else _I32_CONST
        offset = (ast.Instr(const, (0,)),)
        self.datas.append(ast.Data(ast.SegmentMode.ACTIVE, data, index or None, offset))

    def global_(self, node: SList) -> None:
        cursor = sub(node)
        cursor.take(TokenKind.ID)
        _, imported = self.inline_exports_and_import(cursor, ast.ExternKind.GLOBAL)
        global_type = self.types.global_type(cursor.next())
        if imported is not None:
            cursor.expect_end()
            self.imports.append(ast.Import(imported[0], imported[1], ast.ExternKind.GLOBAL, global_type))
            return
        self.globals.append(ast.Global(global_type, self.expression(cursor)))

    def tag(self, node: SList) -> None:
        cursor = sub(node)
        cursor.take(TokenKind.ID)
        _, imported = self.inline_exports_and_import(cursor, ast.ExternKind.TAG)
        tag_type = T.TagType(type_use(self.context, self.types, cursor))
        cursor.expect_end()
        if imported is not None:
            self.imports.append(ast.Import(imported[0], imported[1], ast.ExternKind.TAG, tag_type))
            return
        self.tags.append(ast.Tag(tag_type))

    # -- imports, exports, start ------------------------------------------------------------

    def import_(self, node: SList) -> None:
        cursor = sub(node)
        module_name = string_text(cursor.expect(TokenKind.STRING))
        name = string_text(cursor.expect(TokenKind.STRING))
        desc = cursor.expect_list()
        cursor.expect_end()
        kind = _KINDS.get(desc.head or "")
        if kind is None:
            raise error_at(desc, "unexpected token")
        self.next_index[kind] += 1
        inner = sub(desc)
        inner.take(TokenKind.ID)
        import_type = _IMPORT_DESCRIPTIONS[kind](self, inner)
        inner.expect_end()
        self.imports.append(ast.Import(module_name, name, kind, import_type))

    def export(self, node: SList) -> None:
        cursor = sub(node)
        name = string_text(cursor.expect(TokenKind.STRING))
        desc = cursor.expect_list()
        cursor.expect_end()
        kind = _KINDS.get(desc.head or "")
        if kind is None:
            raise error_at(desc, "unexpected token")
        inner = sub(desc)
        index = self.space(kind).resolve(_index_token(inner))
        inner.expect_end()
        self.exports.append(ast.Export(name, kind, index))

    def start_(self, node: SList) -> None:
        cursor = sub(node)
        index = self.context.funcs.resolve(_index_token(cursor))
        cursor.expect_end()
        if self.start is not None:
            raise error_at(node, "multiple start sections")
        self.start = index

    def space(self, kind: ast.ExternKind) -> Space:
        context = self.context
        spaces = {
            ast.ExternKind.FUNC: context.funcs,
            ast.ExternKind.TABLE: context.tables,
            ast.ExternKind.MEMORY: context.memories,
            ast.ExternKind.GLOBAL: context.globals,
            ast.ExternKind.TAG: context.tags,
        }
        return spaces[kind]

    # -- element and data segments ------------------------------------------------------------

    def func_index_items(self, cursor: Cursor) -> Tuple[ast.Expr, ...]:
        items: List[ast.Expr] = []
        while not cursor.at_end():
            index = self.context.funcs.resolve(_index_token(cursor))
            items.append((ast.Instr(_REF_FUNC, (index,)),))
        return tuple(items)

    def elem_expressions(self, cursor: Cursor) -> Tuple[ast.Expr, ...]:
        items: List[ast.Expr] = []
        while not cursor.at_end():
            node = cursor.expect_list()
            if node.head == "item":
                items.append(self.expression(sub(node)))
            else:
                items.append(self.expression(_single(node)))
        return tuple(items)

    def elem_list(self, cursor: Cursor, allow_bare: bool) -> Tuple[T.RefType, Tuple[ast.Expr, ...], bool]:
        if cursor.take_keyword("func"):
            return FUNC_ELEM_TYPE, self.func_index_items(cursor), True
        if allow_bare and (cursor.at_end() or is_index(cursor.peek())):
            return FUNC_ELEM_TYPE, self.func_index_items(cursor), True
        element = self.types.ref_type(cursor.next())
        return element, self.elem_expressions(cursor), False

    def elem(self, node: SList) -> None:
        cursor = sub(node)
        cursor.take(TokenKind.ID)
        if cursor.take_keyword("declare"):
            element, items, indices = self.elem_list(cursor, False)
            self.elems.append(ast.Elem(ast.SegmentMode.DECLARATIVE, element, items, None, None, indices))
            return
        table = _segment_target(cursor, "table", self.context.tables)
        offset_node = cursor.peek_list()
        if offset_node is not None and offset_node.head == "ref":
            offset_node = None  # a reference type: the segment is passive
        if offset_node is None:
            if table is not None:
                cursor.unexpected()
            element, items, indices = self.elem_list(cursor, False)
            self.elems.append(ast.Elem(ast.SegmentMode.PASSIVE, element, items, None, None, indices))
            return
        cursor.advance()
        offset = self.offset_expression(offset_node)
        element, items, indices = self.elem_list(cursor, True)
        if table is None:
            table = _implicit_table(element, indices)
        self.elems.append(ast.Elem(ast.SegmentMode.ACTIVE, element, items, table, offset, indices))

    def offset_expression(self, node: SList) -> ast.Expr:
        if node.head == "offset":
            return self.expression(sub(node))
        return self.expression(_single(node))

    def data(self, node: SList) -> None:
        cursor = sub(node)
        cursor.take(TokenKind.ID)
        memory = _segment_target(cursor, "memory", self.context.memories)
        offset_node = cursor.peek_list()
        if offset_node is None:
            if memory is not None:
                cursor.unexpected()
            self.datas.append(ast.Data(ast.SegmentMode.PASSIVE, data_strings(cursor)))
            return
        cursor.advance()
        offset = self.offset_expression(offset_node)
        memory = memory or None  # memory 0 is written in the short form
        self.datas.append(ast.Data(ast.SegmentMode.ACTIVE, data_strings(cursor), memory, offset))


def _segment_target(cursor: Cursor, head: str, space: Space) -> Optional[int]:
    """``(table x)``/``(memory x)`` of an active segment, or the older bare index form."""
    node = cursor.take_list(head)
    if node is not None:
        inner = sub(node)
        index = space.resolve(_index_token(inner))
        inner.expect_end()
        return index
    if is_index(cursor.peek()) and isinstance(cursor.peek(1), SList):
        return space.resolve(_index_token(cursor))
    return None


def _implicit_table(element: T.RefType, func_indices: bool) -> Optional[int]:
    """An unnamed table stays implicit (None) where the binary's short forms can
    express the segment (an index list, or ``funcref`` expressions); else table 0."""
    if element == (FUNC_ELEM_TYPE if func_indices else T.FUNCREF):
        return None
    return 0


def _single(node: SList) -> Cursor:
    """A cursor over just ``node``: a folded instruction used as an expression."""
    return Cursor(SList((node,), node.line, node.column, None, node.end_line, node.end_column))


def _index_token(cursor: Cursor) -> Token:
    item = cursor.peek()
    if is_index(item):
        cursor.advance()
        return item  # type: ignore[return-value]
    cursor.unexpected()


def import_names(node: SList) -> Tuple[str, str]:
    cursor = sub(node)
    module_name = string_text(cursor.expect(TokenKind.STRING))
    name = string_text(cursor.expect(TokenKind.STRING))
    return module_name, name


def data_strings(cursor: Cursor) -> bytes:
    out = bytearray()
    while not cursor.at_end():
        out += string_bytes(cursor.expect(TokenKind.STRING))
    return bytes(out)


def _import_func(builder: ModuleBuilder, cursor: Cursor) -> ast.ImportType:
    return builder.func_import_type(cursor)


def _import_table(builder: ModuleBuilder, cursor: Cursor) -> ast.ImportType:
    return builder.types.table_type(cursor)


def _import_memory(builder: ModuleBuilder, cursor: Cursor) -> ast.ImportType:
    return builder.types.memory_type(cursor)


def _import_global(builder: ModuleBuilder, cursor: Cursor) -> ast.ImportType:
    return builder.types.global_type(cursor.next())


def _import_tag(builder: ModuleBuilder, cursor: Cursor) -> ast.ImportType:
    return T.TagType(type_use(builder.context, builder.types, cursor))


_IMPORT_DESCRIPTIONS: Dict[ast.ExternKind, Callable[[ModuleBuilder, Cursor], ast.ImportType]] = {
    ast.ExternKind.FUNC: _import_func,
    ast.ExternKind.TABLE: _import_table,
    ast.ExternKind.MEMORY: _import_memory,
    ast.ExternKind.GLOBAL: _import_global,
    ast.ExternKind.TAG: _import_tag,
}

FIELD_PARSERS: Dict[str, Callable[[ModuleBuilder, SList], None]] = {
    "func": ModuleBuilder.func,
    "table": ModuleBuilder.table,
    "memory": ModuleBuilder.memory,
    "global": ModuleBuilder.global_,
    "tag": ModuleBuilder.tag,
    "import": ModuleBuilder.import_,
    "export": ModuleBuilder.export,
    "start": ModuleBuilder.start_,
    "elem": ModuleBuilder.elem,
    "data": ModuleBuilder.data,
}

__all__ = ["FIELD_PARSERS", "FUNC_ELEM_TYPE", "ModuleBuilder", "data_strings", "id_name"]
