"""Every section kind decodes: small components written as text, converted
by ``wasm-tools parse``, and (for the value section, which ``wasm-tools``
does not write) by hand."""

from __future__ import annotations

from pathlib import Path
from typing import List, Type, TypeVar

import pytest
from component_tools import decoded_sections, objdump_sections, parse_wat, validates

from wasmport.component import ComponentFeature, decode_component
from wasmport.component.ast import (
    Alias,
    AliasCoreExport,
    AliasDecl,
    AliasExport,
    AliasOuter,
    BorrowType,
    CanonBuiltin,
    CanonLift,
    CanonLower,
    CanonOption,
    CanonOptionKind,
    Component,
    ComponentSort,
    ComponentType,
    CoreAliasDecl,
    CoreExportDecl,
    CoreImportDecl,
    CoreInlineExports,
    CoreInstantiate,
    CoreModuleDef,
    CoreRecTypeDecl,
    CoreSort,
    CoreTypeDef,
    Custom,
    EnumType,
    ExportDecl,
    ExternType,
    ExternTypeKind,
    FlagsType,
    FuncType,
    FutureType,
    ImportDecl,
    InlineExports,
    InstanceType,
    Instantiate,
    ListType,
    MapType,
    ModuleType,
    OptionType,
    OwnType,
    PrimValType,
    RecordType,
    ResourceType,
    ResultType,
    SectionId,
    SortIndex,
    Start,
    StreamType,
    TupleType,
    TypeBound,
    TypeDecl,
    TypeDef,
    Value,
    VariantCase,
    VariantType,
)
from wasmport.component.canon import BUILTINS
from wasmport.component.gates import builtin_feature
from wasmport.errors import ValidationError
from wasmport.syntax.types import NumType, RecType

T = TypeVar("T")

EVERY_SECTION = """
(component $outer
  (core module $m
    (func (export "f") (param i32) (result i32) local.get 0)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 0)
    (memory (export "memory") 1))
  (core instance $mi (instantiate $m))
  (core instance $ie (export "f" (func $mi "f")) (export "memory" (memory $mi "memory")))
  (core instance $mi2 (instantiate $m (with "x" (instance $ie))))
  (core type $ct (func (param i32) (result i32)))
  (core type $st (sub (func)))
  (core type $mt (module
    (type $a (func))
    (import "a" "b" (func (type $a)))
    (alias outer $outer $ct (type $b))
    (export "c" (func (type $b)))))
  (type $rec (record (field "a" u32) (field "b" string)))
  (type $var (variant (case "x" $rec) (case "y")))
  (type $lst (list u8))
  (type $tup (tuple u8 s16 $lst))
  (type $flg (flags "a" "b"))
  (type $en (enum "p" "q"))
  (type $opt (option char))
  (type $res (result $lst (error $en)))
  (type $res0 (result))
  (type $r (resource (rep i32)))
  (type $own (own $r))
  (type $bor (borrow $r))
  (type $str (stream u8))
  (type $fut (future))
  (type $map (map string u32))
  (type $f (func (param "x" u32) (result u32)))
  (type $fa (func async (param "a" bool)))
  (type $it (instance
    (export "t" (type (sub resource)))
    (type $g (func (param "self" (borrow 0))))
    (export "[method]t.go" (func (type $g)))))
  (type $cty (component
    (import "i" (instance (type $it)))
    (alias outer $outer $f (type $ff))
    (export "e" (func (type $ff)))))
  (import "imp-func" (func $impf (type $f)))
  (import "imp-inst" (instance $impi (type $it)))
  (import "imp-comp" (component $impc (type $cty)))
  (import "imp-mod" (core module $impm (type $mt)))
  (import "imp-type" (type $impt (eq $rec)))
  (import "imp-res" (type $impr (sub resource)))
  (alias export $impi "t" (type $aliased))
  (alias core export $mi "f" (core func $cf))
  (alias core export $mi "memory" (core memory $mem))
  (alias core export $mi "realloc" (core func $realloc))
  (func $lifted (type $f) (canon lift (core func $cf)))
  (core func $lowered (canon lower (func $impf) (memory $mem) (realloc $realloc)
                                   string-encoding=utf16))
  (core func $rn (canon resource.new $r))
  (core func (canon task.return (result u32) (memory $mem)))
  (component $inner
    (alias outer $outer $rec (type $outer-rec))
    (import "x" (func (param "x" u32) (result u32)))
    (export "y" (type $outer-rec)))
  (instance $ci (instantiate $inner (with "x" (func $lifted))))
  (instance $ce (export "a" (func $lifted)) (export "b" (type $rec)))
  (export "exp-func" (func $lifted) (func (type $f)))
  (export "exp-mod" (core module $m))
  (export "exp-inst" (instance $ce))
  (@custom "hello" "world")
)
"""


def of_type(component: Component, kind: Type[T]) -> List[T]:
    return [item for item in component.fields if isinstance(item, kind)]


