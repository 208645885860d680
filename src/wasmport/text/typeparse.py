"""Types in the text format: value, heap and reference types, function, struct
and array types, subtypes and recursion groups, limits, and the external types
of tables, memories and globals."""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple, Union

from ..features import Feature
from ..syntax import types as T
from .context import ModuleContext, is_index
from .cursor import Cursor, error_at, sub
from .keywords import misplaced
from .lexer import Token, TokenKind
from .literals import parse_uint
from .sexpr import Node, SList

_NUM_TYPES: Dict[str, T.NumType] = {t.text: t for t in T.NumType}
_PACKED: Dict[str, T.PackedType] = {t.text: t for t in T.PackedType}
_ABS_HEAP: Dict[str, T.AbsHeapType] = {t.text: t for t in T.AbsHeapType}
#: The ``xxxref`` short-hands, each ``(ref null xxx)``; the bottom types are spelled
#: ``nullref``, ``nullfuncref``, ``nullexternref`` and ``nullexnref``.
_BOTTOM_SPELLING = {"none": "null", "nofunc": "nullfunc", "noextern": "nullextern", "noexn": "nullexn"}
_REF_SHORTHANDS: Dict[str, T.RefType] = {
    f"{_BOTTOM_SPELLING.get(heap.text, heap.text)}ref": T.RefType(True, heap)
    for heap in T.AbsHeapType
}


