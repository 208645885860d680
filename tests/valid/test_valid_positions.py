"""Where validation errors point: the field and instruction the validator was
checking, and for modules parsed from text the line and column of it."""

from __future__ import annotations

from typing import Optional, Tuple

import pytest

from wasmport.binary import decode_module, encode_module
from wasmport.errors import ValidationError
from wasmport.syntax import ast
from wasmport.text import parse_module
from wasmport.text.sourcemap import source_map
from wasmport.valid import validate


def error_of(text: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate(parse_module(text))
    return caught.value


CASES = [
    # An instruction in a body (folded or plain; nested ones count in preorder).
    ("(module\n  (func (result i32)\n    i32.const 1\n    i64.const 2\n    i32.add))",
     ("func", 0), 2, (5, 5)),
    ("(module (func)\n (func\n  (block (nop) (if (i32.const 0) (then (i32.const 1))))))",
     ("func", 1), 3, (3, 17)),
    ("(module (func\n (block (result i32)\n   (nop))))", ("func", 0), 0, (2, 3)),
    ("(module (func (try (do) (catch 0))))", ("func", 0), 0, (1, 16)),
    # Module-level fields.
    ("(module\n (global i32 (i64.const 0)))", ("global", 0), None, (2, 2)),
    ('(module (func)\n (export "a" (func 0))\n (export "a" (func 0)))', ("export", 1), None, (3, 2)),
    ('(module (func (export "a")) (func (export "a")))', ("export", 1), None, (1, 29)),
    ("(module (type (func))\n (type (sub 0 (func))))", ("type", 1), None, (2, 2)),
    ("(module (func $f (param i32))\n (start $f))", ("start", 0), None, (2, 2)),
    ("(module (table 1 funcref)\n  (elem (i32.const 0) func 7))", ("elem", 0), None, (2, 3)),
    ("(module\n  (data (i32.const 0) \"\"))", ("data", 0), None, (2, 3)),
    ('(module\n (import "m" "t" (table 1 0 funcref)))', ("import", 0), None, (2, 2)),
    ("(module\n (func (type 9)))", ("func", 0), None, (2, 2)),
]


@pytest.mark.parametrize(("text", "field", "instr", "where"), CASES)
def test_text_errors_carry_line_and_column(
    text: str, field: Tuple[str, int], instr: Optional[int], where: Tuple[int, int]
) -> None:
    error = error_of(text)
    assert error.field == field
    if instr is not None:
        assert error.instr == instr
    assert (error.line, error.column) == where
    assert str(error).endswith(f"(at {where[0]}:{where[1]})")


def test_end_of_block_errors_point_at_the_block() -> None:
    error = error_of("(module (func\n  (block (result i32)) (loop (result i32) (i32.const 1) drop)))")
    assert error.message.startswith("type mismatch")
    assert (error.line, error.column) == (2, 4)


def test_binary_modules_keep_byte_offsets() -> None:
    binary = encode_module(parse_module("(module (func (result i32) i64.const 2))"))
    with pytest.raises(ValidationError) as caught:
        validate(decode_module(binary))
    error = caught.value
    assert error.field == ("func", 0) and error.line == 0
    assert str(error).endswith(f"(at offset 0x{error.offset:x})")


def test_positions_stay_outside_the_ast() -> None:
    text = "(module (func (result i32) i32.const 1))"
    first, second = parse_module(text), parse_module("\n\n" + text)
    assert first == second
    map_of_second = source_map(second)
    assert map_of_second is not None
    assert [(n.line, n.column) for n in map_of_second.funcs[0]] == [(3, 28)]
    assert source_map(ast.Module()) is None
