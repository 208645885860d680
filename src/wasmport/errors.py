"""One exception class per phase, all under :class:`WasmError`.

The classes mirror the kinds of assertion in the spec's ``.wast`` scripts:

* :class:`DecodeError`     -- a malformed binary module (``assert_malformed`` on binaries)
* :class:`ParseError`      -- malformed text (``assert_malformed`` on ``module quote``)
* :class:`ValidationError` -- an invalid module (``assert_invalid``)

* :class:`LinkError`       -- a module cannot be linked (``assert_unlinkable``)
* :class:`Trap`            -- execution trapped (``assert_trap``); carries a :class:`TrapCode`
* :class:`Exhaustion`      -- the call stack is exhausted (``assert_exhaustion``)
* :class:`WasmException`   -- a Wasm exception escaped to the host (``assert_exception``)

:class:`InternalError` is for "cannot happen" conditions and is *not* a Wasm
error: seeing it always means a bug in wasmport.
"""

from __future__ import annotations

import enum
from typing import Any, Dict, Optional, Tuple


class WasmError(Exception):
    """Base class of every error that wasmport reports about Wasm input."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DecodeError(WasmError):
    """A binary module is malformed. ``offset`` is the byte offset of the problem."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset

    def __str__(self) -> str:
        return f"{self.message} (at offset 0x{self.offset:x})"


class ParseError(WasmError):
    """Text (WAT or WAST) is malformed. Positions are 1-based line and column."""

    def __init__(
        self, message: str, line: int, column: int, filename: Optional[str] = None
    ) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.filename = filename

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}"
        if self.filename:
            where = f"{self.filename}:{where}"
        return f"{where}: {self.message}"


class ValidationError(WasmError):
    """A module is well formed but invalid. ``offset`` is the byte offset (or -1).

    ``field`` (kind and index, such as ``("func", 2)`` for the third defined
    function) and ``instr`` (the instruction's index in that function's body,
    nested instructions counted right after their block) say what was being
    checked; for a module parsed from text, ``line``/``column`` locate it in
    the source (0 when unknown).
    """

    def __init__(self, message: str, offset: int = -1) -> None:
        super().__init__(message)
        self.offset = offset
        self.field: Optional[Tuple[str, int]] = None
        self.instr = -1
        self.line = 0
        self.column = 0

    def __str__(self) -> str:
        if self.line > 0:
            return f"{self.message} (at {self.line}:{self.column})"
        if self.offset < 0:
            return self.message
        return f"{self.message} (at offset 0x{self.offset:x})"


class LinkError(WasmError):
    """A module cannot be instantiated against its imports.

    Messages follow the reference interpreter: "unknown import",
    "incompatible import type".
    """


class TrapCode(enum.Enum):
    """Why execution trapped. Names follow Wasmtime's ``TrapCode``; ``message``
    is the spec reference interpreter's string (what ``assert_trap`` expects).

    Every distinct trap message of the spec suite has exactly one code.
    """

    STACK_OVERFLOW = 1
    MEMORY_OUT_OF_BOUNDS = 2
    HEAP_MISALIGNED = 3
    TABLE_OUT_OF_BOUNDS = 4
    #: ``call_ref``/``return_call_ref`` on a null function reference.
    INDIRECT_CALL_TO_NULL = 5
    BAD_SIGNATURE = 6
    INTEGER_OVERFLOW = 7
    INTEGER_DIVISION_BY_ZERO = 8
    BAD_CONVERSION_TO_INTEGER = 9
    UNREACHABLE_CODE_REACHED = 10
    INTERRUPT = 11
    OUT_OF_FUEL = 12
    NULL_REFERENCE = 13
    ARRAY_OUT_OF_BOUNDS = 14
    ALLOCATION_TOO_LARGE = 15
    CAST_FAILURE = 16
    #: ``call_indirect`` through a null table entry.
    UNINITIALIZED_ELEMENT = 17
    #: ``call_indirect`` with an index past the end of the table.
    UNDEFINED_ELEMENT = 18
    NULL_STRUCTURE_REFERENCE = 19
    NULL_ARRAY_REFERENCE = 20
    NULL_I31_REFERENCE = 21
    NULL_DESCRIPTOR_REFERENCE = 22
    DESCRIPTOR_CAST_FAILURE = 23

    @property
    def message(self) -> str:
        """The spec's message for this trap."""
        return _TRAP_MESSAGES[self]


_TRAP_MESSAGES: Dict[TrapCode, str] = {
    TrapCode.STACK_OVERFLOW: "call stack exhausted",
    TrapCode.MEMORY_OUT_OF_BOUNDS: "out of bounds memory access",
    TrapCode.HEAP_MISALIGNED: "unaligned atomic",
    TrapCode.TABLE_OUT_OF_BOUNDS: "out of bounds table access",
    TrapCode.INDIRECT_CALL_TO_NULL: "null function reference",
    TrapCode.BAD_SIGNATURE: "indirect call type mismatch",
    TrapCode.INTEGER_OVERFLOW: "integer overflow",
    TrapCode.INTEGER_DIVISION_BY_ZERO: "integer divide by zero",
    TrapCode.BAD_CONVERSION_TO_INTEGER: "invalid conversion to integer",
    TrapCode.UNREACHABLE_CODE_REACHED: "unreachable",
    TrapCode.INTERRUPT: "interrupt",
    TrapCode.OUT_OF_FUEL: "all fuel consumed",
    TrapCode.NULL_REFERENCE: "null reference",
    TrapCode.ARRAY_OUT_OF_BOUNDS: "out of bounds array access",
    TrapCode.ALLOCATION_TOO_LARGE: "allocation too large",
    TrapCode.CAST_FAILURE: "cast failure",
    TrapCode.UNINITIALIZED_ELEMENT: "uninitialized element",
    TrapCode.UNDEFINED_ELEMENT: "undefined element",
    TrapCode.NULL_STRUCTURE_REFERENCE: "null structure reference",
    TrapCode.NULL_ARRAY_REFERENCE: "null array reference",
    TrapCode.NULL_I31_REFERENCE: "null i31 reference",
    TrapCode.NULL_DESCRIPTOR_REFERENCE: "null descriptor reference",
    TrapCode.DESCRIPTOR_CAST_FAILURE: "descriptor cast failure",
}


class Trap(WasmError):
    """Execution trapped. ``code`` says why; the message defaults to the code's."""

    def __init__(self, code: TrapCode, message: Optional[str] = None) -> None:
        super().__init__(code.message if message is None else message)
        self.code = code

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        return (type(self), (self.code, self.message))


class Exhaustion(Trap):
    """The call stack reached the configured maximum depth."""

    def __init__(self, message: Optional[str] = None) -> None:
        super().__init__(TrapCode.STACK_OVERFLOW, message)

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        return (type(self), (self.message,))


class WasmException(WasmError):
    """A Wasm exception was thrown and not caught before reaching the host.

    ``exception`` is the runtime's exception instance (tag and payload).
    """

    def __init__(self, exception: object, message: str = "uncaught exception") -> None:
        super().__init__(message)
        self.exception = exception

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        return (type(self), (self.exception, self.message))


class InternalError(Exception):
    """A condition wasmport's own invariants rule out: always a wasmport bug."""


__all__ = [
    "DecodeError",
    "Exhaustion",
    "InternalError",
    "LinkError",
    "ParseError",
    "Trap",
    "TrapCode",
    "ValidationError",
    "WasmError",
    "WasmException",
]
