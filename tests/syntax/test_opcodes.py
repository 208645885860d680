"""The opcode table: uniqueness, naming, signature sanity, and every row's
encoding checked against the reference tool (``wasm-tools parse``)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

from wasmport.features import Feature
from wasmport.syntax import opcodes
from wasmport.syntax.opcodes import ALL_OPS, BY_CODE, BY_MNEMONIC, Imm, Op, OpClass, core, simd
from wasmport.syntax.types import NumType

I32, I64, F32, F64, V128 = NumType.I32, NumType.I64, NumType.F32, NumType.F64, NumType.V128

MEMORY_CLASSES = {
    OpClass.LOAD,
    OpClass.STORE,
    OpClass.VECTOR_LOAD,
    OpClass.VECTOR_STORE,
    OpClass.ATOMIC_LOAD,
    OpClass.ATOMIC_STORE,
    OpClass.ATOMIC_RMW,
    OpClass.ATOMIC_CMPXCHG,
    OpClass.ATOMIC_WAIT,
    OpClass.ATOMIC_NOTIFY,
}

#: Classes whose every row has a fixed signature.
FIXED_CLASSES = MEMORY_CLASSES | {
    OpClass.CONST,
    OpClass.UNARY,
    OpClass.BINARY,
    OpClass.TEST,
    OpClass.COMPARE,
    OpClass.CONVERT,
    OpClass.VECTOR_SPLAT,
    OpClass.VECTOR_SHIFT,
    OpClass.VECTOR_TERNARY,
    OpClass.ATOMIC_FENCE,
}


def test_table_is_not_trivially_small() -> None:
    # MVP 172 + SIMD 236 + relaxed 20 + atomics 67 + GC 31 + the rest.
    assert len(ALL_OPS) >= 580


def test_encodings_and_mnemonics_unique() -> None:
    assert len(BY_CODE) == len(ALL_OPS)
    assert len(BY_MNEMONIC) == len(ALL_OPS)
    assert len({op.encoding for op in ALL_OPS}) == len(ALL_OPS)
    assert len({op.name for op in ALL_OPS}) == len(ALL_OPS)


def test_rows_are_module_constants_named_after_the_mnemonic() -> None:
    for table in opcodes._TABLES:
        for key, value in vars(table).items():
            if isinstance(value, Op):
                assert key == value.name, (key, value)
    for op in ALL_OPS:
        assert getattr(opcodes, op.name) is op


def test_mnemonic_spelling() -> None:
    word = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
    for op in ALL_OPS:
        keyword, _, variant = op.mnemonic.partition(" ")
        assert keyword == op.keyword
        assert word.match(keyword), op
        assert variant in ("", "null", "t"), op
        if variant:
            # A variant shares its keyword with a base row.
            assert keyword in BY_MNEMONIC, op


def test_prefixes_and_codes() -> None:
    assert opcodes.PREFIXES == {0xFB, 0xFC, 0xFD, 0xFE}
    for op in ALL_OPS:
        if op.prefix is None:
            assert 0 <= op.code <= 0xFF and op.code not in opcodes.PREFIXES
        else:
            assert 0 <= op.code < 2**32


def test_memory_rows() -> None:
    for op in ALL_OPS:
        if op.klass in MEMORY_CLASSES:
            assert op.mem_bytes in (1, 2, 4, 8, 16), op
            assert Imm.MEMARG in op.imms, op
        else:
            assert op.mem_bytes == 0, op
            assert Imm.MEMARG not in op.imms, op
    assert opcodes.I32_LOAD.params == () and opcodes.I32_LOAD.results == (I32,)
    assert opcodes.I32_STORE.params == (I32,) and opcodes.I32_STORE.results == ()
    assert opcodes.V128_LOAD8_LANE.params == (V128,) and opcodes.V128_LOAD8_LANE.mem_bytes == 1
    assert opcodes.I32_ATOMIC_RMW_CMPXCHG.params == (I32, I32)
    assert opcodes.I64_ATOMIC_RMW32_CMPXCHG_U.mem_bytes == 4


def test_memory_width_matches_mnemonic() -> None:
    width = re.compile(r"(?:load|store|rmw|wait)(8|16|32|64)(?:x|_|\.|$)")
    for op in ALL_OPS:
        if op.mem_bytes == 0:
            continue
        found = width.search(op.mnemonic)
        if "x" in op.mnemonic.split(".")[-1] and found and "load" in op.mnemonic:
            assert op.mem_bytes == 8, op  # v128.loadNxM_s: 64 bits
        elif found:
            assert op.mem_bytes * 8 == int(found.group(1)), op
        else:
            value_type = op.mnemonic.split(".")[0]
            expected = {"i32": 4, "i64": 8, "f32": 4, "f64": 8, "v128": 16, "memory": 4}
            assert op.mem_bytes == expected[value_type], op


def test_signature_sanity() -> None:
    for op in ALL_OPS:
        if op.klass in FIXED_CLASSES:
            assert op.params is not None and op.results is not None, op
        if op.params is None:
            continue
        assert op.results is not None
        if op.klass is OpClass.CONST:
            assert op.params == () and len(op.results) == 1, op
        elif op.klass is OpClass.UNARY:
            assert len(op.params) == 1 and op.params == op.results, op
        elif op.klass in (OpClass.TEST,):
            assert len(op.params) == 1 and op.results == (I32,), op
        elif op.klass is OpClass.COMPARE:
            assert len(op.params) == 2 and op.params[0] == op.params[1], op
            assert op.results == ((V128,) if op.params[0] is V128 else (I32,)), op
        elif op.klass is OpClass.BINARY and op.feature is not Feature.WIDE_ARITHMETIC:
            assert len(op.params) == 2 and op.results == op.params[:1], op
        elif op.klass is OpClass.CONVERT:
            assert len(op.params) == 1 and len(op.results) == 1, op
        elif op.klass is OpClass.VECTOR_TERNARY:
            assert op.params == (V128, V128, V128) and op.results == (V128,), op
        elif op.klass is OpClass.VECTOR_SHIFT:
            assert op.params == (V128, I32) and op.results == (V128,), op
        elif op.klass is OpClass.VECTOR_SPLAT:
            assert len(op.params) == 1 and op.results == (V128,), op


def test_scalar_signatures_follow_the_type_prefix() -> None:
    for op in ALL_OPS:
        if op.params is None or op.klass not in (OpClass.UNARY, OpClass.BINARY, OpClass.CONST):
            continue
        prefix = op.mnemonic.split(".")[0]
        expected = V128 if "x" in prefix else NumType[prefix.upper()]
        assert op.results is not None and op.results[0] is expected, op


def test_structured_rows() -> None:
    assert opcodes.BLOCK.imms == (Imm.BLOCK_TYPE,)
    assert opcodes.TRY_TABLE.imms == (Imm.BLOCK_TYPE, Imm.CATCHES)
    assert opcodes.ELSE.klass is OpClass.CONTROL and opcodes.END.klass is OpClass.CONTROL
    assert opcodes.TRY.feature is Feature.LEGACY_EXCEPTIONS
    assert opcodes.SELECT_T.keyword == "select" and opcodes.SELECT_T.imms == (Imm.VALTYPES,)
    assert opcodes.REF_TEST_NULL.keyword == "ref.test"
    assert opcodes.BR_ON_CAST.imms == (Imm.CAST_FLAGS, Imm.LABEL, Imm.HEAP_TYPE, Imm.HEAP_TYPE)
    assert opcodes.MEMORY_INIT.imms == (Imm.DATA, Imm.MEMORY)
    assert opcodes.TABLE_INIT.imms == (Imm.ELEM, Imm.TABLE)
    assert opcodes.CALL_INDIRECT.imms == (Imm.TYPE, Imm.TABLE)


def test_row_pickles_as_itself() -> None:
    import pickle

    for op in (opcodes.I32_ADD, opcodes.F32X4_RELAXED_MADD, opcodes.REF_CAST_NULL):
        assert pickle.loads(pickle.dumps(op)) is op


def test_every_feature_row_group_present() -> None:
    features = {op.feature for op in ALL_OPS}
    for feature in (
        Feature.MVP,
        Feature.SIGN_EXTENSION,
        Feature.SATURATING_FLOAT_TO_INT,
        Feature.BULK_MEMORY,
        Feature.REFERENCE_TYPES,
        Feature.SIMD,
        Feature.RELAXED_SIMD,
        Feature.TAIL_CALL,
        Feature.FUNCTION_REFERENCES,
        Feature.EXCEPTIONS,
        Feature.LEGACY_EXCEPTIONS,
        Feature.GC,
        Feature.THREADS,
        Feature.WIDE_ARITHMETIC,
        Feature.CUSTOM_DESCRIPTORS,
    ):
        assert feature in features, feature
    assert len([op for op in ALL_OPS if op in vars(core).values()]) > 200
    assert len([op for op in ALL_OPS if op.prefix == 0xFD]) == 256
    assert all(op.prefix == 0xFD for op in vars(simd).values() if isinstance(op, Op))


# --- cross-check against wasm-tools ---------------------------------------

#: Text operands wasm-tools accepts for each immediate (values are irrelevant:
#: ``wasm-tools parse`` does not validate).
_IMM_TEXT: Dict[Imm, str] = {
    Imm.BLOCK_TYPE: "",
    Imm.CATCHES: "",
    Imm.MEMARG: "",
    Imm.ZERO_BYTE: "",
    Imm.SHUFFLE: " ".join(str(lane) for lane in range(16)),
    Imm.V128: "i64x2 0 0",
    Imm.HEAP_TYPE: "func",
    Imm.VALTYPES: "(result i32)",
}

#: Rows whose text needs more than their own operands: (snippet, opcode offset).
_SPECIAL: Dict[str, Tuple[str, int]] = {
    "ELSE": ("if else end", 2),
    "END": ("block end", 2),
    "CATCH": ("try catch 0 end", 2),
    "CATCH_ALL": ("try catch_all end", 2),
    "DELEGATE": ("try delegate 0", 2),
    "CALL_INDIRECT": ("call_indirect (type 0)", 0),
    "RETURN_CALL_INDIRECT": ("return_call_indirect (type 0)", 0),
    "REF_TEST": ("ref.test (ref any)", 0),
    "REF_TEST_NULL": ("ref.test (ref null any)", 0),
    "REF_CAST": ("ref.cast (ref any)", 0),
    "REF_CAST_NULL": ("ref.cast (ref null any)", 0),
    "REF_CAST_DESC_EQ": ("ref.cast_desc_eq (ref 0)", 0),
    "REF_CAST_DESC_EQ_NULL": ("ref.cast_desc_eq (ref null 0)", 0),
    "BR_ON_CAST": ("br_on_cast 0 anyref anyref", 0),
    "BR_ON_CAST_FAIL": ("br_on_cast_fail 0 anyref anyref", 0),
    "BR_ON_CAST_DESC_EQ": ("br_on_cast_desc_eq 0 anyref (ref null 0)", 0),
    "BR_ON_CAST_DESC_EQ_FAIL": ("br_on_cast_desc_eq_fail 0 anyref (ref null 0)", 0),
}


def _snippet(op: Op) -> Tuple[str, int]:
    if op.name in _SPECIAL:
        return _SPECIAL[op.name]
    words = [op.keyword] + [_IMM_TEXT.get(imm, "0") for imm in op.imms]
    if Imm.BLOCK_TYPE in op.imms:
        words.append("end")
    return " ".join(word for word in words if word), 0


def _uleb(data: bytes, pos: int) -> Tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, pos


def _code_bodies(wasm: bytes) -> List[bytes]:
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


def _parse(wasm_tools: str, text: str, tmp: Path) -> Tuple[Optional[bytes], str]:
    source = tmp / "rows.wat"
    source.write_text(text)
    run = subprocess.run(
        [wasm_tools, "parse", str(source), "-o", str(tmp / "rows.wasm")],
        capture_output=True,
        text=True,
    )
    if run.returncode:
        return None, run.stderr
    return (tmp / "rows.wasm").read_bytes(), ""


def test_encodings_match_wasm_tools(tmp_path: Path) -> None:
    wasm_tools = shutil.which("wasm-tools")
    if wasm_tools is None:
        pytest.skip("wasm-tools is not on PATH: cannot cross-check encodings")
    snippets = [_snippet(op) for op in ALL_OPS]
    text = "(module\n" + "".join(f"  (func {s})\n" for s, _ in snippets) + ")\n"
    wasm, error = _parse(wasm_tools, text, tmp_path)
    if wasm is None:
        failures = []
        for op, (snippet, _) in zip(ALL_OPS, snippets):
            one, message = _parse(wasm_tools, f"(module (func {snippet}))", tmp_path)
            if one is None:
                failures.append(f"{op.mnemonic}: {snippet!r}: {message.strip()}")
        pytest.fail("wasm-tools rejects:\n" + "\n".join(failures or [error]))
    bodies = _code_bodies(wasm)
    assert len(bodies) == len(ALL_OPS)
    mismatches = []
    for op, (_, offset), body in zip(ALL_OPS, snippets, bodies):
        # body[0] is the (empty) locals vector.
        found = body[1 + offset : 1 + offset + len(op.encoding)]
        if body[0] != 0 or found != op.encoding:
            mismatches.append(f"{op.mnemonic}: table {op.encoding.hex()} wasm-tools {body.hex()}")
    assert not mismatches, "\n".join(mismatches)


def _signature_func(op: Op) -> str:
    """A function whose type is the row's signature and whose body is just the row."""
    assert op.params is not None and op.results is not None
    params = [t.text for t in op.params]
    results = " ".join(t.text for t in op.results)
    body = ["i32.const 0"] if op.mem_bytes else []
    body += [f"local.get {index}" for index in range(len(params))]
    body.append(_snippet(op)[0])
    signature = (f"(param {' '.join(params)}) " if params else "") + (f"(result {results})" if results else "")
    return f"  (func {signature} {' '.join(body)})\n"


def _validate(wasm_tools: str, text: str, tmp: Path) -> str:
    source = tmp / "sig.wat"
    source.write_text(text)
    run = subprocess.run(
        [wasm_tools, "validate", "--features", "all", str(source)], capture_output=True, text=True
    )
    return run.stderr.strip() if run.returncode else ""


def test_fixed_signatures_validate_with_wasm_tools(tmp_path: Path) -> None:
    """Each row with a fixed signature is valid exactly at that type (with an
    ``i32`` address in front for memory accesses)."""
    wasm_tools = shutil.which("wasm-tools")
    if wasm_tools is None:
        pytest.skip("wasm-tools is not on PATH: cannot cross-check signatures")
    fixed = [op for op in ALL_OPS if op.params is not None]
    assert len(fixed) > 450
    header = "(module (memory 1 1 shared)\n"
    if not _validate(wasm_tools, header + "".join(_signature_func(op) for op in fixed) + ")", tmp_path):
        return
    failures = []
    for op in fixed:
        error = _validate(wasm_tools, header + _signature_func(op) + ")", tmp_path)
        if error:
            failures.append(f"{op.mnemonic}: {error.splitlines()[0]}")
    pytest.fail("signatures wasm-tools rejects:\n" + "\n".join(failures))