@pytest.fixture(scope="module")
def every_section(wasm_tools: str) -> bytes:
    return parse_wat(wasm_tools, EVERY_SECTION)


def test_every_section_is_valid_for_wasm_tools(every_section: bytes, wasm_tools: str) -> None:
    assert validates(wasm_tools, every_section)


def test_every_section_kind(every_section: bytes) -> None:
    component = decode_component(every_section)
    kinds = {section.id for section in component.sections}
    assert kinds == set(SectionId) - {SectionId.START, SectionId.VALUE}
    assert len(of_type(component, CoreModuleDef)) == 1
    assert of_type(component, Custom)[0] == Custom("hello", b"world")


def test_core_instances_and_types(every_section: bytes) -> None:
    component = decode_component(every_section)
    instantiations = of_type(component, CoreInstantiate)
    assert [(item.module, [arg.name for arg in item.args]) for item in instantiations] == [
        (0, []), (0, ["x"])]
    (inline,) = of_type(component, CoreInlineExports)
    assert [(export.name, export.sort) for export in inline.exports] == [
        ("f", CoreSort.FUNC), ("memory", CoreSort.MEMORY)]
    core_types = [item.type for item in of_type(component, CoreTypeDef)]
    assert isinstance(core_types[0], RecType) and core_types[0].subtypes[0].final
    assert isinstance(core_types[1], RecType) and not core_types[1].subtypes[0].final
    module_type = core_types[2]
    assert isinstance(module_type, ModuleType)
    assert [type(decl) for decl in module_type.decls] == [
        CoreRecTypeDecl, CoreImportDecl, CoreAliasDecl, CoreExportDecl]
    assert module_type.decls[2] == CoreAliasDecl(1, 0)


def test_value_types(every_section: bytes) -> None:
    component = decode_component(every_section)
    types = [item.type for item in of_type(component, TypeDef)]
    u8 = PrimValType.U8
    assert types[:17] == [
        RecordType((("a", PrimValType.U32), ("b", PrimValType.STRING))),
        VariantType((VariantCase("x", 0), VariantCase("y", None))),
        ListType(u8),
        TupleType((u8, PrimValType.S16, 2)),
        FlagsType(("a", "b")),
        EnumType(("p", "q")),
        OptionType(PrimValType.CHAR),
        ResultType(2, 5),
        ResultType(None, None),
        ResourceType(NumType.I32, None),
        OwnType(9),
        BorrowType(9),
        StreamType(u8),
        FutureType(None),
        MapType(PrimValType.STRING, PrimValType.U32),
        FuncType((("x", PrimValType.U32),), PrimValType.U32),
        FuncType((("a", PrimValType.BOOL),), None, is_async=True),
    ]


def test_instance_and_component_types(every_section: bytes) -> None:
    component = decode_component(every_section)
    types = [item.type for item in of_type(component, TypeDef)]
    instance_type, component_type = types[17], types[18]
    assert isinstance(instance_type, InstanceType)
    assert [type(decl) for decl in instance_type.decls] == [
        ExportDecl, TypeDecl, TypeDecl, ExportDecl]
    assert isinstance(instance_type.decls[0], ExportDecl)
    assert instance_type.decls[0].desc == TypeBound(None)
    assert isinstance(component_type, ComponentType)
    # The parser made the outer types the component type uses into outer aliases.
    assert [type(decl) for decl in component_type.decls] == [
        AliasDecl, ImportDecl, AliasDecl, ExportDecl]
    targets = [decl.alias.target for decl in component_type.decls if isinstance(decl, AliasDecl)]
    assert targets == [AliasOuter(1, 17), AliasOuter(1, 15)]


def test_imports_aliases_and_canon(every_section: bytes) -> None:
    component = decode_component(every_section)
    assert [(item.name.name, item.desc) for item in component.imports] == [
        ("imp-func", ExternType(ExternTypeKind.FUNC, 15)),
        ("imp-inst", ExternType(ExternTypeKind.INSTANCE, 17)),
        ("imp-comp", ExternType(ExternTypeKind.COMPONENT, 18)),
        ("imp-mod", ExternType(ExternTypeKind.MODULE, 2)),
        ("imp-type", TypeBound(0)),
        ("imp-res", TypeBound(None)),
    ]
    targets = [(alias.sort, alias.target) for alias in of_type(component, Alias)]
    assert (ComponentSort.TYPE, AliasExport(0, "t")) in targets
    assert (CoreSort.MEMORY, AliasCoreExport(0, "memory")) in targets
    (lift,) = of_type(component, CanonLift)
    assert (lift.options, lift.type_index) == ((), 15)
    (lower,) = of_type(component, CanonLower)
    assert lower.func == 0 and [option.kind for option in lower.options] == [
        CanonOptionKind.MEMORY, CanonOptionKind.REALLOC, CanonOptionKind.UTF16]
    builtins = of_type(component, CanonBuiltin)
    assert [(item.name, item.type_index) for item in builtins] == [
        ("resource.new", 9), ("task.return", None)]
    assert builtins[1].result == PrimValType.U32
    # The inline export of "memory" by $ie aliased it first: $mem is core memory 1.
    assert builtins[1].options == (CanonOption(CanonOptionKind.MEMORY, 1),)


