"""The printer (AST to WAT): exact values, every opcode row, every module field,
deep nesting, and round trips through the reference tool ``wasm-tools``."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

from wasmport.errors import WasmError
from wasmport.syntax import ast, opcodes
from wasmport.syntax.opcodes import ALL_OPS, Imm, Op, OpClass
from wasmport.syntax.types import (
    FUNCREF,
    AbsHeapType,
    AddrType,
    ArrayType,
    FieldType,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    NumType,
    PackedType,
    RecType,
    RefType,
    StructType,
    SubType,
    TableType,
    TagType,
)
from wasmport.text import literals
from wasmport.text.printer import (
    body_text,
    f32_text,
    f64_text,
    instr_text,
    print_module,
    string_text,
    v128_text,
)

I32, I64, F32, F64, V128 = NumType.I32, NumType.I64, NumType.F32, NumType.F64, NumType.V128
WASM_TOOLS = shutil.which("wasm-tools")
needs_wasm_tools = pytest.mark.skipif(WASM_TOOLS is None, reason="wasm-tools is not on PATH")


# --- helpers ---------------------------------------------------------------


def wat_to_wasm(text: str, tmp: Path, name: str = "printed") -> bytes:
    """``wasm-tools parse`` ``text``; fails the test with the tool's message."""
    assert WASM_TOOLS is not None
    source = tmp / f"{name}.wat"
    source.write_text(text)
    out = tmp / f"{name}.wasm"
    run = subprocess.run(
        [WASM_TOOLS, "parse", str(source), "-o", str(out)], capture_output=True, text=True
    )
    if run.returncode:
        pytest.fail(f"wasm-tools rejects the printed text:\n{run.stderr}\n{_excerpt(text, run.stderr)}")
    return out.read_bytes()


def _excerpt(text: str, error: str, around: int = 3) -> str:
    for word in error.split():
        if word.count(":") == 2 and word.split(":")[1].isdigit():
            line = int(word.split(":")[1])
            lines = text.splitlines()
            return "\n".join(lines[max(0, line - around - 1) : line + around])
    return text[:2000]


def canonical_print(wasm: bytes, tmp: Path, name: str) -> str:
    """``wasm-tools strip --all`` then ``wasm-tools print``: a canonical text."""
    assert WASM_TOOLS is not None
    path = tmp / f"{name}.wasm"
    path.write_bytes(wasm)
    stripped = tmp / f"{name}.stripped.wasm"
    subprocess.run([WASM_TOOLS, "strip", "--all", str(path), "-o", str(stripped)], check=True)
    run = subprocess.run(
        [WASM_TOOLS, "print", str(stripped)], capture_output=True, text=True, check=True
    )
    return run.stdout


def _uleb(data: bytes, pos: int) -> Tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, pos


def code_bodies(wasm: bytes) -> List[bytes]:
    """The function bodies (locals included) of a binary module."""
    pos = 8
    while pos < len(wasm):
        section_id = wasm[pos]
        size, pos = _uleb(wasm, pos + 1)
        if section_id == 10:
            count, cursor = _uleb(wasm, pos)
            bodies = []
            for _ in range(count):
                length, cursor = _uleb(wasm, cursor)
                bodies.append(wasm[cursor : cursor + length])
                cursor += length
            return bodies
        pos += size
    return []


def _binary_api(name: str) -> Any:
    """``wasmport.binary.<name>`` if the binary package provides it yet, else None."""
    try:
        from wasmport import binary
    except ImportError:
        return None
    return getattr(binary, name, None)


# --- values ----------------------------------------------------------------


def test_float_forms() -> None:
    assert f32_text(0x3F800000) == "0x1p+0"
    assert f32_text(0xBFC00000) == "-0x1.8p+0"
    assert f32_text(0x00000000) == "0x0p+0"
    assert f32_text(0x80000000) == "-0x0p+0"
    assert f32_text(0x00000001) == "0x0.000002p-126"
    assert f32_text(0x7F7FFFFF) == "0x1.fffffep+127"
    assert f32_text(0x7F800000) == "inf"
    assert f32_text(0xFF800000) == "-inf"
    assert f32_text(0x7FC00000) == "nan"
    assert f32_text(0xFFC00000) == "-nan"
    assert f32_text(0x7F800001) == "nan:0x1"
    assert f32_text(0xFFA00000) == "-nan:0x200000"
    assert f64_text(0x3FF0000000000000) == "0x1p+0"
    assert f64_text(0x0000000000000001) == "0x0.0000000000001p-1022"
    assert f64_text(0x7FF8000000000000) == "nan"
    assert f64_text(0x7FF0000000000001) == "nan:0x1"
    assert f64_text(0xFFF0000000000000) == "-inf"


