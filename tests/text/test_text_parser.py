"""The module parser: every field form, type uses, instructions (flat and
folded), names, and malformed text with the spec's messages and positions."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wasmport.errors import ParseError
from wasmport.syntax import ast, opcodes
from wasmport.syntax import types as T
from wasmport.text import module_from_sexpr, parse_module
from wasmport.text.sexpr import SList, read


def body(source: str, index: int = 0) -> ast.Expr:
    return parse_module(source).funcs[index].body


def mnemonics(expr: ast.Expr) -> list:
    return [instr.op.mnemonic for instr in expr]


def test_bare_fields_and_module_wrapper_agree() -> None:
    text = '(func (export "f") (result i32) i32.const 7)'
    wrapped = parse_module(f"(module $m {text})")
    assert wrapped.names == ast.Names(module="m")
    assert parse_module(text) == replace(wrapped, names=None)


def test_module_from_sexpr_accepts_definition_and_name() -> None:
    (node,) = read("(module definition $m (memory 1))")
    assert isinstance(node, SList)
    module = module_from_sexpr(node)
    assert len(module.memories) == 1
    assert module.names is not None and module.names.module == "m"


def test_imports_take_the_first_indices() -> None:
    module = parse_module(
        """
        (import "a" "f" (func $imported (param i32)))
        (func $g (import "a" "g") (result i32))
        (global $x (import "a" "x") (mut i64))
        (func $local (export "local") call $imported call $g)
        """
    )
    assert [imp.name for imp in module.imports] == ["f", "g", "x"]
    assert module.exports == (ast.Export("local", ast.ExternKind.FUNC, 2),)
    call_imported, call_g = module.funcs[0].body
    assert call_imported.args == (0,) and call_g.args == (1,)


def test_import_after_definition_is_malformed() -> None:
    with pytest.raises(ParseError, match="import after function"):
        parse_module('(func) (import "a" "b" (func))')
    with pytest.raises(ParseError, match="import after global"):
        parse_module('(global i32 (i32.const 0)) (memory (import "a" "m") 1)')


def test_implicit_types_are_appended_and_reused() -> None:
    module = parse_module(
        """
        (type $t (func (param i32)))
        (func (param i32))
        (func (result f64) f64.const 0)
        (func (result f64) f64.const 1)
        (func (param i64) (result i64 i64) (block (param i64) (result i64 i64) unreachable))
        """
    )
    assert [f.type_index for f in module.funcs] == [0, 1, 1, 2]
    assert module.func_type(1) == T.FuncType((), (T.F64,))
    assert module.func_type(2) == T.FuncType((T.I64,), (T.I64, T.I64))
    block = module.funcs[3].body[0]
    assert block.args[0] == 2


def test_rec_group_types_are_not_reused_for_type_uses() -> None:
    module = parse_module("(rec (type (func))) (func)")
    assert len(module.types) == 2 and module.funcs[0].type_index == 1


def test_inline_function_type_must_match() -> None:
    with pytest.raises(ParseError, match="inline function type"):
        parse_module("(type $t (func (param i32))) (func (type $t) (param i64))")
    with pytest.raises(ParseError, match="unknown type"):
        parse_module("(func (type 3) (param i32))")


def test_folded_and_flat_instructions_agree() -> None:
    flat = body(
        """(func (param i32) (result i32)
             local.get 0
             if (result i32) i32.const 1 else i32.const 2 end
             block $b (result i32) i32.const 3 br $b end
             i32.add i32.add)"""
    )
    folded = body(
        """(func (param i32) (result i32)
             (i32.add
               (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))
               (i32.add (block $b (result i32) (br $b (i32.const 3))))))"""
    )
    assert mnemonics(flat) == ["local.get", "if", "block", "i32.add", "i32.add"]
    assert flat == folded


def test_if_without_else_has_no_else_body() -> None:
    (instr,) = body("(func (if (i32.const 0) (then nop)))")[1:]
    assert instr.args == (None, (ast.Instr(opcodes.NOP),), None)


def test_labels_resolve_by_depth_and_shadow() -> None:
    (outer,) = body("(func (block $l (block $l (br $l) (br 1))))")
    (inner,) = outer.args[1]
    assert [i.args for i in inner.args[1]] == [(0,), (1,)]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("(func br $nowhere)", "unknown label"),
        ("(func block $a end $b)", "mismatching label"),
        ("(func (local $x i32) (local $x i32))", "duplicate local"),
        ("(func $f) (func $f)", "duplicate func"),
        ("(func $f) (start $f) (start $f)", "multiple start sections"),
        ("(func i32.frob)", "unknown operator"),
        ("(func (i32.const))", "unexpected token"),
        ("(func (nop) (local i32))", "unexpected token"),
        ("(memory 1) (func (i32.load align=3 (i32.const 0)) drop)", "alignment"),
        ("(func (v128.const i32x4 1 2 3) drop)", "wrong number of lane literals"),
        ("(func (i32.const 0x1_0000_0000) drop)", "constant out of range"),
        ("(func (f32.const nan:0x0) drop)", "constant out of range"),
        ("(func (block (param $x i32)))", "unexpected token"),
        ("(func end)", "unexpected token"),
        ("(func block)", "unexpected end of input"),
        ("(func (global.get $g))", "unknown global"),
    ],
)
def test_malformed(source: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_module(source)
    assert caught.value.message.startswith(message)
    assert caught.value.line == 1 and caught.value.column > 0


def test_error_position_points_at_the_token() -> None:
    with pytest.raises(ParseError) as caught:
        parse_module("(module\n  (func\n    nop\n    i32.bogus))")
    assert (caught.value.line, caught.value.column) == (4, 5)


def test_out_of_range_indices_are_left_to_the_validator() -> None:
    module = parse_module("(func call 42 local.get 7 global.get 3)")
    assert [i.args for i in module.funcs[0].body] == [(42,), (7,), (3,)]


def test_memargs_and_optional_indices() -> None:
    module = parse_module(
        """
        (memory 1) (memory $m2 1) (table 1 funcref) (table $t2 1 funcref) (elem $e func)
        (data $d "")
        (func
          (drop (i64.load offset=8 (i32.const 0)))
          (drop (i32.load16_u $m2 offset=0x10 align=1 (i32.const 0)))
          (memory.init $m2 $d (i32.const 0) (i32.const 0) (i32.const 0))
          (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0))
          (table.init $t2 $e (i32.const 0) (i32.const 0) (i32.const 0))
          (table.copy (i32.const 0) (i32.const 0) (i32.const 0))
          (call_indirect $t2 (param i32) (i32.const 0) (i32.const 0)))
        """
    )
    instrs = [i for i in module.funcs[0].body if i.op.klass is not opcodes.OpClass.CONST]
    instrs = [i for i in instrs if i.op is not opcodes.DROP]
    load64, load16, init2, init0, table_init, table_copy, call = instrs
    assert load64.args == (ast.MemArg(3, 8, 0),)
    assert load16.args == (ast.MemArg(0, 16, 1),)
    assert init2.args == (0, 1) and init0.args == (0, 0)
    assert table_init.args == (0, 1) and table_copy.args == (0, 0)
    assert call.args == (1, 1)
    assert module.data_count == 1


def test_select_v128_and_shuffle() -> None:
    instrs = body(
        """(func (result v128)
             (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)) drop
             (select (i32.const 1) (i32.const 2) (i32.const 0)) drop
             (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
               (v128.const i32x4 1 -1 0x10 0)
               (v128.const f32x4 1.0 -0 inf nan)))"""
    )
    typed = next(i for i in instrs if i.op is opcodes.SELECT_T)
    assert typed.args == ((T.I32,),)
    assert any(i.op is opcodes.SELECT and i.args == () for i in instrs)
    consts = [i for i in instrs if i.op is opcodes.V128_CONST]
    assert consts[0].args[0] == bytes.fromhex("01000000ffffffff1000000000000000")
    assert consts[1].args[0] == bytes.fromhex("0000803f000000800000807f0000c07f")
    shuffle = next(i for i in instrs if i.op is opcodes.I8X16_SHUFFLE)
    assert shuffle.args == (tuple(range(16)),)


def test_gc_types_fields_and_casts() -> None:
    module = parse_module(
        """
        (rec (type $node (sub (struct (field $val i32) (field $next (mut (ref null $node)))))))
        (type $arr (array (mut i8)))
        (func (param (ref null $node)) (result i32)
          (drop (ref.cast (ref null $node) (local.get 0)))
          (drop (ref.test (ref $node) (local.get 0)))
          (struct.get $node $next (local.get 0))
          (struct.get $node $val))
        """
    )
    group = module.types[0]
    assert group.explicit and group.subtypes[0].final is False
    node_fields = group.subtypes[0].composite.fields  # type: ignore[union-attr]
    assert node_fields[1] == T.FieldType(T.RefType(True, 0), True)
    instrs = module.funcs[0].body
    ops = [i.op for i in instrs]
    assert opcodes.REF_CAST_NULL in ops and opcodes.REF_TEST in ops
    gets = [i.args for i in instrs if i.op is opcodes.STRUCT_GET]
    assert gets == [(0, 1), (0, 0)]
    assert module.names is not None and module.names.fields == ((0, ((0, "val"), (1, "next"))),)


def test_try_table_and_legacy_try() -> None:
    module = parse_module(
        """
        (tag $e (param i32))
        (func (result i32)
          (block $h (result i32)
            (try_table (catch $e $h) (catch_all 0) (throw $e (i32.const 1))))
          (try (result i32) (do (i32.const 2)) (catch $e) (catch_all (i32.const 3))))
        """
    )
    block, legacy = module.funcs[0].body[0], module.funcs[0].body[1]
    try_table = block.args[1][0]
    assert try_table.args[1] == (
        ast.Catch(ast.CatchKind.CATCH, 0, 0),
        ast.Catch(ast.CatchKind.CATCH_ALL, None, 0),
    )
    assert legacy.op is opcodes.TRY
    assert [c.tag for c in legacy.args[2]] == [0, None]
    flat = parse_module(
        "(tag $e (param i32)) (func (result i32) try (result i32) i32.const 2 catch $e catch_all"
        " i32.const 3 end)"
    )
    assert flat.funcs[0].body[0] == legacy


def test_segments_and_inline_forms() -> None:
    module = parse_module(
        """
        (table $t funcref (elem $f $f))
        (memory $m (data "ab" "c"))
        (func $f)
        (elem declare func $f)
        (elem $p funcref (ref.func $f) (item ref.null func))
        (elem (table $t) (offset (i32.const 1)) func $f)
        (data $d (memory $m) (i32.const 1) "x")
        (data "passive")
        """
    )
    assert module.tables[0].type.limits == T.Limits(2, 2)
    assert module.memories[0].type.limits == T.Limits(1, 1)
    inline, declared, passive, active = module.elems
    assert inline.mode is ast.SegmentMode.ACTIVE and inline.table == 0 and inline.func_indices
    assert declared.mode is ast.SegmentMode.DECLARATIVE
    assert passive.mode is ast.SegmentMode.PASSIVE and passive.type == T.FUNCREF
    assert active.offset_expr == (ast.Instr(opcodes.I32_CONST, (1,)),)
    assert [d.data for d in module.datas] == [b"abc", b"x", b"passive"]
    assert module.datas[1].memory is None  # memory 0 takes the short binary form


def test_names_cover_every_space() -> None:
    module = parse_module(
        """(module $mod
             (type $sig (func (param i32)))
             (func $f (param $p i32) (local $l i64) (block $blk))
             (table $tab 1 funcref) (memory $mem 1) (global $glob i32 (i32.const 0))
             (tag $tg) (elem $el func) (data $dat ""))"""
    )
    names = module.names
    assert names is not None
    assert names.module == "mod"
    assert names.funcs == ((0, "f"),)
    assert names.locals == ((0, ((0, "p"), (1, "l"))),)
    assert names.labels == ((0, ((0, "blk"),)),)
    assert names.types == ((0, "sig"),)
    assert (names.tables, names.memories, names.globals) == (
        ((0, "tab"),),
        ((0, "mem"),),
        ((0, "glob"),),
    )
    assert (names.tags, names.elems, names.datas) == (((0, "tg"),), ((0, "el"),), ((0, "dat"),))


def test_custom_and_name_annotations() -> None:
    module = parse_module(
        '(module (@name "Mödule") (func (@name "λ")) (@custom "c" (after func) "x" "y"))'
    )
    assert module.customs == (ast.CustomSection("c", b"xy", ast.SectionId.FUNCTION),)
    assert module.names is not None
    assert module.names.module == "Mödule" and module.names.funcs == ((0, "λ"),)


def test_deeply_nested_code_does_not_recurse() -> None:
    depth = 10_000
    folded = "(func (result i32) " + "(block (result i32) " * depth + "(i32.const 1)" + ")" * depth + ")"
    expr = body(folded)
    for _ in range(depth):
        (expr_instr,) = expr
        expr = expr_instr.args[1]
    assert expr == (ast.Instr(opcodes.I32_CONST, (1,)),)
    flat = "(func " + "block " * depth + "end " * depth + ")"
    assert len(body(flat)) == 1
    operands = "(func (result i32) " + "(i32.eqz " * depth + "(i32.const 1)" + ")" * depth + ")"
    assert len(body(operands)) == depth + 1


# -- every opcode row is reachable from text ---------------------------------------

_IMMEDIATE_TEXT = {
    opcodes.Imm.LABEL: "0",
    opcodes.Imm.LABEL_TABLE: "0 0",
    opcodes.Imm.FUNC: "0",
    opcodes.Imm.TYPE: "0",
    opcodes.Imm.TABLE: "0",
    opcodes.Imm.MEMORY: "0",
    opcodes.Imm.GLOBAL: "0",
    opcodes.Imm.LOCAL: "0",
    opcodes.Imm.ELEM: "0",
    opcodes.Imm.DATA: "0",
    opcodes.Imm.TAG: "0",
    opcodes.Imm.FIELD: "0",
    opcodes.Imm.U32: "1",
    opcodes.Imm.MEMARG: "offset=0",
    opcodes.Imm.LANE: "1",
    opcodes.Imm.SHUFFLE: " ".join(["0"] * 16),
    opcodes.Imm.I32: "-1",
    opcodes.Imm.I64: "-1",
    opcodes.Imm.F32: "1.5",
    opcodes.Imm.F64: "1.5",
    opcodes.Imm.V128: "i32x4 0 1 2 3",
    opcodes.Imm.HEAP_TYPE: "func",
    opcodes.Imm.VALTYPES: "(result i32)",
    opcodes.Imm.BLOCK_TYPE: "",
    opcodes.Imm.CATCHES: "(catch_all 0)",
    opcodes.Imm.ZERO_BYTE: "",
}

#: Rows whose text is a sequence around them rather than ``keyword immediates``.
_STRUCTURAL_TEXT = {
    "block": "block end",
    "loop": "loop end",
    "if": "if end",
    "else": "if else end",
    "end": "block end",
    "try_table": "try_table end",
    "try": "try end",
    "catch": "try catch 0 end",
    "catch_all": "try catch_all end",
    "delegate": "try delegate 0",
}


def _row_text(op: opcodes.Op) -> str:
    if op.mnemonic in _STRUCTURAL_TEXT:
        return _STRUCTURAL_TEXT[op.mnemonic]
    if opcodes.Imm.CAST_FLAGS in op.imms:
        return f"{op.keyword} 0 anyref (ref any)"
    if op.mnemonic.endswith(" null"):
        return f"{op.keyword} (ref null any)"
    if op.keyword != op.mnemonic or op.mnemonic in ("ref.test", "ref.cast", "ref.cast_desc_eq"):
        if opcodes.Imm.HEAP_TYPE in op.imms:
            return f"{op.keyword} (ref any)"
    if op.mnemonic in ("call_indirect", "return_call_indirect"):
        return f"{op.mnemonic} (type 0)"
    words = [op.keyword] + [_IMMEDIATE_TEXT[imm] for imm in op.imms]
    return " ".join(word for word in words if word)


def _ops_in(expr: ast.Expr) -> set:
    seen = set()
    pending = [expr]
    while pending:
        for instr in pending.pop():
            seen.add(instr.op)
            for arg in instr.args:
                if isinstance(arg, tuple) and arg and isinstance(arg[0], ast.Instr):
                    pending.append(arg)
                if isinstance(arg, tuple):
                    pending.extend(c.body for c in arg if isinstance(c, ast.LegacyCatch))
    return seen


@pytest.mark.parametrize("op", opcodes.ALL_OPS, ids=lambda op: op.mnemonic)
def test_every_row_parses_from_text(op: opcodes.Op) -> None:
    text = _row_text(op)
    module = parse_module(
        "(type (func)) (memory 1) (table 1 funcref) (global (mut i32) (i32.const 0))"
        f" (elem func) (data \"\") (tag) (func (local i32) {text})"
    )
    instrs = module.funcs[0].body
    check = _STRUCTURE_CHECKS.get(op.mnemonic)
    if check is not None:  # these rows shape a structured instruction's parts
        assert check(instrs[0]), text
    else:
        assert op in _ops_in(instrs), text


_STRUCTURE_CHECKS = {
    "else": lambda instr: instr.op is opcodes.IF and instr.args[2] == (),
    "end": lambda instr: instr.op is opcodes.BLOCK and instr.args == (None, ()),
    "catch": lambda instr: instr.args[2] == (ast.LegacyCatch(0, ()),),
    "catch_all": lambda instr: instr.args[2] == (ast.LegacyCatch(None, ()),),
    "delegate": lambda instr: instr.op is opcodes.TRY and instr.args[3] == 0,
}


# -- robustness: malformed input only ever raises ParseError -------------------------

_FRAGMENTS = [
    "(", ")", "(func", "(param i32)", "(result i32)", "(local $x i64)", "(type 0)", "(type $t",
    "(memory 1)", "(table 1 funcref)", "(elem", "(data", "\"abc\"", "$x", "0", "-1", "0x1p-3",
    "nan:0x1", "inf", "i32.const", "i32.add", "block", "loop", "if", "(then", "(else", "end",
    "else", "br 0", "br_table 0 1", "call_indirect", "v128.const i32x4", "i8x16.shuffle",
    "offset=4", "align=2", "(ref null 0)", "(ref $t)", "(struct (field i32))", "(rec",
    "(sub final", "(@a", "(@custom \"x\"", "try", "catch", "delegate 0", "(do", "try_table",
    "(catch_all 0)", "select", "ref.test", "br_on_cast 0", "(import \"a\" \"b\"", "(export \"e\"",
    "(start 0)", "declare", "func", "(offset", "(item", "0x", "$", ";; c\n", "(; c ;)",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40))
def test_malformed_text_raises_only_parse_errors(fragments: list) -> None:
    source = "(module " + " ".join(fragments) + ")"
    try:
        parse_module(source)
    except ParseError as error:
        assert error.line >= 1 and error.column >= 1
