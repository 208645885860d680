"""The keywords of the text format that are not instructions, and the error a
token gets where it does not fit.

The reference parser reports a misplaced *known* keyword (``param`` after the
body started, ``nan:canonical`` outside a script) as "unexpected token", and
a word it does not know at all (``get_local``, ``anyfunc``, ``0x``) as
"unknown operator"; so do we.
"""

from __future__ import annotations

from typing import Optional

from ..errors import ParseError
from ..syntax import types as T
from ..syntax.opcodes import BY_MNEMONIC
from .lexer import Token, TokenKind
from .sexpr import Node

_MODULE_WORDS = (
    "module type rec sub final func struct array field mut param result local "
    "global table memory tag elem data import export start offset item declare "
    "then do ref null exact shared pagesize describes descriptor definition "
    "binary quote instance i8 i16 before after first last"
)
_SCRIPT_WORDS = (
    "register invoke get assert_return assert_trap assert_exhaustion assert_invalid "
    "assert_malformed assert_unlinkable assert_uninstantiable assert_exception "
    "either thread wait script input output nan:canonical nan:arithmetic ref.extern "
    "ref.host ref.any ref.eq ref.i31 ref.struct ref.array ref.exn"
)

#: Every keyword the text format (or a script) knows besides instruction names.
SYNTAX_KEYWORDS = frozenset(
    _MODULE_WORDS.split()
    + _SCRIPT_WORDS.split()
    + [t.text for t in T.NumType]
    + [t.text for t in T.AbsHeapType]
    + [f"{t.text}ref" for t in T.AbsHeapType]
    + ["nullref", "nullfuncref", "nullexternref", "nullexnref"]
    + [mnemonic.split(" ", 1)[0] for mnemonic in BY_MNEMONIC]
)


def misplaced(token: Optional[Node], container_end: Optional[Node] = None) -> ParseError:
    """The error for ``token`` found where something else was expected."""
    if isinstance(token, Token):
        if token.kind is TokenKind.RESERVED:
            return ParseError("unknown operator", token.line, token.column)
        if token.kind is TokenKind.KEYWORD and token.text not in SYNTAX_KEYWORDS:
            return ParseError(f"unknown operator {token.text}", token.line, token.column)
    where = token if token is not None else container_end
    if where is None:
        return ParseError("unexpected token", 0, 0)
    return ParseError("unexpected token", where.line, where.column)


__all__ = ["SYNTAX_KEYWORDS", "misplaced"]
