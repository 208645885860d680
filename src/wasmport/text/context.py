"""Identifier contexts: one :class:`Space` per index space of a module, and the
per-function spaces (locals, labels).

Resolving a reference takes either a ``$name`` (which must be bound, else
"unknown <space>") or a plain ``u32`` (which is *not* range-checked here: an
out-of-range index is a validation error, not a syntax error).
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from ..errors import ParseError
from ..features import Features
from ..syntax.types import FuncType, SubType
from .lexer import Token, TokenKind
from .literals import id_name, parse_uint


class Space:
    """An index space: how many entries it has and which are named."""

    __slots__ = ("kind", "count", "by_name", "names")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.count = 0
        self.by_name: Dict[str, int] = {}
        #: (index, name) in definition order.
        self.names: List[Tuple[int, str]] = []

    def define(self, token: Optional[Token], display: Optional[str] = None) -> int:
        """Add an entry (named by the id ``token`` if given) and return its index.
        ``display`` (from an ``(@name "...")`` annotation) replaces the id in the
        name section."""
        index = self.count
        self.count += 1
        if token is not None:
            self.bind(token, index, display)
        elif display is not None:
            self.names.append((index, display))
        return index

    def bind(self, token: Token, index: int, display: Optional[str] = None) -> None:
        name = id_name(token)
        if name in self.by_name:
            raise ParseError(f"duplicate {self.kind}", token.line, token.column)
        self.by_name[name] = index
        self.names.append((index, display if display is not None else name))

    def resolve(self, token: Token) -> int:
        if token.kind is TokenKind.ID:
            index = self.by_name.get(id_name(token))
            if index is None:
                raise ParseError(f"unknown {self.kind}", token.line, token.column)
            return index
        if token.kind is TokenKind.NUMBER:
            return parse_uint(token)
        if token.kind is TokenKind.RESERVED:
            raise ParseError("unknown operator", token.line, token.column)
        raise ParseError("unexpected token", token.line, token.column)


def is_index(node: object) -> bool:
    """Whether ``node`` can be an index reference (an id or a number)."""
    return isinstance(node, Token) and (
        node.kind is TokenKind.ID or node.kind is TokenKind.NUMBER
    )


class ModuleContext:
    """Every module-level index space, the type definitions and the field names."""

    def __init__(self, features: Optional[Features] = None) -> None:
        #: The enabled features, where they change what text is well formed.
        self.features = Features() if features is None else features
        self.types = Space("type")
        self.funcs = Space("func")
        self.tables = Space("table")
        self.memories = Space("memory")
        self.globals = Space("global")
        self.tags = Space("tag")
        self.elems = Space("elem")
        self.datas = Space("data")
        #: Field names per type index.
        self.fields: Dict[int, Space] = {}
        #: The defined types, filled in once type definitions are parsed
        #: (index -> subtype; implicit types are appended as they are created).
        self.defined: List[SubType] = []
        #: Whether each defined type may be reused by a type use (a function type
        #: defined outside an explicit ``rec`` group, or an implicit one).
        self.reusable: List[bool] = []
        #: Function types synthesised for type uses, appended after the explicit ones.
        self.implicit: List[FuncType] = []
        self._interned: Dict[FuncType, int] = {}

    def field_space(self, type_index: int) -> Space:
        space = self.fields.get(type_index)
        if space is None:
            space = self.fields[type_index] = Space("field")
        return space

    def type_use(self, func_type: FuncType) -> int:
        """The index of the first reusable definition of ``func_type`` (as the
        reference tool interns them: any function type outside a ``rec`` group,
        whatever its finality), appending a new one if there is none."""
        index = self._interned.get(func_type)
        if index is not None:
            return index
        self.defined.append(SubType(func_type))
        self.reusable.append(True)
        self.implicit.append(func_type)
        index = len(self.defined) - 1
        self._interned[func_type] = index
        return index

    def add_defined(self, subtype: SubType, reusable: bool) -> None:
        index = len(self.defined)
        self.defined.append(subtype)
        self.reusable.append(reusable)
        composite = subtype.composite
        if reusable and isinstance(composite, FuncType) and composite not in self._interned:
            self._interned[composite] = index

    def func_type_at(self, index: int) -> Optional[FuncType]:
        if 0 <= index < len(self.defined):
            composite = self.defined[index].composite
            if isinstance(composite, FuncType):
                return composite
        return None


__all__ = ["ModuleContext", "Space", "is_index"]