class TypeParser:
    """Parses types against a module context (for ``$type`` references)."""

    def __init__(self, context: ModuleContext) -> None:
        self.context = context

    # -- value types ------------------------------------------------------------

    def type_index(self, token: Node) -> int:
        if not isinstance(token, Token):
            raise error_at(token, "unexpected token")
        return self.context.types.resolve(token)

    def heap_type(self, node: Node) -> Tuple[T.HeapType, bool]:
        """A heap type; the flag says it was written ``(exact ...)``."""
        if isinstance(node, Token):
            if node.kind is TokenKind.KEYWORD:
                heap = _ABS_HEAP.get(node.text)
                if heap is None:
                    raise misplaced(node)
                return heap, False
            return self.type_index(node), False
        if node.head == "exact":
            cursor = sub(node)
            index = self.type_index(cursor.next())
            cursor.expect_end()
            return index, True
        raise error_at(node, "unexpected token")

    def ref_type_list(self, node: SList) -> T.RefType:
        """``(ref null? heaptype)``."""
        cursor = sub(node)
        nullable = cursor.take_keyword("null")
        heap, exact = self.heap_type(cursor.next())
        cursor.expect_end()
        return T.RefType(nullable, heap, exact)

    def ref_type(self, node: Optional[Node]) -> T.RefType:
        if isinstance(node, Token) and node.kind is TokenKind.KEYWORD:
            short = _REF_SHORTHANDS.get(node.text)
            if short is not None:
                return short
        if isinstance(node, SList) and node.head == "ref":
            return self.ref_type_list(node)
        raise misplaced(node)

    def is_ref_type(self, node: Optional[Node]) -> bool:
        if isinstance(node, Token):
            return node.kind is TokenKind.KEYWORD and node.text in _REF_SHORTHANDS
        return isinstance(node, SList) and node.head == "ref"

    def val_type(self, node: Optional[Node]) -> T.ValType:
        if isinstance(node, Token) and node.kind is TokenKind.KEYWORD:
            num = _NUM_TYPES.get(node.text)
            if num is not None:
                return num
        return self.ref_type(node)

    def is_val_type(self, node: Optional[Node]) -> bool:
        if isinstance(node, Token) and node.kind is TokenKind.KEYWORD and node.text in _NUM_TYPES:
            return True
        return self.is_ref_type(node)

    def storage_type(self, node: Optional[Node]) -> T.StorageType:
        if isinstance(node, Token) and node.kind is TokenKind.KEYWORD and node.text in _PACKED:
            return _PACKED[node.text]
        return self.val_type(node)

    def field_type(self, node: Optional[Node]) -> T.FieldType:
        if isinstance(node, SList) and node.head == "mut":
            cursor = sub(node)
            storage = self.storage_type(cursor.next())
            cursor.expect_end()
            return T.FieldType(storage, True)
        return T.FieldType(self.storage_type(node), False)

    def val_types(self, cursor: Cursor) -> List[T.ValType]:
        out: List[T.ValType] = []
        while not cursor.at_end():
            out.append(self.val_type(cursor.next()))
        return out

    # -- function signatures ------------------------------------------------------

    def params(
        self,
        cursor: Cursor,
        names: Optional[List[Optional[Token]]] = None,
        named: bool = True,
    ) -> List[T.ValType]:
        """``(param $x? t)`` / ``(param t*)`` lists; collects ids into ``names``.
        Ids are not allowed where ``named`` is false (block types, call_indirect)."""
        out: List[T.ValType] = []
        while True:
            node = cursor.take_list("param")
            if node is None:
                return out
            inner = sub(node)
            ident = inner.take(TokenKind.ID)
            if ident is not None and not named:
                raise error_at(ident, "unexpected token")
            if ident is not None:
                out.append(self.val_type(inner.next()))
                inner.expect_end()
                if names is not None:
                    names.append(ident)
                continue
            types = self.val_types(inner)
            out.extend(types)
            if names is not None:
                names.extend([None] * len(types))

    def results(self, cursor: Cursor) -> List[T.ValType]:
        out: List[T.ValType] = []
        while True:
            node = cursor.take_list("result")
            if node is None:
                return out
            out.extend(self.val_types(sub(node)))

    def func_type(self, node: SList) -> T.FuncType:
        cursor = sub(node)
        params = self.params(cursor)  # parameter ids are allowed, and not bound
        results = self.results(cursor)
        cursor.expect_end()
        return T.FuncType(tuple(params), tuple(results))

    # -- struct and array ----------------------------------------------------------

    def struct_type(self, node: SList, index: int) -> T.StructType:
        cursor = sub(node)
        fields: List[T.FieldType] = []
        space = self.context.field_space(index)
        while not cursor.at_end():
            field = cursor.expect_list("field")
            inner = sub(field)
            ident = inner.take(TokenKind.ID)
            if ident is not None:
                space.bind(ident, len(fields))
                fields.append(self.field_type(inner.next()))
                inner.expect_end()
                continue
            while not inner.at_end():
                fields.append(self.field_type(inner.next()))
        return T.StructType(tuple(fields))

    def array_type(self, node: SList) -> T.ArrayType:
        cursor = sub(node)
        item = cursor.next()
        if isinstance(item, SList) and item.head == "field":
            inner = sub(item)
            field = self.field_type(inner.next())
            inner.expect_end()
        else:
            field = self.field_type(item)
        cursor.expect_end()
        return T.ArrayType(field)

    def composite(self, node: Node, index: int) -> T.CompositeType:
        if isinstance(node, SList):
            head = node.head
            if head == "func":
                return self.func_type(node)
            if head == "struct":
                return self.struct_type(node, index)
            if head == "array":
                return self.array_type(node)
        raise error_at(node, "unexpected token")

    def sub_type(self, cursor: Cursor, index: int) -> T.SubType:
        """The rest of a type definition: ``(sub final? $super* clauses comptype)``
        or ``clauses comptype``, where the custom-descriptors clauses are
        ``(describes $t)? (descriptor $t)?``."""
        node = cursor.peek_list("sub")
        if node is None:
            subtype = self._described(cursor, index, True, ())
            cursor.expect_end()
            return subtype
        cursor.advance()
        cursor.expect_end()
        inner = sub(node)
        final = inner.take_keyword("final")
        supers: List[int] = []
        while is_index(inner.peek()):
            supers.append(self.type_index(inner.next()))
        subtype = self._described(inner, index, final, tuple(supers))
        inner.expect_end()
        return subtype

    def _described(
        self, cursor: Cursor, index: int, final: bool, supers: Tuple[int, ...]
    ) -> T.SubType:
        describes = self._descriptor_clause(cursor, "describes")
        descriptor = self._descriptor_clause(cursor, "descriptor")
        composite = self.composite(cursor.next(), index)
        # ``(sub final comptype)`` is encoded (and decodes) as the bare composite type.
        explicit = not final or bool(supers)
        return T.SubType(composite, final, supers, descriptor, describes, explicit)

    def _descriptor_clause(self, cursor: Cursor, head: str) -> Optional[int]:
        node = cursor.take_list(head)
        if node is None:
            return None
        inner = sub(node)
        index = self.type_index(inner.next())
        inner.expect_end()
        return index

    # -- limits and external types ---------------------------------------------------

    def address_type(self, cursor: Cursor) -> T.AddrType:
        if cursor.take_keyword("i64"):
            return T.AddrType.I64
        cursor.take_keyword("i32")
        return T.AddrType.I32

    def limits(self, cursor: Cursor, address: T.AddrType, shared_ok: bool) -> T.Limits:
        # With memory64 enabled, limits are read as u64 for every address type
        # (too large a limit for a 32-bit memory or table is then a validation
        # error); without it the text format only has u32 limits.
        wide = address is T.AddrType.I64 or Feature.MEMORY64 in self.context.features
        bits = 64 if wide else 32
        minimum = parse_uint(_number(cursor), bits)
        maximum = None
        if cursor.peek_token(TokenKind.NUMBER) is not None:
            maximum = parse_uint(_number(cursor), bits)
        shared = shared_ok and cursor.take_keyword("shared")
        return T.Limits(minimum, maximum, address, shared)

    def table_type(self, cursor: Cursor) -> T.TableType:
        address = self.address_type(cursor)
        limits = self.limits(cursor, address, False)
        return T.TableType(limits, self.ref_type(cursor.next()))

    def memory_type(self, cursor: Cursor) -> T.MemoryType:
        address = self.address_type(cursor)
        limits = self.limits(cursor, address, True)
        return T.MemoryType(limits, self.page_size(cursor))

    def page_size(self, cursor: Cursor) -> Optional[int]:
        node = cursor.take_list("pagesize")
        if node is None:
            return None
        inner = sub(node)
        token = inner.expect(TokenKind.NUMBER)
        size = parse_uint(token, 64)
        inner.expect_end()
        if size == 0 or size & (size - 1):
            raise error_at(token, "invalid custom page size")
        return size.bit_length() - 1

    def global_type(self, node: Optional[Node]) -> T.GlobalType:
        if isinstance(node, SList) and node.head == "mut":
            cursor = sub(node)
            value = self.val_type(cursor.next())
            cursor.expect_end()
            return T.GlobalType(value, True)
        return T.GlobalType(self.val_type(node), False)


def _number(cursor: Cursor) -> Token:
    token = cursor.peek()
    if isinstance(token, Token) and token.kind is TokenKind.NUMBER:
        cursor.advance()
        return token
    cursor.unexpected()


FuncTypeOrIndex = Union[T.FuncType, int]

__all__ = ["FuncTypeOrIndex", "TypeParser"]
