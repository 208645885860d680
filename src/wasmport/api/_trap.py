"""``Trap``, ``TrapCode`` and ``Frame``, and the boundary every call into Wasm
passes (runtime traps, including running out of fuel and epoch interrupts,
and WASI exits become facade errors)."""

from __future__ import annotations

import re
from enum import Enum
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Tuple

from .. import errors
from ._error import ExitTrap, WasmtimeError

if TYPE_CHECKING:
    from ._store import Store


class TrapCode(Enum):
    """Why Wasm trapped (the members and values of wasmtime-py 46)."""

    STACK_OVERFLOW = 0
    MEMORY_OUT_OF_BOUNDS = 1
    HEAP_MISALIGNED = 2
    TABLE_OUT_OF_BOUNDS = 3
    INDIRECT_CALL_TO_NULL = 4
    BAD_SIGNATURE = 5
    INTEGER_OVERFLOW = 6
    INTEGER_DIVISION_BY_ZERO = 7
    BAD_CONVERSION_TO_INTEGER = 8
    UNREACHABLE = 9
    INTERRUPT = 10
    OUT_OF_FUEL = 11
    ATOMIC_WAIT_NON_SHARED_MEMORY = 12
    NULL_REFERENCE = 13
    ARRAY_OUT_OF_BOUNDS = 14
    ALLOCATION_TOO_LARGE = 15
    CAST_FAILURE = 16
    CANNOT_ENTER_COMPONENT = 17
    NO_ASYNC_RESULT = 18
    UNHANDLED_TAG = 19
    CONTINUATION_ALREADY_CONSUMED = 20
    DISABLED_OPCODE = 21
    ASYNC_DEADLOCK = 22
    CANNOT_LEAVE_COMPONENT = 23
    CANNOT_BLOCK_SYNC_TASK = 24
    INVALID_CHAR = 25
    DEBUG_ASSERT_STRING_ENCODING_FINISHED = 26
    DEBUG_ASSERT_EQUAL_CODE_UNITS = 27
    DEBUG_ASSERT_POINTER_ALIGNED = 28
    DEBUG_ASSERT_UPPER_BITS_UNSET = 29
    STRING_OUT_OF_BOUNDS = 30
    LIST_OUT_OF_BOUNDS = 31
    INVALID_DISCRIMINANT = 32
    UNALIGNED_POINTER = 33
    TASK_CANCEL_NOT_CANCELLED = 34
    TASK_CANCEL_OR_RETURN_TWICE = 35
    SUBTASK_CANCEL_AFTER_TERMINAL = 36
    TASK_RETURN_INVALID = 37
    WAITABLE_SET_DROP_HAS_WAITERS = 38
    SUBTASK_DROP_NOT_RESOLVED = 39
    THREAD_NEW_INDIRECT_INVALID_TYPE = 40
    THREAD_NEW_INDIRECT_UNINITIALIZED = 41
    BACKPRESSURE_OVERFLOW = 42
    UNSUPPORTED_CALLBACK_CODE = 43
    CANNOT_RESUME_THREAD = 44
    CONCURRENT_FUTURE_STREAM_OP = 45


_RT = errors.TrapCode
#: The runtime's trap codes as facade codes, with Wasmtime's message.
_CODES: Dict[errors.TrapCode, Tuple[TrapCode, str]] = {
    _RT.STACK_OVERFLOW: (TrapCode.STACK_OVERFLOW, "call stack exhausted"),
    _RT.MEMORY_OUT_OF_BOUNDS: (TrapCode.MEMORY_OUT_OF_BOUNDS, "out of bounds memory access"),
    _RT.HEAP_MISALIGNED: (TrapCode.HEAP_MISALIGNED, "unaligned atomic"),
    _RT.TABLE_OUT_OF_BOUNDS: (TrapCode.TABLE_OUT_OF_BOUNDS,
                              "undefined element: out of bounds table access"),
    _RT.INDIRECT_CALL_TO_NULL: (TrapCode.INDIRECT_CALL_TO_NULL, "uninitialized element"),
    _RT.UNINITIALIZED_ELEMENT: (TrapCode.INDIRECT_CALL_TO_NULL, "uninitialized element"),
    _RT.UNDEFINED_ELEMENT: (TrapCode.TABLE_OUT_OF_BOUNDS,
                            "undefined element: out of bounds table access"),
    _RT.BAD_SIGNATURE: (TrapCode.BAD_SIGNATURE, "indirect call type mismatch"),
    _RT.INTEGER_OVERFLOW: (TrapCode.INTEGER_OVERFLOW, "integer overflow"),
    _RT.INTEGER_DIVISION_BY_ZERO: (TrapCode.INTEGER_DIVISION_BY_ZERO, "integer divide by zero"),
    _RT.BAD_CONVERSION_TO_INTEGER: (TrapCode.BAD_CONVERSION_TO_INTEGER,
                                    "invalid conversion to integer"),
    _RT.UNREACHABLE_CODE_REACHED: (TrapCode.UNREACHABLE,
                                   "wasm `unreachable` instruction executed"),
    _RT.INTERRUPT: (TrapCode.INTERRUPT, "interrupt"),
    _RT.OUT_OF_FUEL: (TrapCode.OUT_OF_FUEL, "all fuel consumed by WebAssembly"),
    _RT.NULL_REFERENCE: (TrapCode.NULL_REFERENCE, "null reference"),
    _RT.NULL_STRUCTURE_REFERENCE: (TrapCode.NULL_REFERENCE, "null reference"),
    _RT.NULL_ARRAY_REFERENCE: (TrapCode.NULL_REFERENCE, "null reference"),
    _RT.NULL_I31_REFERENCE: (TrapCode.NULL_REFERENCE, "null reference"),
    _RT.NULL_DESCRIPTOR_REFERENCE: (TrapCode.NULL_REFERENCE, "null reference"),
    _RT.ARRAY_OUT_OF_BOUNDS: (TrapCode.ARRAY_OUT_OF_BOUNDS, "out of bounds array access"),
    _RT.ALLOCATION_TOO_LARGE: (TrapCode.ALLOCATION_TOO_LARGE, "allocation size too large"),
    _RT.CAST_FAILURE: (TrapCode.CAST_FAILURE, "cast failure"),
    _RT.DESCRIPTOR_CAST_FAILURE: (TrapCode.CAST_FAILURE, "cast failure"),
}