def _interesting_bits(width: int, count: int) -> List[int]:
    rng = random.Random(width)
    exponent_shift = 23 if width == 32 else 52
    top = (1 << width) - 1
    values = [0, 1, top, top >> 1, 1 << (width - 1), (1 << exponent_shift) - 1, 1 << exponent_shift]
    values += [rng.getrandbits(width) for _ in range(count)]
    # NaNs with random payloads and subnormals of both signs.
    nan = ((1 << (width - exponent_shift - 1)) - 1) << exponent_shift
    values += [nan | rng.getrandbits(exponent_shift) | 1 for _ in range(count // 4)]
    values += [rng.getrandbits(exponent_shift) | (rng.getrandbits(1) << (width - 1)) for _ in range(count // 4)]
    return values


def test_floats_reparse_exactly_with_our_literal_parser() -> None:
    for bits in _interesting_bits(32, 2000):
        assert literals.parse_f32(f32_text(bits)) == bits, hex(bits)
    for bits in _interesting_bits(64, 2000):
        assert literals.parse_f64(f64_text(bits)) == bits, hex(bits)


@needs_wasm_tools
def test_floats_reparse_exactly_with_wasm_tools(tmp_path: Path) -> None:
    f32s = _interesting_bits(32, 300)
    f64s = _interesting_bits(64, 300)
    body = [ast.Instr(opcodes.F32_CONST, (bits,)) for bits in f32s]
    body += [ast.Instr(opcodes.F64_CONST, (bits,)) for bits in f64s]
    wasm = wat_to_wasm(print_module(_module_of([tuple(body)])), tmp_path)
    code = code_bodies(wasm)[0]
    expected = b"\x00" + b"".join(b"\x43" + b.to_bytes(4, "little") for b in f32s)
    expected += b"".join(b"\x44" + b.to_bytes(8, "little") for b in f64s)
    assert code == expected + b"\x0b"


def test_strings_and_v128() -> None:
    assert string_text(b'a"\\\n\x00\xff~') == '"a\\"\\\\\\0a\\00\\ff~"'
    assert string_text("é") == '"\\c3\\a9"'
    assert literals.string_bytes(string_text(bytes(range(256)))) == bytes(range(256))
    lanes = bytes(range(16))
    assert v128_text(lanes) == "i32x4 0x03020100 0x07060504 0x0b0a0908 0x0f0e0d0c"


# --- every row -------------------------------------------------------------

#: A sample value of each immediate kind.
_SAMPLES: Dict[Imm, Any] = {
    Imm.BLOCK_TYPE: None,
    Imm.CATCHES: (),
    Imm.LABEL: 0,
    Imm.LABEL_TABLE: ((0, 1), 2),
    Imm.FUNC: 1,
    Imm.TYPE: 0,
    Imm.TABLE: 1,
    Imm.MEMORY: 1,
    Imm.GLOBAL: 2,
    Imm.LOCAL: 3,
    Imm.ELEM: 4,
    Imm.DATA: 5,
    Imm.TAG: 6,
    Imm.FIELD: 7,
    Imm.U32: 8,
    Imm.LANE: 1,
    Imm.SHUFFLE: tuple(range(15, -1, -1)),
    Imm.I32: -2,
    Imm.I64: -(2**63),
    Imm.F32: 0x7FA00001,
    Imm.F64: 0x8000000000000001,
    Imm.V128: bytes(range(16)),
    Imm.VALTYPES: (RefType(False, 0),),
    Imm.CAST_FLAGS: ast.CastFlags(True, False),
}


def _sample_args(op: Op) -> Tuple[Any, ...]:
    args: List[Any] = []
    for imm in op.imms:
        if imm is Imm.ZERO_BYTE:
            continue
        if imm is Imm.MEMARG:
            args.append(ast.MemArg(align=0, offset=16, memory=1))
        elif imm is Imm.HEAP_TYPE:
            args.append(AbsHeapType.ANY if op.klass is OpClass.CAST else AbsHeapType.FUNC)
        else:
            args.append(_SAMPLES[imm])
    return tuple(args)


_NOP = ast.Instr(opcodes.NOP)

#: Rows that only appear inside a structured instruction: how to show them.
_MARKER_HOSTS: Dict[Op, ast.Instr] = {
    opcodes.ELSE: ast.Instr(opcodes.IF, (None, (_NOP,), (_NOP,))),
    opcodes.END: ast.Instr(opcodes.BLOCK, (None, ())),
    opcodes.CATCH: ast.Instr(opcodes.TRY, (None, (), (ast.LegacyCatch(0, (_NOP,)),), None)),
    opcodes.CATCH_ALL: ast.Instr(opcodes.TRY, (None, (), (ast.LegacyCatch(None, ()),), None)),
    opcodes.DELEGATE: ast.Instr(opcodes.TRY, (None, (_NOP,), (), 0)),
}

_BODIES: Dict[Op, Tuple[Any, ...]] = {
    opcodes.BLOCK: ((_NOP,),),
    opcodes.LOOP: ((_NOP,),),
    opcodes.IF: ((_NOP,), None),
    opcodes.TRY_TABLE: ((_NOP,),),
    opcodes.TRY: ((_NOP,), (), None),
}


def sample_instr(op: Op) -> ast.Instr:
    """An instruction of row ``op`` (or the structure showing a marker row)."""
    if op in _MARKER_HOSTS:
        return _MARKER_HOSTS[op]
    args = _sample_args(op)
    if op is opcodes.TRY_TABLE:
        catches = (
            ast.Catch(ast.CatchKind.CATCH, 1, 0),
            ast.Catch(ast.CatchKind.CATCH_REF, 2, 0),
            ast.Catch(ast.CatchKind.CATCH_ALL, None, 1),
            ast.Catch(ast.CatchKind.CATCH_ALL_REF, None, 0),
        )
        args = (args[0], catches)
    return ast.Instr(op, args + _BODIES.get(op, ()))


def _module_of(bodies: List[ast.Expr], locals_: Tuple[Any, ...] = ()) -> ast.Module:
    return ast.Module(
        types=(RecType((SubType(FuncType()),), explicit=False),),
        funcs=tuple(ast.Func(0, locals_, body) for body in bodies),
    )


def test_every_row_has_a_printable_sample() -> None:
    for op in ALL_OPS:
        text = instr_text(sample_instr(op))
        assert text.split()[0] == (op.keyword if op not in _MARKER_HOSTS else sample_instr(op).op.keyword)


@needs_wasm_tools
def test_every_row_prints_and_reparses(tmp_path: Path) -> None:
    module = _module_of([(sample_instr(op),) for op in ALL_OPS])
    wasm = wat_to_wasm(print_module(module), tmp_path)
    bodies = code_bodies(wasm)
    assert len(bodies) == len(ALL_OPS)
    missing = [op.mnemonic for op, body in zip(ALL_OPS, bodies) if op.encoding not in body]
    assert not missing, missing
    for op, body in zip(ALL_OPS, bodies):
        if op not in _MARKER_HOSTS:
            assert body[1 : 1 + len(op.encoding)] == op.encoding, op


@needs_wasm_tools
def test_every_row_matches_our_encoder(tmp_path: Path) -> None:
    encode_module = _binary_api("encode_module")
    if encode_module is None:
        pytest.skip("wasmport.binary.encode_module is not available yet")
    module = _module_of([(sample_instr(op),) for op in ALL_OPS])
    ours = code_bodies(encode_module(module))
    theirs = code_bodies(wat_to_wasm(print_module(module), tmp_path))
    wrong = [op.mnemonic for op, a, b in zip(ALL_OPS, ours, theirs) if a != b]
    assert not wrong, wrong


def test_operand_order_and_forms() -> None:
    def text(op: Op, *args: Any) -> str:
        return instr_text(ast.Instr(op, args))

    assert text(opcodes.CALL_INDIRECT, 3, 1) == "call_indirect 1 (type 3)"
    assert text(opcodes.MEMORY_INIT, 5, 1) == "memory.init 1 5"
    assert text(opcodes.TABLE_INIT, 4, 2) == "table.init 2 4"
    assert text(opcodes.TABLE_COPY, 1, 2) == "table.copy 1 2"
    assert text(opcodes.REF_TEST_NULL, 3) == "ref.test (ref null 3)"
    assert text(opcodes.REF_CAST, AbsHeapType.I31) == "ref.cast (ref i31)"
    assert text(opcodes.REF_CAST_NULL, AbsHeapType.I31) == "ref.cast i31ref"
    assert text(opcodes.REF_NULL, AbsHeapType.EXTERN) == "ref.null extern"
    assert text(opcodes.REF_CAST_NULL, RefType(True, 2, exact=True)) == "ref.cast (ref null (exact 2))"
    flags = ast.CastFlags(False, True)
    assert (
        text(opcodes.BR_ON_CAST_FAIL, flags, 1, AbsHeapType.ANY, 4)
        == "br_on_cast_fail 1 (ref any) (ref null 4)"
    )
    assert text(opcodes.I32_LOAD, ast.MemArg(2, 0)) == "i32.load"
    assert text(opcodes.I32_LOAD, ast.MemArg(0, 4, 1)) == "i32.load 1 offset=4 align=1"
    assert text(opcodes.V128_LOAD8_LANE, ast.MemArg(0, 0), 3) == "v128.load8_lane 3"
    assert text(opcodes.SELECT_T, (I32, FUNCREF)) == "select (result i32 funcref)"
    assert text(opcodes.ATOMIC_FENCE) == "atomic.fence"
    assert text(opcodes.BR_TABLE, ((0, 1), 2)) == "br_table 0 1 2"
    assert text(opcodes.BLOCK, 3, ()) == "block (type 3)"
    assert text(opcodes.LOOP, V128, ()) == "loop (result v128)"


def test_structured_layout() -> None:
    inner = ast.Instr(opcodes.BLOCK, (None, (ast.Instr(opcodes.BR, (1,)),)))
    body = (
        ast.Instr(opcodes.IF, (I32, (inner,), ())),
        ast.Instr(opcodes.TRY, (None, (_NOP,), (ast.LegacyCatch(0, ()), ast.LegacyCatch(None, (_NOP,))), None)),
    )
    assert body_text(body).splitlines() == [
        "if (result i32)",
        "  block",
        "    br 1",
        "  end",
        "else",
        "end",
        "try",
        "  nop",
        "catch 0",
        "catch_all",
        "  nop",
        "end",
    ]


@needs_wasm_tools
def test_deep_nesting_uses_no_recursion(tmp_path: Path) -> None:
    depth = 20000
    body: ast.Expr = (ast.Instr(opcodes.BR, (depth - 1,)),)
    for level in range(depth):
        op = opcodes.LOOP if level % 2 else opcodes.BLOCK
        body = (ast.Instr(op, (None, body)),)
    text = print_module(_module_of([body]))
    assert text.count("\n") > 2 * depth
    code = code_bodies(wat_to_wasm(text, tmp_path))[0]
    assert code.count(b"\x0b") == depth + 1


# --- module fields -----------------------------------------------------------


def _every_field_module() -> ast.Module:
    i32_const = ast.Instr(opcodes.I32_CONST, (0,))
    types = (
        RecType((SubType(FuncType((I32, I64), (F32,))),), explicit=False),
        RecType(
            (
                SubType(StructType((FieldType(I32, True), FieldType(PackedType.I8))), final=False),
                SubType(ArrayType(FieldType(RefType(True, 1), True)), supertypes=(), explicit=True),
                SubType(StructType(), final=False, supertypes=(1,), descriptor=4),
                SubType(StructType((FieldType(RefType(False, AbsHeapType.FUNC)),)), describes=3),
            )
        ),
        RecType((SubType(FuncType()),), explicit=False),
    )
    imports = (
        ast.Import("env", "f", ast.ExternKind.FUNC, ast.FuncImportType(0)),
        ast.Import("env", "g\x00é", ast.ExternKind.GLOBAL, GlobalType(I64, True)),
        ast.Import("env", "t", ast.ExternKind.TABLE, TableType(Limits(1, 2, AddrType.I64), FUNCREF)),
        ast.Import("env", "m", ast.ExternKind.MEMORY, MemoryType(Limits(1, 2, shared=True), 0)),
        ast.Import("env", "e", ast.ExternKind.TAG, TagType(5)),
    )
    body = (
        ast.Instr(opcodes.LOCAL_GET, (3,)),
        ast.Instr(opcodes.DROP),
        ast.Instr(opcodes.F32_CONST, (0x40490FDB,)),
    )
    return ast.Module(
        types=types,
        imports=imports,
        funcs=(ast.Func(0, (I32, I32, V128, RefType(True, 2)), body), ast.Func(5, (), ())),
        tables=(ast.Table(TableType(Limits(3), RefType(False, AbsHeapType.FUNC)), (ast.Instr(opcodes.REF_FUNC, (1,)),)),),
        memories=(ast.Memory(MemoryType(Limits(1, 65536, AddrType.I64))),),
        tags=(ast.Tag(TagType(5)),),
        globals=(ast.Global(GlobalType(F64), (ast.Instr(opcodes.F64_CONST, (0x7FF4000000000000,)),)),),
        exports=(
            ast.Export("f", ast.ExternKind.FUNC, 1),
            ast.Export("\n", ast.ExternKind.MEMORY, 0),
            ast.Export("t", ast.ExternKind.TAG, 1),
        ),
        start=2,
        elems=(
            ast.Elem(ast.SegmentMode.ACTIVE, FUNCREF, ((ast.Instr(opcodes.REF_FUNC, (0,)),),), None, (i32_const,), True),
            ast.Elem(
                ast.SegmentMode.ACTIVE,
                FUNCREF,
                ((ast.Instr(opcodes.REF_NULL, (AbsHeapType.FUNC,)),),),
                1,
                (i32_const,),
            ),
            ast.Elem(ast.SegmentMode.PASSIVE, RefType(False, AbsHeapType.FUNC), ((ast.Instr(opcodes.REF_FUNC, (2,)),),)),
            ast.Elem(ast.SegmentMode.DECLARATIVE, FUNCREF, ((ast.Instr(opcodes.REF_FUNC, (1,)),),), func_indices=True),
        ),
        datas=(
            ast.Data(ast.SegmentMode.ACTIVE, bytes(range(100)), None, (i32_const,)),
            ast.Data(ast.SegmentMode.ACTIVE, b"hi", 1, (ast.Instr(opcodes.I64_CONST, (8,)),)),
            ast.Data(ast.SegmentMode.PASSIVE, b'"\\'),
        ),
        customs=(
            ast.CustomSection("first", b"\x01\x02", ast.SectionId.CUSTOM),
            ast.CustomSection("after-code", b"xyz", ast.SectionId.CODE),
        ),
        names=ast.Names(
            module="mod",
            funcs=((0, "imported"), (1, "main"), (2, "dup"), (3, "dup")),
            locals=((1, ((0, "a"), (5, "x"), (4, "bad name"))),),
            types=((0, "sig"),),
            globals=((1, "g"),),
            fields=((1, ((0, "count"),)),),
        ),
    )


#: The same module, written by hand.
_EVERY_FIELD_WAT = r"""
(module
  (@custom "first" (before first) "\01\02")
  (type (func (param i32 i64) (result f32)))
  (rec
    (type (sub (struct (field (mut i32)) (field i8))))
    (type (sub final (array (mut (ref null 1)))))
    (type (sub 1 (descriptor 4) (struct)))
    (type (describes 3) (struct (field (ref func)))))
  (type (func))
  (import "env" "f" (func (type 0)))
  (import "env" "g\00\c3\a9" (global (mut i64)))
  (import "env" "t" (table i64 1 2 funcref))
  (import "env" "m" (memory 1 2 shared (pagesize 1)))
  (import "env" "e" (tag (type 5)))
  (table 3 (ref func) ref.func 1)
  (memory i64 1 65536)
  (tag (type 5))
  (global f64 f64.const nan:0x4000000000000)
  (export "f" (func 1))
  (export "\n" (memory 0))
  (export "t" (tag 1))
  (start 2)
  (elem (offset i32.const 0) func 0)
  (elem (table 1) (offset i32.const 0) funcref (item ref.null func))
  (elem (ref func) (item ref.func 2))
  (elem declare func 1)
  (func (type 0) (local i32 i32 v128 (ref null 2))
    local.get 3 drop f32.const 0x1.921fb6p+1)
  (func (type 5))
  (data (offset i32.const 0) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\11\12\13\14\15\16\17\18\19\1a\1b\1c\1d\1e\1f !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abc")
  (data (memory 1) (offset i64.const 8) "hi")
  (data "\"\\")
  (@custom "after-code" (after code) "xyz")
)
"""


def test_every_field_prints_names_where_valid() -> None:
    text = print_module(_every_field_module())
    assert text.startswith("(module $mod\n")
    assert "(func $main (type 0) (param $a i32) (param i64) (result f32)" in text
    assert "(local i32 i32)" in text and "(local $x (ref null 2))" in text
    assert '(local $"bad name" v128)' in text
    assert "$dup" not in text
    assert "(global $g f64 f64.const nan:0x4000000000000)" in text and "(type $sig (func" in text
    assert "(field $count (mut i32))" in text
    assert "(func (type 5))" in text
    bare = print_module(_every_field_module(), names=False)
    assert not any(name in bare for name in ("$mod", "$main", "$a", "$x", "$sig", "$g", "$count"))


@needs_wasm_tools
def test_every_field_matches_hand_written_text(tmp_path: Path) -> None:
    module = _every_field_module()
    printed = wat_to_wasm(print_module(module), tmp_path, "printed")
    reference = wat_to_wasm(_EVERY_FIELD_WAT, tmp_path, "reference")
    assert canonical_print(printed, tmp_path, "a") == canonical_print(reference, tmp_path, "b")
    # Custom sections survive, in place (strip removed them above).
    names = [b"first", b"after-code"]
    assert all(name in printed for name in names)
    assert printed.index(b"after-code") > printed.index(b"\x0a")


# --- the spec suite ---------------------------------------------------------

#: Script commands whose module is a binary to decode and print.
_MODULE_COMMANDS = {"module", "module_definition", "assert_invalid", "assert_unlinkable", "assert_uninstantiable"}


def _split_script(wast: Path, out: Path) -> Optional[List[Dict[str, Any]]]:
    """``wasm-tools json-from-wast``: the script's commands, binaries written to
    ``out``; None if wasm-tools cannot read the script (the legacy exception
    scripts' folded ``(try (do ...))`` form, which wasm-tools lacks)."""
    assert WASM_TOOLS is not None
    out.mkdir()
    run = subprocess.run(
        [WASM_TOOLS, "json-from-wast", str(wast), "--output", str(out / "script.json"), "--wasm-dir", str(out)],
        capture_output=True,
        text=True,
    )
    if run.returncode:
        return None
    commands: List[Dict[str, Any]] = json.loads((out / "script.json").read_text())["commands"]
    return commands


def _without_name_section(wasm: bytes) -> bytes:
    """The binary minus its ``name`` custom section (names print as ``$id``s, partially)."""
    out = bytearray(wasm[:8])
    pos = 8
    while pos < len(wasm):
        start = pos
        size, body = _uleb(wasm, pos + 1)
        pos = body + size
        if wasm[start] == 0:
            length, name_at = _uleb(wasm, body)
            if wasm[name_at : name_at + length] == b"name":
                continue
        out += wasm[start:pos]
    return bytes(out)


#: A module of a script: where it is, its binary, and its AST.
_SuiteModule = Tuple[str, bytes, ast.Module]


def _modules_by_wasm_tools(wast: Path, commands: List[Dict[str, Any]], out: Path) -> Tuple[List[_SuiteModule], List[str]]:
    decode_module = _binary_api("decode_module")
    if decode_module is None:
        pytest.skip("wasmport.binary.decode_module is not available yet")
    modules: List[_SuiteModule] = []
    failures: List[str] = []
    for command in commands:
        filename = command.get("filename", "")
        if command["type"] not in _MODULE_COMMANDS or not filename.endswith(".wasm"):
            continue
        where = f"{wast.name}:{command['line']}"
        original = (out / filename).read_bytes()
        try:
            modules.append((where, original, decode_module(original)))
        except WasmError as error:
            if command["type"] in ("module", "module_definition"):
                failures.append(f"{where}: decode failed: {error}")
    return modules, failures


def _modules_by_wasmport(wast: Path) -> List[_SuiteModule]:
    """The script's modules read by our own WAST parser, with our encoder's binaries."""
    encode_module = _binary_api("encode_module")
    try:
        from wasmport.script import ast as script_ast
        from wasmport.script.loader import read_module
        from wasmport.script.parser import parse_script
    except ImportError:
        encode_module = None
    if encode_module is None:
        pytest.skip(f"wasm-tools cannot read {wast.name} and wasmport's script parser/encoder is not available")
    modules: List[_SuiteModule] = []
    for command in parse_script(wast.read_text(), str(wast)).commands:
        module_command = getattr(command, "module", None) if not isinstance(command, script_ast.ModuleCommand) else command
        if not isinstance(module_command, script_ast.ModuleCommand) or isinstance(command, script_ast.AssertMalformedCustom):
            continue
        try:
            module = read_module(module_command.source, str(wast))
        except WasmError:
            continue
        modules.append((f"{wast.name}:{command.line}", encode_module(module), module))
    return modules


def _reparse_all(texts: List[str], tmp: Path) -> List[Optional[bytes]]:
    """wasm-tools' binary of each printed text (None where it rejects one), in one run."""
    script = tmp / "printed.wast"
    script.write_text("\n".join(texts))
    out = tmp / "printed"
    out.mkdir()
    assert WASM_TOOLS is not None
    run = subprocess.run(
        [WASM_TOOLS, "json-from-wast", str(script), "--output", str(out / "p.json"), "--wasm-dir", str(out)],
        capture_output=True,
    )
    if run.returncode == 0:
        commands = json.loads((out / "p.json").read_text())["commands"]
        return [(out / c["filename"]).read_bytes() for c in commands]
    results: List[Optional[bytes]] = []
    for index, text in enumerate(texts):
        source = tmp / f"one{index}.wat"
        source.write_text(text)
        one = subprocess.run([WASM_TOOLS, "parse", str(source), "-o", str(tmp / "one.wasm")], capture_output=True)
        results.append((tmp / "one.wasm").read_bytes() if one.returncode == 0 else None)
    return results


def _comparable(module: ast.Module) -> Tuple[ast.Module, List[Tuple[str, bytes]]]:
    """What text can say of a module: no names, no data count section, segments'
    implicit memory/table 0 made explicit; custom sections as a sorted list
    (the parser re-anchors them to the sections actually present)."""
    customs = sorted((custom.name, custom.data) for custom in module.customs)
    core = replace(
        module,
        names=None,
        data_count=None,
        customs=(),
        datas=tuple(replace(d, memory=d.memory or 0) for d in module.datas),
        elems=tuple(replace(e, table=e.table or 0) for e in module.elems),
    )
    return core, customs


@needs_wasm_tools
def test_spec_modules_round_trip(spec_wast: Path, tmp_path: Path) -> None:
    """decode -> print -> wasm-tools parse gives back the module (names aside),
    and our own text parser reads the print back to the same AST."""
    commands = _split_script(spec_wast, tmp_path / "original")
    if commands is None:
        modules, failures = _modules_by_wasmport(spec_wast), []
    else:
        modules, failures = _modules_by_wasm_tools(spec_wast, commands, tmp_path / "original")
    if not modules and not failures:
        pytest.skip(f"{spec_wast.name} has no well-formed module (only malformed ones)")
    texts = [print_module(module) for _, _, module in modules]
    try:
        from wasmport.text import parse_module
    except ImportError:
        parse_module = None
    for (where, original, module), text, again in zip(modules, texts, _reparse_all(texts, tmp_path)):
        if again is None:
            failures.append(f"{where}: wasm-tools rejects the printed text")
        elif _without_name_section(again) != _without_name_section(original):
            if canonical_print(again, tmp_path, "a") != canonical_print(original, tmp_path, "b"):
                failures.append(f"{where}: printed module differs from the original")
        if parse_module is not None and _comparable(parse_module(text)) != _comparable(module):
            failures.append(f"{where}: our parser reads the print back differently")
    assert not failures, "\n".join(failures[:20])


def _binary_round_trip(path: Path, tmp: Path) -> None:
    decode_module = _binary_api("decode_module")
    if decode_module is None:
        pytest.skip("wasmport.binary.decode_module is not available yet")
    original = path.read_bytes()
    if original[4:8] != b"\x01\x00\x00\x00":
        pytest.skip(f"{path.name} is a component, not a core module")
    again = wat_to_wasm(print_module(decode_module(original)), tmp)
    if _without_name_section(again) != _without_name_section(original):
        assert canonical_print(again, tmp, "a") == canonical_print(original, tmp, "b")


@needs_wasm_tools
def test_wasi_programs_round_trip(wasi_wasm: Path, tmp_path: Path) -> None:
    _binary_round_trip(wasi_wasm, tmp_path)


@needs_wasm_tools
def test_sightglass_benchmarks_round_trip(sightglass_wasm: Path, tmp_path: Path) -> None:
    _binary_round_trip(sightglass_wasm, tmp_path)
