"""The WAST script parser, on top of the text format's S-expression reader.

:func:`parse_script` reads a whole ``.wast`` file into a
:class:`~wasmport.script.ast.Script`. Modules are not parsed here: each keeps
its S-expression (or its binary or quoted strings) for the runner, so a
malformed module inside ``assert_malformed`` cannot stop the script.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Tuple, Union

from ..errors import ParseError
from ..text import sexpr
from ..text.lexer import Token, TokenKind
from ..text.sexpr import Node, SList
from .ast import (
    Action,
    ActionCommand,
    AssertException,
    AssertExhaustion,
    AssertInvalid,
    AssertInvalidCustom,
    AssertMalformed,
    AssertMalformedCustom,
    AssertReturn,
    AssertTrap,
    AssertUninstantiable,
    AssertUnlinkable,
    BinaryModule,
    Command,
    Get,
    InstanceCommand,
    Invoke,
    ModuleCommand,
    ModuleSource,
    QuoteModule,
    Register,
    Script,
    TextModule,
    Thread,
    Wait,
)
from .cursor import Cursor, head_of
from .values import parse_result, parse_value

# ---------------------------------------------------------------- modules


def _strings(cursor: Cursor) -> List[bytes]:
    strings: List[bytes] = []
    while not cursor.at_end():
        strings.append(cursor.string_bytes())
    return strings


def _text_module(node: SList, definition: Optional[Node]) -> TextModule:
    """The module form as the text parser wants it: without ``definition``."""
    if definition is None:
        return TextModule(node)
    items = tuple(item for item in node.items if item is not definition)
    return TextModule(
        SList(items, node.line, node.column, None, node.end_line, node.end_column)
    )


def _module_source(cursor: Cursor, definition: Optional[Node]) -> ModuleSource:
    """The rest of a module form: ``binary``/``quote`` strings, or text fields."""
    if cursor.keyword("binary"):
        return BinaryModule(b"".join(_strings(cursor)))
    if cursor.keyword("quote"):
        first = cursor.peek()
        line, column = (first.line, first.column) if first is not None else (0, 0)
        return QuoteModule(b" ".join(_strings(cursor)), line, column)
    cursor.pos = len(cursor.items)
    return _text_module(cursor.node, definition)


def parse_module(node: SList, filename: str) -> Union[ModuleCommand, InstanceCommand]:
    """``(module ...)`` in any of its forms."""
    cursor = Cursor(node, filename)
    if cursor.keyword("instance"):
        instance = cursor.optional_id()
        definition = cursor.optional_id()
        cursor.finish()
        return InstanceCommand(instance, definition, node.line, node.column)
    definition_keyword = cursor.peek()
    if not cursor.keyword("definition"):
        definition_keyword = None
    module_id = cursor.optional_id()
    source = _module_source(cursor, definition_keyword)
    cursor.finish()
    return ModuleCommand(
        source, module_id, definition_keyword is not None, node.line, node.column
    )


def _module_operand(cursor: Cursor) -> ModuleCommand:
    node = cursor.list()
    if head_of(node) != "module":
        raise cursor.error("unexpected token", node)
    module = parse_module(node, cursor.filename)
    if not isinstance(module, ModuleCommand):
        raise cursor.error("unexpected token", node)
    return module


# ---------------------------------------------------------------- actions


def parse_action(node: SList, filename: str) -> Action:
    """``(invoke $m? "name" const*)`` or ``(get $m? "name")``."""
    cursor = Cursor(node, filename)
    head = cursor.head
    if head == "invoke":
        module = cursor.optional_id()
        name = cursor.string_text()
        args = []
        while not cursor.at_end():
            args.append(parse_value(cursor.list(), filename))
        return Invoke(module, name, tuple(args), node.line, node.column)
    if head == "get":
        module = cursor.optional_id()
        name = cursor.string_text()
        cursor.finish()
        return Get(module, name, node.line, node.column)
    raise cursor.error("unexpected token", node)


def _action_operand(cursor: Cursor) -> Action:
    return parse_action(cursor.list(), cursor.filename)


# ---------------------------------------------------------------- commands


def _register(cursor: Cursor) -> Command:
    name = cursor.string_text()
    module = cursor.optional_id()
    return Register(name, module, cursor.node.line, cursor.node.column)


def _action_command(cursor: Cursor) -> Command:
    node = cursor.node
    cursor.pos = len(cursor.items)
    return ActionCommand(parse_action(node, cursor.filename), node.line, node.column)


def _assert_return(cursor: Cursor) -> Command:
    action = _action_operand(cursor)
    results = []
    while not cursor.at_end():
        results.append(parse_result(cursor.list(), cursor.filename))
    return AssertReturn(action, tuple(results), cursor.node.line, cursor.node.column)


def _assert_trap(cursor: Cursor) -> Command:
    operand = cursor.peek()
    target: Union[Action, ModuleCommand]
    if head_of(operand) == "module":
        target = _module_operand(cursor)
    else:
        target = _action_operand(cursor)
    message = cursor.string_text()
    return AssertTrap(target, message, cursor.node.line, cursor.node.column)


def _assert_exhaustion(cursor: Cursor) -> Command:
    action = _action_operand(cursor)
    message = cursor.string_text()
    return AssertExhaustion(action, message, cursor.node.line, cursor.node.column)


def _assert_exception(cursor: Cursor) -> Command:
    action = _action_operand(cursor)
    return AssertException(action, cursor.node.line, cursor.node.column)


#: The constructor of a module assertion: (module, message, line, column).
ModuleAssertionClass = Callable[[ModuleCommand, str, int, int], Command]


def _module_assertion(cls: ModuleAssertionClass) -> Callable[[Cursor], Command]:
    def parse(cursor: Cursor) -> Command:
        module = _module_operand(cursor)
        message = cursor.string_text()
        return cls(module, message, cursor.node.line, cursor.node.column)

    return parse


def _thread(cursor: Cursor) -> Command:
    name = cursor.optional_id()
    shared: List[str] = []
    while head_of(cursor.peek()) == "shared":
        shared_cursor = Cursor(cursor.list(), cursor.filename)
        module = shared_cursor.list()
        inner = Cursor(module, cursor.filename)
        if inner.head != "module":
            raise inner.error("unexpected token", module)
        module_id = inner.optional_id()
        if module_id is None:
            raise inner.error("unexpected token")
        inner.finish()
        shared_cursor.finish()
        shared.append(module_id)
    for node in cursor.items[cursor.pos :]:
        if head_of(node) == "thread":
            raise cursor.error("nested thread", node)
    commands = tuple(parse_command(node, cursor.filename) for node in cursor.items[cursor.pos :])
    cursor.pos = len(cursor.items)
    return Thread(name, tuple(shared), commands, cursor.node.line, cursor.node.column)


def _wait(cursor: Cursor) -> Command:
    return Wait(cursor.optional_id(), cursor.node.line, cursor.node.column)


def _module_command(cursor: Cursor) -> Command:
    cursor.pos = len(cursor.items)
    return parse_module(cursor.node, cursor.filename)


_COMMANDS: Dict[str, Callable[[Cursor], Command]] = {
    "module": _module_command,
    "register": _register,
    "invoke": _action_command,
    "get": _action_command,
    "assert_return": _assert_return,
    "assert_trap": _assert_trap,
    "assert_exhaustion": _assert_exhaustion,
    "assert_exception": _assert_exception,
    "assert_malformed": _module_assertion(AssertMalformed),
    "assert_invalid": _module_assertion(AssertInvalid),
    "assert_unlinkable": _module_assertion(AssertUnlinkable),
    "assert_uninstantiable": _module_assertion(AssertUninstantiable),
    "assert_malformed_custom": _module_assertion(AssertMalformedCustom),
    "assert_invalid_custom": _module_assertion(AssertInvalidCustom),
    "thread": _thread,
    "wait": _wait,
}


def parse_command(node: Node, filename: str) -> Command:
    """One script command."""
    if not isinstance(node, SList):
        raise ParseError("unexpected token", node.line, node.column, filename)
    cursor = Cursor(node, filename)
    handler = _COMMANDS.get(cursor.head or "")
    if handler is None:
        raise cursor.error("unknown command", node)
    command = handler(cursor)
    cursor.finish()
    return command


def _is_annotation(node: Node) -> bool:
    return isinstance(node, SList) and node.annotation is not None


def _inline_module(nodes: Tuple[Node, ...]) -> Optional[ModuleCommand]:
    """A script that is just module fields (``(func) (memory 0)``) is one module."""
    first = next((node for node in nodes if not _is_annotation(node)), None)
    if first is None or head_of(first) in _COMMANDS:
        return None
    keyword = Token(TokenKind.KEYWORD, "module", first.line, first.column)
    node = SList((keyword,) + nodes, first.line, first.column)
    return ModuleCommand(TextModule(node), None, False, first.line, first.column)


def parse_script(source: Union[str, bytes], filename: Optional[str] = None) -> Script:
    """Parse a ``.wast`` script; raises :class:`~wasmport.errors.ParseError`."""
    name = filename or "<script>"
    try:
        nodes = sexpr.read(source, name)
        inline = _inline_module(nodes)
        if inline is not None:
            return Script(name, (inline,))
        commands = tuple(
            parse_command(node, name) for node in nodes if not _is_annotation(node)
        )
    except ParseError as error:
        if error.filename is None:
            error.filename = name
        raise
    return Script(name, commands)


__all__ = ["parse_action", "parse_command", "parse_module", "parse_script"]