class Frame:
    """One Wasm frame of a trap's backtrace."""

    def __init__(self, func_index: int, func_name: Optional[str], module_name: Optional[str],
                 func_offset: int, module_offset: int) -> None:
        self.func_index = func_index
        self.func_name = func_name
        self.module_name = module_name
        self.func_offset = func_offset
        self.module_offset = module_offset

    def close(self) -> None:
        """Nothing to release (wasmtime-py compatibility)."""

    def __repr__(self) -> str:
        return f"Frame({self._label()} at {self.module_offset:#x})"

    def _label(self) -> str:
        func = self.func_name or f"<wasm function {self.func_index}>"
        return f"{self.module_name or '<unknown>'}!{func}"


class Trap(Exception):
    """A Wasm trap. ``Trap(message)`` is a user trap a host function may raise.

    ``message`` and ``str()`` give Wasmtime's text (with the backtrace for
    traps raised by Wasm); ``frames`` the backtrace; ``trap_code`` the
    :class:`TrapCode` (None for user traps). Not a ``WasmtimeError``.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.frames: List[Frame] = []
        self.trap_code: Optional[TrapCode] = None

    def __str__(self) -> str:
        return self.message

    def close(self) -> None:
        """Nothing to release (wasmtime-py compatibility)."""

    def __enter__(self) -> Trap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @classmethod
    def _with_code(cls, code: TrapCode, reason: str, frames: List[Frame]) -> Trap:
        cause = f"wasm trap: {reason}"
        if frames:
            lines = "".join(f"{i:>5}: {frame.module_offset:#8x} - {frame._label()}\n"
                            for i, frame in enumerate(frames))
            message = (f"error while executing at wasm backtrace:\n{lines}\n"
                       f"Caused by:\n    {cause}\n")
        else:
            message = cause
        trap = cls(message)
        trap.frames = frames
        trap.trap_code = code
        return trap


_FUNC_NAME = re.compile(r"^[FB](\d+)$")


def _wasm_frames(store: Store, tb: Optional[TracebackType]) -> List[Frame]:
    """The Wasm frames of a traceback, innermost first."""
    from ..engines.portable.compiled import is_tail_entry, wasm_offset

    found: List[Tuple[Any, int, int]] = []
    while tb is not None:
        code = tb.tb_frame.f_code
        match = None if is_tail_entry(code) else _FUNC_NAME.match(code.co_name)
        instance = tb.tb_frame.f_globals.get("INST") if match else None
        if match and instance is not None:
            found.append((instance, int(match.group(1)),
                          wasm_offset(code.co_filename, tb.tb_lineno)))
        tb = tb.tb_next
    return [_frame(store, instance, index, at) for instance, index, at in reversed(found)]


def _frame(store: Store, instance: Any, index: int, at: int = -1) -> Frame:
    """The frame of function ``index`` of ``instance`` executing the instruction
    at byte offset ``at`` (-1: unknown, the function's first instruction)."""
    module = store._instance_modules.get(instance)
    func_name = module_name = None
    offset = func_offset = 0
    if module is not None:
        names = module.names
        if names is not None:
            module_name = names.module
            func_name = dict(names.funcs).get(index)
        defined = index - (len(module.func_type_indices) - len(module.funcs))
        if 0 <= defined < len(module.funcs):
            func = module.funcs[defined]
            offset = at if at >= 0 else _code_offset(func)
            func_offset = offset - func.offset if func.offset >= 0 else 0
    return Frame(index, func_name, module_name, func_offset, offset)


def _code_offset(func: Any) -> int:
    """Where a function's code starts: its first instruction."""
    body = func.body
    if body and body[0].offset >= 0:
        return int(body[0].offset)
    return max(int(func.offset), 0)


def _runtime_trap(store: Store, error: errors.Trap) -> Trap:
    code, reason = _CODES.get(error.code, (TrapCode.UNREACHABLE, error.message))
    return Trap._with_code(code, reason, _wasm_frames(store, error.__traceback__))


def run_wasm(store: Store, call: Callable[..., Any], *args: Any) -> Any:
    """Run ``call(*args)`` (which enters Wasm) on ``store``, translating errors."""
    from ..wasi.context import WasiExit

    try:
        store.ptr()
        return call(*args)
    except errors.Trap as error:
        raise _runtime_trap(store, error) from None
    except WasiExit as error:
        raise ExitTrap(error.code) from None
    except errors.WasmException as error:
        raise WasmtimeError(f"uncaught Wasm exception: {error.message}") from None
    except errors.LinkError as error:
        raise WasmtimeError(str(error)) from None


__all__ = ["Frame", "Trap", "TrapCode", "run_wasm"]
