"""The trap classes and codes of ``wasmport.errors``."""

from __future__ import annotations

import pickle
import re
from pathlib import Path
from typing import Set

from wasmport.errors import Exhaustion, LinkError, Trap, TrapCode, WasmError, WasmException


def test_trap_defaults_to_the_code_message() -> None:
    trap = Trap(TrapCode.INTEGER_DIVISION_BY_ZERO)
    assert isinstance(trap, WasmError)
    assert trap.code is TrapCode.INTEGER_DIVISION_BY_ZERO
    assert trap.message == str(trap) == "integer divide by zero"
    custom = Trap(TrapCode.MEMORY_OUT_OF_BOUNDS, "out of bounds memory access at 0x10")
    assert custom.message == "out of bounds memory access at 0x10"
    assert custom.code.message == "out of bounds memory access"


def test_exhaustion_is_a_stack_overflow_trap() -> None:
    exhaustion = Exhaustion()
    assert isinstance(exhaustion, Trap)
    assert exhaustion.code is TrapCode.STACK_OVERFLOW
    assert exhaustion.message == "call stack exhausted"


def test_link_error_and_wasm_exception() -> None:
    assert LinkError("unknown import").message == "unknown import"
    payload = object()
    escaped = WasmException(payload)
    assert isinstance(escaped, WasmError) and escaped.exception is payload


def test_every_code_has_a_distinct_message() -> None:
    messages = [code.message for code in TrapCode]
    assert all(messages)
    assert len(set(messages)) == len(messages)


_ASSERTION = re.compile(r"\((assert_trap|assert_exhaustion)\b")


def _last_string(text: str, start: int) -> str:
    """The last string literal inside the form whose operands begin at ``start``."""
    depth, index, last = 1, start, ""
    while depth and index < len(text):
        char = text[index]
        if char == '"':
            end = index + 1
            while text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            last, index = text[index + 1 : end], end + 1
            continue
        if text.startswith(";;", index):
            index = text.find("\n", index)
            index = len(text) if index < 0 else index
            continue
        if text.startswith("(;", index):
            index = text.index(";)", index) + 2
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        index += 1
    return last


def test_every_spec_trap_message_has_a_code(spec_dir: Path) -> None:
    seen: Set[str] = set()
    for path in sorted(spec_dir.rglob("*.wast")):
        text = path.read_text(encoding="utf-8", errors="replace")
        seen.update(_last_string(text, match.end()) for match in _ASSERTION.finditer(text))
    assert "integer divide by zero" in seen and "call stack exhausted" in seen
    # The runner checks messages by prefix ("uninitialized element 2").
    unknown = {m for m in seen if not any(m.startswith(c.message) for c in TrapCode)}
    assert unknown == set()


def test_traps_survive_pickling() -> None:
    for error in (
        Trap(TrapCode.INTEGER_OVERFLOW),
        Trap(TrapCode.HEAP_MISALIGNED, "x"),
        Exhaustion(),
    ):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert (copy.code, copy.message) == (error.code, error.message)
    escaped = pickle.loads(pickle.dumps(WasmException(42)))
    assert escaped.exception == 42 and escaped.message == "uncaught exception"
