"""The WAST script parser: every command form, values, patterns and errors."""

from __future__ import annotations

import pytest

from wasmport.errors import ParseError
from wasmport.script import ast
from wasmport.script.parser import parse_script
from wasmport.syntax.types import AbsHeapType, NumType


def only(source: str) -> ast.Command:
    script = parse_script(source, "t.wast")
    assert len(script.commands) == 1
    return script.commands[0]


def test_text_module_keeps_its_node_unparsed() -> None:
    command = only("(module $m (func (export \"f\")))")
    assert isinstance(command, ast.ModuleCommand)
    assert command.id == "m" and not command.definition
    assert isinstance(command.source, ast.TextModule)
    assert command.source.node.head == "module"
    assert (command.line, command.column) == (1, 1)


def test_definition_keyword_is_removed_from_the_text_node() -> None:
    command = only("(module definition $M (memory 1))")
    assert isinstance(command, ast.ModuleCommand) and command.definition
    assert command.id == "M"
    assert isinstance(command.source, ast.TextModule)
    texts = [getattr(item, "text", None) for item in command.source.node.items]
    assert "definition" not in texts and "$M" in texts


def test_binary_module_concatenates_strings() -> None:
    command = only('(module binary "\\00asm" "\\01\\00\\00\\00")')
    assert isinstance(command, ast.ModuleCommand)
    assert command.source == ast.BinaryModule(b"\0asm\1\0\0\0")


def test_quote_module_joins_strings_with_spaces() -> None:
    command = only('(module $q quote "(func" "(param i32))")')
    assert isinstance(command, ast.ModuleCommand) and command.id == "q"
    assert command.source == ast.QuoteModule(b"(func (param i32))")


def test_module_instance() -> None:
    command = only("(module instance $I $M)")
    assert command == ast.InstanceCommand("I", "M")


def test_register_and_actions() -> None:
    script = parse_script(
        '(register "lib" $m) (invoke $m "f" (i32.const -1)) (get "g")', "t.wast"
    )
    register, invoke, get = script.commands
    assert register == ast.Register("lib", "m")
    assert invoke == ast.ActionCommand(ast.Invoke("m", "f", (ast.NumValue(NumType.I32, -1),)))
    assert get == ast.ActionCommand(ast.Get(None, "g"))


def test_number_values_are_signed_ints_and_float_bits() -> None:
    command = only(
        '(invoke "f" (i32.const 0xffffffff) (i64.const 1) (f32.const 1.0) (f64.const -0x1p+0))'
    )
    assert isinstance(command, ast.ActionCommand)
    assert isinstance(command.action, ast.Invoke)
    assert command.action.args == (
        ast.NumValue(NumType.I32, -1),
        ast.NumValue(NumType.I64, 1),
        ast.NumValue(NumType.F32, 0x3F800000),
        ast.NumValue(NumType.F64, 0xBFF0000000000000),
    )


def test_v128_and_reference_values() -> None:
    command = only(
        '(invoke "f" (v128.const i16x8 1 2 3 4 5 6 7 -1) (ref.null extern) (ref.extern 7)'
        " (ref.host 3))"
    )
    assert isinstance(command, ast.ActionCommand)
    assert isinstance(command.action, ast.Invoke)
    vector, null, extern, host = command.action.args
    assert vector == ast.V128Value(bytes([1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 255, 255]))
    assert null == ast.RefNullValue(AbsHeapType.EXTERN)
    assert extern == ast.RefExternValue(7)
    assert host == ast.RefHostValue(3)


def test_assert_return_patterns() -> None:
    command = only(
        '(assert_return (invoke "f")'
        " (f32.const nan:canonical) (f64.const nan:arithmetic) (i32.const 3)"
        " (v128.const f32x4 nan:canonical 1.0 nan:arithmetic -0x0p+0)"
        " (ref.null) (ref.null func) (ref.extern) (ref.extern 2) (ref.func) (ref.i31)"
        " (either (i32.const 1) (i32.const 2)))"
    )
    assert isinstance(command, ast.AssertReturn)
    assert command.results == (
        ast.NanPattern(NumType.F32, ast.NanKind.CANONICAL),
        ast.NanPattern(NumType.F64, ast.NanKind.ARITHMETIC),
        ast.ValuePattern(ast.NumValue(NumType.I32, 3)),
        ast.V128Pattern(
            ast.LaneShape.F32X4,
            (ast.NanKind.CANONICAL, 0x3F800000, ast.NanKind.ARITHMETIC, 0x80000000),
        ),
        ast.RefNullPattern(None),
        ast.RefNullPattern(AbsHeapType.FUNC),
        ast.RefExternPattern(None),
        ast.RefExternPattern(2),
        ast.RefKindPattern(AbsHeapType.FUNC),
        ast.RefKindPattern(AbsHeapType.I31),
        ast.EitherPattern(
            (
                ast.ValuePattern(ast.NumValue(NumType.I32, 1)),
                ast.ValuePattern(ast.NumValue(NumType.I32, 2)),
            )
        ),
    )


