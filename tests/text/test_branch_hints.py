"""``@metadata.code.branch_hint`` annotations: the custom section they make
(byte for byte what wasm-tools writes), their malformed forms, and the checks of
:func:`wasmport.valid.custom.check_custom_sections`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Tuple

import pytest

from wasmport.binary import decode_module, encode_module
from wasmport.binary.branch_hints import (
    SECTION_NAME,
    BranchHint,
    FuncHints,
    body_offsets,
    decode_branch_hints,
    encode_branch_hints,
)
from wasmport.errors import DecodeError, ParseError, ValidationError
from wasmport.syntax import ast
from wasmport.syntax.walk import preorder
from wasmport.text import parse_module
from wasmport.valid import validate
from wasmport.valid.custom import check_custom_sections

WASM_TOOLS = shutil.which("wasm-tools")

NESTED = r"""(module
  (func $dummy)
  (func (param i32)
    (local i32)
    local.get 1
    local.get 0
    i32.eq
    (@metadata.code.branch_hint "\01") if
      return
    end)
  (func (param i32 i32) (result i32)
    (@metadata.code.branch_hint "\00")
    (if (result i32) (local.get 0)
      (then
        (if (local.get 1) (then (call $dummy)))
        (@metadata.code.branch_hint "\01")
        (if (result i32) (local.get 1) (then (i32.const 9)) (else (i32.const 10))))
      (else (block (@metadata.code.branch_hint "\00") (br_if 0 (local.get 1))) (i32.const 11)))))
"""


def hints_of(module: ast.Module) -> Tuple[FuncHints, ...]:
    (custom,) = [c for c in module.customs if c.name == SECTION_NAME]
    return decode_branch_hints(custom.data)


def test_hints_name_functions_and_body_offsets() -> None:
    module = parse_module(NESTED)
    validate(module)
    assert hints_of(module) == (
        (1, (BranchHint(8, True),)),
        (2, (BranchHint(3, False), BranchHint(14, True), BranchHint(27, False))),
    )
    # The section sits before the code section, after the last one present.
    assert module.customs[0].after is ast.SectionId.FUNCTION


def test_hint_inside_a_folded_instruction_hints_the_next_one_in_the_source() -> None:
    module = parse_module(
        r'(func (block (br_if 0 (@metadata.code.branch_hint "\00") (i32.const 1))))')
    # Like wasm-tools: the hint lands on i32.const (offset 3), which is no branch.
    assert hints_of(module) == ((0, (BranchHint(3, False),)),)
    validate(module)
    with pytest.raises(ValidationError, match="invalid target"):
        check_custom_sections(module)


STRUCTURED = r"""(module
  (tag $e (param i32))
  (memory 1)
  (func (param i32) (local i64 i64 f32)
    (block $b (loop $l (br_table $b $l 0 (local.get 0))))
    (try_table (catch $e 0) (nop))
    (try (do (i32.load offset=4 (i32.const 0)) (drop)) (catch $e (drop)) (catch_all))
    (try (do (nop)) (delegate 0))
    (if (local.get 0) (then (v128.const i64x2 1 2) (drop)) (else (i64.const -1) (local.set 1)))))
"""


@pytest.mark.parametrize("text", [NESTED, STRUCTURED])
def test_body_offsets_follow_the_encoder(text: str) -> None:
    module = parse_module(text)
    decoded = decode_module(encode_module(module))
    for func in decoded.funcs:
        assert func.offset >= 0 and all(instr.offset >= 0 for instr in preorder(func.body))
    # Offsets computed by encoding the parsed functions, and as decoded.
    assert [body_offsets(f) for f in module.funcs] == [body_offsets(f) for f in decoded.funcs]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (r'(module (@metadata.code.branch_hint "\01") (func))', "not in a function"),
        (r'(global i32 (@metadata.code.branch_hint "\01") (i32.const 0))', "not in a function"),
        (r'(func (@metadata.code.branch_hint "\02") (if (i32.const 0) (then)))', "invalid hint value"),
        (r'(func (@metadata.code.branch_hint "\00\01") (if (i32.const 0) (then)))', "invalid hint value"),
        (r'(func (@metadata.code.branch_hint 1) (if (i32.const 0) (then)))', "unexpected token"),
        (r'(func (if (i32.const 0) (then)) (@metadata.code.branch_hint "\00"))', "invalid placement"),
        (r'(func (i32.const 0) (@metadata.code.branch_hint "\00") (@metadata.code.branch_hint "\00")'
         r' (if (then)))', "duplicate annotation"),
    ],
)
def test_malformed_annotations(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=f"@metadata.code.branch_hint annotation: {message}"):
        parse_module(text)


def test_invalid_target_is_a_validation_error_of_the_section_only() -> None:
    module = parse_module(r'(func (local.get 0) (@metadata.code.branch_hint "\01") (drop)) (func)'
                          .replace("(local.get 0)", "(i32.const 0)"))
    validate(module)  # core validation ignores custom sections
    with pytest.raises(ValidationError, match="invalid target") as caught:
        check_custom_sections(module)
    assert (caught.value.line, caught.value.column) == (1, 57)  # the hinted drop


def test_binary_section_structure_and_offsets() -> None:
    module = parse_module(r'(func (br_if 0 (i32.const 1)))')
    good = encode_branch_hints([(0, (BranchHint(3, True),))])
    check_custom_sections(ast.Module(**{**module.__dict__, "customs": (
        ast.CustomSection(SECTION_NAME, good),)}))
    for payload, error, message in [
        (b"\x01\x00\x01\x03\x02\x01", DecodeError, "missing reserved byte"),
        (b"\x01\x00\x01\x03\x01\x07", DecodeError, "invalid hint value"),
        (b"\x01\x00\x01\x04\x01\x01", DecodeError, "invalid offset"),
        (b"\x01\x05\x01\x03\x01\x01", DecodeError, "unknown function"),
        (b"\x01\x00\x01\x01\x01\x01", ValidationError, "invalid target"),
        (b"\x01\x00\x02\x03\x01\x01\x03\x01\x01", ValidationError, "invalid order"),
        (b"\x01\x00\x01", DecodeError, "unexpected end"),
    ]:
        broken = ast.Module(**{**module.__dict__, "customs": (ast.CustomSection(SECTION_NAME, payload),)})
        with pytest.raises(error, match=message):
            check_custom_sections(broken)


@pytest.mark.skipif(WASM_TOOLS is None, reason="wasm-tools not on PATH")
def test_same_bytes_as_wasm_tools(tmp_path: Path) -> None:
    assert WASM_TOOLS is not None
    source = tmp_path / "hints.wat"
    source.write_text(NESTED)
    theirs = subprocess.run([WASM_TOOLS, "parse", str(source)], check=True, capture_output=True).stdout
    assert encode_module(parse_module(NESTED)) == theirs
