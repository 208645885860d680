"""Instruction sequences: plain and folded instructions into nested ``Instr`` trees.

Folded instructions are unfolded into the plain order (operands first) by a
work stack instead of recursion, and the plain stream is assembled into nested
bodies by a control stack, exactly like a binary code section: ``block``,
``loop``, ``if``, ``try_table`` and ``try`` open a frame; ``else``, ``catch``,
``catch_all`` switch its current body; ``end`` and ``delegate`` close it.
Labels resolve against the control stack at the point where they are used.
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Tuple, Union

from ..errors import InternalError
from ..syntax import ast
from ..syntax import types as T
from ..syntax.opcodes import BY_MNEMONIC, Imm, Op
from .context import ModuleContext, Space
from .cursor import Cursor, error_at
from .immediates import index_token, lookup, read_immediates
from .keywords import misplaced
from .lexer import Token, TokenKind
from .literals import id_name, parse_uint
from .sexpr import Node, SList
from .typeparse import TypeParser

BLOCK = BY_MNEMONIC["block"]
LOOP = BY_MNEMONIC["loop"]
IF = BY_MNEMONIC["if"]
TRY_TABLE = BY_MNEMONIC["try_table"]
TRY = BY_MNEMONIC["try"]
_BLOCK_OPS = {"block": BLOCK, "loop": LOOP, "if": IF, "try_table": TRY_TABLE, "try": TRY}
_CATCH_KINDS = {kind.name.lower(): kind for kind in ast.CatchKind}


class Frame:
    """An open structured instruction (or the function body itself)."""

    __slots__ = (
        "op", "label", "token", "block_type", "catches", "body", "then_body",
        "legacy", "catch_tag", "in_handler",
    )

    def __init__(
        self, op: Optional[Op], label: Optional[str], token: Optional[Node],
        block_type: ast.BlockType = None,
    ) -> None:
        self.op = op
        self.label = label
        self.token = token
        self.block_type = block_type
        self.catches: Tuple[ast.Catch, ...] = ()
        self.body: List[ast.Instr] = []
        #: For ``if`` after ``else``: the finished then-body.
        self.then_body: Optional[Tuple[ast.Instr, ...]] = None
        #: For legacy ``try``: the try body and the finished handlers.
        self.legacy: List[Any] = []
        self.catch_tag: Optional[int] = None
        self.in_handler = False


Work = Union[Cursor, Callable[[], None]]


class BodyParser:
    """Parses the instructions of one function body or constant expression."""

    def __init__(
        self, context: ModuleContext, types: TypeParser, locals_space: Optional[Space] = None
    ) -> None:
        self.context = context
        self.types = types
        self.locals = locals_space if locals_space is not None else Space("local")
        self.frames: List[Frame] = [Frame(None, None, None)]
        self.pending_args: List[Any] = []
        #: Names of labels, by the index of the structured instruction in the body.
        self.label_names: List[Tuple[int, str]] = []
        self.block_count = 0
        self.uses_data = False
        #: The token (or list) each instruction starts with, in the order the
        #: body lists them with nested instructions right after their block's
        #: (the order of the binary encoding and of validation).
        self.starts: List[Node] = []

    # -- labels -------------------------------------------------------------------

    def label(self, token: Token) -> int:
        if token.kind is TokenKind.ID:
            name = id_name(token)
            for depth, frame in enumerate(reversed(self.frames)):
                if frame.label == name:
                    return depth
            raise error_at(token, "unknown label")
        return parse_uint(token)

    # -- type uses ----------------------------------------------------------------

    def type_use(self, cursor: Cursor) -> int:
        """A type use inside code (block types, call_indirect): no parameter ids."""
        return type_use(self.context, self.types, cursor, None, named=False)

    def block_type(self, cursor: Cursor) -> ast.BlockType:
        """A value type, nothing, or a type use (params or several results)."""
        if cursor.peek_list("type") is None and cursor.peek_list("param") is None:
            results = self.types.results(cursor)
            if len(results) <= 1:
                return results[0] if results else None
            return self.context.type_use(T.FuncType((), tuple(results)))
        return self.type_use(cursor)

    # -- the instruction stream ------------------------------------------------------

    def parse(self, cursor: Cursor) -> Tuple[ast.Instr, ...]:
        """Parse every remaining item of ``cursor`` as instructions."""
        work: List[Work] = [cursor]
        while work:
            item = work.pop()
            if isinstance(item, Cursor):
                self._sequence(item, work)
            else:
                item()
        if len(self.frames) > 1:
            frame = self.frames[-1]
            raise error_at(frame.token, "unexpected end of input")
        return tuple(self.frames[0].body)

    def _sequence(self, cursor: Cursor, work: List[Work]) -> None:
        while not cursor.at_end():
            node = cursor.advance()
            if isinstance(node, SList):
                work.append(cursor)
                self._folded(node, work)
                return
            if node.kind is not TokenKind.KEYWORD:
                raise misplaced(node)
            self._plain(node, cursor)

    def _plain(self, token: Token, cursor: Cursor) -> None:
        word = token.text
        block_op = _BLOCK_OPS.get(word)
        if block_op is not None:
            self._open(block_op, token, cursor)
            return
        handler = _STRUCTURE.get(word)
        if handler is not None:
            handler(self, token, cursor)
            return
        op = lookup(token)
        if op is None:
            raise misplaced(token)
        self._emit_plain(op, token, cursor)

    def _emit_plain(self, op: Op, token: Token, cursor: Cursor) -> None:
        row, args = read_immediates(self, cursor, op)
        self.starts.append(token)
        self.append(ast.Instr(row, args))

    def emit(self, instr: ast.Instr, token: Node) -> None:
        """Append a new plain instruction that starts at ``token``."""
        self.starts.append(token)
        self.append(instr)

    def append(self, instr: ast.Instr) -> None:
        if instr.op.name in _DATA_USERS:
            self.uses_data = True
        self.frames[-1].body.append(instr)

    # -- structured instructions -----------------------------------------------------

    def _open(self, op: Op, token: Node, cursor: Cursor) -> None:
        label_token = cursor.take(TokenKind.ID)
        label = id_name(label_token) if label_token is not None else None
        block_type = self.block_type(cursor)
        self._push(op, label, token, block_type, cursor if op is TRY_TABLE else None)

    def _push(
        self, op: Op, label: Optional[str], token: Node, block_type: ast.BlockType,
        catch_cursor: Optional[Cursor],
    ) -> None:
        catches: Tuple[ast.Catch, ...] = ()
        if catch_cursor is not None:
            catches = self._catches(catch_cursor)
        frame = Frame(op, label, token, block_type)
        frame.catches = catches
        self.starts.append(token)
        if label is not None:
            self.label_names.append((self.block_count, label))
        self.block_count += 1
        self.frames.append(frame)

    def _catches(self, cursor: Cursor) -> Tuple[ast.Catch, ...]:
        out: List[ast.Catch] = []
        while True:
            node = cursor.peek_list()
            if node is None or node.head not in _CATCH_KINDS:
                return tuple(out)
            cursor.advance()
            inner = Cursor(node, 1)
            kind = _CATCH_KINDS[node.head or ""]
            tag = None
            if kind in (ast.CatchKind.CATCH, ast.CatchKind.CATCH_REF):
                tag = self.context.tags.resolve(index_token(inner))
            label = self.label(index_token(inner))
            inner.expect_end()
            out.append(ast.Catch(kind, tag, label))

    def _check_end_label(self, frame: Frame, cursor: Cursor) -> None:
        token = cursor.take(TokenKind.ID)
        if token is not None and id_name(token) != frame.label:
            raise error_at(token, "mismatching label")

    def _current(self, token: Node, *ops: Op) -> Frame:
        frame = self.frames[-1]
        if frame.op not in ops:
            raise error_at(token, "unexpected token")
        return frame

    def do_else(self, token: Node, cursor: Optional[Cursor]) -> None:
        frame = self._current(token, IF)
        if frame.then_body is not None:
            raise error_at(token, "unexpected token")
        if cursor is not None:
            self._check_end_label(frame, cursor)
        frame.then_body = tuple(frame.body)
        frame.body = []

    def do_end(self, token: Node, cursor: Optional[Cursor]) -> None:
        if len(self.frames) == 1:
            raise error_at(token, "unexpected token")
        frame = self.frames[-1]
        if cursor is not None:
            self._check_end_label(frame, cursor)
        self.frames.pop()
        self.append(_close(frame))

    def do_catch(self, token: Node, tag: Optional[int]) -> None:
        frame = self._current(token, TRY)
        if frame.in_handler and frame.catch_tag is None:
            raise error_at(token, "unexpected token")  # nothing may follow catch_all
        _finish_segment(frame)
        frame.in_handler = True
        frame.catch_tag = tag

    def do_delegate(self, token: Node, label_token: Token) -> None:
        frame = self._current(token, TRY)
        if frame.in_handler:
            raise error_at(token, "unexpected token")
        self.frames.pop()  # the delegate label counts from outside the try
        depth = self.label(label_token)
        self.append(ast.Instr(TRY, (frame.block_type, tuple(frame.body), (), depth)))

    # -- folded instructions ----------------------------------------------------------

    def _folded(self, node: SList, work: List[Work]) -> None:
        if node.annotation is not None:
            return
        cursor = Cursor(node)
        head = cursor.peek()
        if not isinstance(head, Token) or head.kind is not TokenKind.KEYWORD:
            raise misplaced(head, node)
        cursor.advance()
        if head.text in _STRUCTURE:
            raise error_at(head, "unexpected token")
        handler = _FOLDED.get(head.text)
        if handler is not None:
            handler(self, head, cursor, work)
            return
        op = lookup(head)
        if op is None:
            raise misplaced(head)
        row, args = read_immediates(self, cursor, op)
        instr = ast.Instr(row, args)
        work.append(lambda: self.emit(instr, head))
        _push_operands(self, cursor, work)

    def _folded_block(self, token: Token, cursor: Cursor, work: List[Work]) -> None:
        op = _BLOCK_OPS[token.text]
        self._open(op, token, cursor)
        work.append(lambda: self.do_end(token, None))
        work.append(cursor)

    def _folded_if(self, token: Token, cursor: Cursor, work: List[Work]) -> None:
        label_token = cursor.take(TokenKind.ID)
        label = id_name(label_token) if label_token is not None else None
        block_type = self.block_type(cursor)
        conditions: List[SList] = []
        while True:
            node = cursor.peek_list()
            if node is None or node.head in ("then", "else"):
                break
            conditions.append(node)
            cursor.advance()
        then_node = cursor.expect_list("then")
        else_node = cursor.take_list("else")
        cursor.expect_end()
        work.append(lambda: self.do_end(token, None))
        if else_node is not None:
            work.append(Cursor(else_node, 1))
            work.append(lambda: self.do_else(else_node, None))  # type: ignore[arg-type]
        work.append(Cursor(then_node, 1))
        work.append(lambda: self._push(IF, label, token, block_type, None))
        for condition in reversed(conditions):
            work.append(_folder(self, condition, work))

    def _folded_try(self, token: Token, cursor: Cursor, work: List[Work]) -> None:
        label_token = cursor.take(TokenKind.ID)
        label = id_name(label_token) if label_token is not None else None
        block_type = self.block_type(cursor)
        do_node = cursor.expect_list("do")
        steps: List[Work] = [lambda: self._push(TRY, label, token, block_type, None)]
        steps.append(Cursor(do_node, 1))
        delegate = cursor.take_list("delegate")
        if delegate is not None:
            inner = Cursor(delegate, 1)
            target = index_token(inner)
            inner.expect_end()
            steps.append(lambda: self.do_delegate(delegate, target))  # type: ignore[arg-type]
        else:
            self._folded_handlers(cursor, steps, token)
        cursor.expect_end()
        work.extend(reversed(steps))

    def _folded_handlers(self, cursor: Cursor, steps: List[Work], token: Token) -> None:
        while True:
            node = cursor.take_list("catch")
            if node is None:
                break
            inner = Cursor(node, 1)
            tag = self.context.tags.resolve(index_token(inner))
            steps.append(_bind(self.do_catch, node, tag))
            steps.append(inner)
        catch_all = cursor.take_list("catch_all")
        if catch_all is not None:
            steps.append(_bind(self.do_catch, catch_all, None))
            steps.append(Cursor(catch_all, 1))
        steps.append(lambda: self.do_end(token, None))


def _bind(method: Callable[[Node, Optional[int]], None], node: Node, tag: Optional[int]) -> Callable[[], None]:
    return lambda: method(node, tag)


def _folder(parser: BodyParser, node: SList, work: List[Work]) -> Callable[[], None]:
    """Work that unfolds ``node`` when it is reached (keeps source order)."""
    return lambda: parser._folded(node, work)


def _push_operands(parser: BodyParser, cursor: Cursor, work: List[Work]) -> None:
    operands: List[SList] = []
    while not cursor.at_end():
        node = cursor.advance()
        if not isinstance(node, SList):
            raise misplaced(node)
        operands.append(node)
    for node in reversed(operands):
        work.append(_folder(parser, node, work))


def _finish_segment(frame: Frame) -> None:
    body = tuple(frame.body)
    if not frame.in_handler:
        frame.legacy = [body]
    else:
        frame.legacy.append(ast.LegacyCatch(frame.catch_tag, body))
    frame.body = []


def _close(frame: Frame) -> ast.Instr:
    op = frame.op
    body = tuple(frame.body)
    if op is IF:
        if frame.then_body is None:
            return ast.Instr(IF, (frame.block_type, body, None))
        return ast.Instr(IF, (frame.block_type, frame.then_body, body))
    if op is TRY_TABLE:
        return ast.Instr(TRY_TABLE, (frame.block_type, frame.catches, body))
    if op is TRY:
        _finish_segment(frame)
        return ast.Instr(TRY, (frame.block_type, frame.legacy[0], tuple(frame.legacy[1:]), None))
    if op is None:
        raise InternalError("the function body frame is never closed by 'end'")
    return ast.Instr(op, (frame.block_type, body))


def _plain_else(parser: BodyParser, token: Token, cursor: Cursor) -> None:
    parser.do_else(token, cursor)


def _plain_end(parser: BodyParser, token: Token, cursor: Cursor) -> None:
    parser.do_end(token, cursor)


def _plain_catch(parser: BodyParser, token: Token, cursor: Cursor) -> None:
    tag = parser.context.tags.resolve(index_token(cursor))
    parser.do_catch(token, tag)


def _plain_catch_all(parser: BodyParser, token: Token, cursor: Cursor) -> None:
    parser.do_catch(token, None)


def _plain_delegate(parser: BodyParser, token: Token, cursor: Cursor) -> None:
    parser.do_delegate(token, index_token(cursor))


_STRUCTURE = {
    "else": _plain_else,
    "end": _plain_end,
    "catch": _plain_catch,
    "catch_all": _plain_catch_all,
    "delegate": _plain_delegate,
}

_FOLDED = {
    "block": BodyParser._folded_block,
    "loop": BodyParser._folded_block,
    "try_table": BodyParser._folded_block,
    "if": BodyParser._folded_if,
    "try": BodyParser._folded_try,
}

#: Rows whose use makes the reference tool emit a data count section.
_DATA_USERS = frozenset(
    op.name for op in BY_MNEMONIC.values() if Imm.DATA in op.imms
)


def type_use(
    context: ModuleContext,
    types: TypeParser,
    cursor: Cursor,
    names: Optional[List[Optional[Token]]] = None,
    named: bool = True,
) -> int:
    """``(type x)? (param ...)* (result ...)*``: the type index it denotes.

    With an explicit index, inline params/results must match it ("inline function
    type"); without, the first matching plain definition is used or a new one is
    appended. Parameter ids are collected into ``names`` when given.
    """
    ref = cursor.take_list("type")
    explicit: Optional[int] = None
    if ref is not None:
        inner = Cursor(ref, 1)
        explicit = types.type_index(inner.next())
        inner.expect_end()
    start = cursor.peek()
    declared: List[Optional[Token]] = []
    params = types.params(cursor, declared, named)
    results = types.results(cursor)
    late = cursor.peek_list()
    if late is not None and late.head in ("type", "param", "result"):
        raise error_at(late, "unexpected token")  # out of order
    if explicit is None:
        if names is not None:
            names.extend(declared)
        return context.type_use(T.FuncType(tuple(params), tuple(results)))
    defined = context.func_type_at(explicit)
    if params or results:
        if explicit >= len(context.defined):
            raise error_at(ref, "unknown type")
        if defined is None or defined != T.FuncType(tuple(params), tuple(results)):
            raise error_at(start, "inline function type")
        if names is not None:
            names.extend(declared)
    elif names is not None and defined is not None:
        names.extend([None] * len(defined.params))
    return explicit


__all__ = ["BodyParser", "type_use"]