@pytest.mark.parametrize(
    "source, kind",
    [
        ('(assert_malformed (module quote "(func") "unexpected end")', ast.AssertMalformed),
        ("(assert_invalid (module (func (drop))) \"type mismatch\")", ast.AssertInvalid),
        ('(assert_unlinkable (module (import "m" "f" (func))) "unknown import")',
         ast.AssertUnlinkable),
        ('(assert_uninstantiable (module (func unreachable) (start 0)) "unreachable")',
         ast.AssertUninstantiable),
        ('(assert_malformed_custom (module quote "(@custom)") "missing section name")',
         ast.AssertMalformedCustom),
        ('(assert_invalid_custom (module) "invalid target")', ast.AssertInvalidCustom),
    ],
)
def test_module_assertions(source: str, kind: type) -> None:
    command = only(source)
    assert isinstance(command, kind)
    assert isinstance(command.module, ast.ModuleCommand)  # type: ignore[union-attr]
    assert command.message  # type: ignore[union-attr]


def test_assert_trap_on_action_and_on_module() -> None:
    script = parse_script(
        '(assert_trap (invoke "f") "unreachable")'
        ' (assert_trap (module (func unreachable) (start 0)) "unreachable")',
        "t.wast",
    )
    on_action, on_module = script.commands
    assert isinstance(on_action, ast.AssertTrap) and isinstance(on_action.target, ast.Invoke)
    assert isinstance(on_module, ast.AssertTrap)
    assert isinstance(on_module.target, ast.ModuleCommand)


def test_exhaustion_exception_thread_and_wait() -> None:
    script = parse_script(
        '(assert_exhaustion (invoke "r") "call stack exhausted")'
        ' (assert_exception (invoke "t"))'
        ' (thread $T (shared (module $Mem)) (register "mem" $Mem) (invoke "x"))'
        " (wait $T)",
        "t.wast",
    )
    exhaustion, exception, thread, wait = script.commands
    assert isinstance(exhaustion, ast.AssertExhaustion)
    assert exhaustion.message == "call stack exhausted"
    assert exception == ast.AssertException(ast.Invoke(None, "t", ()))
    assert isinstance(thread, ast.Thread)
    assert thread.name == "T" and thread.shared == ("Mem",)
    assert thread.commands == (
        ast.Register("mem", "Mem"),
        ast.ActionCommand(ast.Invoke(None, "x", ())),
    )
    assert wait == ast.Wait("T")


def test_malformed_module_text_does_not_stop_the_script() -> None:
    script = parse_script(
        "(assert_malformed (module (func (i32.const 0x1_0000_0000_0000_0000))) \"constant\")\n"
        '(assert_malformed (module quote "(@x \\"") "unclosed string")\n'
        "(module)",
        "t.wast",
    )
    assert [type(command) for command in script.commands] == [
        ast.AssertMalformed,
        ast.AssertMalformed,
        ast.ModuleCommand,
    ]
    assert script.commands[2].line == 3


def test_annotations_before_heads_are_ignored() -> None:
    command = only("((@a) module (@a) $m (@a))")
    assert isinstance(command, ast.ModuleCommand) and command.id == "m"


def test_bare_module_fields_form_one_module() -> None:
    script = parse_script("(func) (memory 0) (func (export \"f\"))", "inline.wast")
    (command,) = script.commands
    assert isinstance(command, ast.ModuleCommand)
    assert isinstance(command.source, ast.TextModule)
    assert command.source.node.head == "module"
    assert len(command.source.node.items) == 4


@pytest.mark.parametrize(
    "source, line, column",
    [
        ("(module)\n  (frobnicate)", 2, 3),
        ('(invoke "f" (i32.const 0x1_0000_0000))', 1, 24),
        ('(assert_return (invoke "f") (v128.const i32x4 1 2 3))', 1, 52),
        ("(module) )", 1, 10),
        ('(register "x" "y")', 1, 15),
    ],
)
def test_errors_carry_positions(source: str, line: int, column: int) -> None:
    with pytest.raises(ParseError) as caught:
        parse_script(source, "bad.wast")
    assert (caught.value.line, caught.value.column) == (line, column)
    assert caught.value.filename == "bad.wast"


def test_nested_either_is_flattened_without_recursion() -> None:
    depth = 5000
    source = '(assert_return (invoke "f") ' + "(either " * depth + "(i32.const 1)"
    source += ")" * depth + ")"
    command = only(source)
    assert isinstance(command, ast.AssertReturn)
    assert command.results == (
        ast.EitherPattern((ast.ValuePattern(ast.NumValue(NumType.I32, 1)),)),
    )


def test_deeply_nested_module_text_is_kept_for_later() -> None:
    depth = 20000
    body = "(block " * depth + ")" * depth
    command = only(f"(module (func {body}))")
    assert isinstance(command, ast.ModuleCommand)


def test_nested_thread_is_rejected() -> None:
    with pytest.raises(ParseError, match="nested thread"):
        parse_script("(thread $A (thread $B))", "t.wast")