def test_nested_component_instances_and_exports(every_section: bytes) -> None:
    component = decode_component(every_section)
    (inner,) = of_type(component, Component)
    assert of_type(inner, Alias)[0].target == AliasOuter(1, 0)
    (instantiate,) = of_type(component, Instantiate)
    assert instantiate.component == 1  # the imported component is component 0
    assert instantiate.args[0].item == SortIndex(ComponentSort.FUNC, 1)
    (inline,) = of_type(component, InlineExports)
    assert [export.name.name for export in inline.exports] == ["a", "b"]
    assert [(item.name.name, item.item.sort, item.desc is not None)
            for item in component.exports] == [
        ("exp-func", ComponentSort.FUNC, True),
        ("exp-mod", CoreSort.MODULE, False),
        ("exp-inst", ComponentSort.INSTANCE, False),
    ]


def test_sections_match_objdump(every_section: bytes, wasm_tools: str, tmp_path: Path) -> None:
    path = tmp_path / "every.wasm"
    path.write_bytes(every_section)
    assert decoded_sections(decode_component(every_section)) == \
        objdump_sections(wasm_tools, path)


BUILTIN_PRELUDE = """
(component
  (core module $m (memory (export "m") 1) (table (export "t") 1 funcref))
  (core instance $i (instantiate $m))
  (alias core export $i "m" (core memory $mem))
  (alias core export $i "t" (core table $tbl))
  (core type $ft (func (param i32)))
  (type $r (resource (rep i32)))
  (type $s (stream u8))
  (type $fu (future u8))
"""


def builtin_text(name: str, immediates: str) -> str:
    """A ``canon`` built-in in text, with an argument for each immediate."""
    words: List[str] = []
    for letter in immediates:
        if letter == "t":
            words.append({"resource": "$r", "stream": "$s"}.get(name.split(".")[0], "$fu"))
        elif letter == "o" and name not in ("error-context.drop",):
            words.append("(memory $mem)")
        elif letter in "rvmfb":
            words.append({"r": "(result u32)", "v": "i32 0", "m": "(memory $mem)",
                          "f": "$ft", "b": "(core table $tbl)"}[letter])
    return f"(core func (canon {name} {' '.join(words)}))"


@pytest.mark.parametrize("opcode", sorted(BUILTINS), ids=lambda op: BUILTINS[op][0])
def test_canon_builtin(opcode: int, wasm_tools: str) -> None:
    name, immediates = BUILTINS[opcode]
    data = parse_wat(wasm_tools, BUILTIN_PRELUDE + builtin_text(name, immediates) + ")")
    (builtin,) = of_type(decode_component(data, ComponentFeature), CanonBuiltin)
    assert (builtin.name, builtin.opcode) == (name, opcode)
    # Gated by a feature exactly when wasm-tools, with its default features, rejects it.
    feature = builtin_feature(builtin)
    assert validates(wasm_tools, data) == (feature is None)
    if feature is not None:
        with pytest.raises(ValidationError, match=f"{feature.value} feature"):
            decode_component(data)
    if "t" in immediates:
        assert builtin.type_index is not None
    if "m" in immediates:
        assert builtin.memory == 0


def test_start_section(wasm_tools: str) -> None:
    data = parse_wat(wasm_tools, """
        (component
          (import "f" (func $f (param "x" u32) (result u32)))
          (import "a" (value $a u32))
          (start $f (value $a) (result (value $r)))
          (export "r" (value $r)))""")
    assert not validates(wasm_tools, data)  # values are not enabled by default
    with pytest.raises(ValidationError, match="values feature"):
        decode_component(data)
    component = decode_component(data, [ComponentFeature.VALUES])
    assert of_type(component, Start) == [Start(0, (0,), 1)]
    assert component.exports[0].item == SortIndex(ComponentSort.VALUE, 1)


PREAMBLE = b"\x00asm\x0d\x00\x01\x00"


def test_value_section() -> None:
    # section 12, 4 bytes: one value of type u32 (0x79), one byte long: 5.
    data = PREAMBLE + b"\x0c\x04\x01\x79\x01\x05"
    with pytest.raises(ValidationError, match="requires the component model values feature"):
        decode_component(data)
    component = decode_component(data, [ComponentFeature.VALUES])
    assert component.fields == (Value(PrimValType.U32, b"\x05"),)
    assert component.sections[0].id is SectionId.VALUE


def test_empty_component() -> None:
    assert decode_component(PREAMBLE) == Component((), ())
