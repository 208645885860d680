"""Decoder and encoder behaviour on hand-made binaries: every opcode-table
row, structured instructions (including the legacy ``try``), deep nesting,
locals, segments, custom and name sections, and malformed inputs."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Dict, List

import pytest

from wasmport.binary import decode_module, encode_module
from wasmport.binary.encode_instructions import write_expr
from wasmport.binary.instructions import read_expr
from wasmport.binary.reader import Reader
from wasmport.binary.writer import uleb
from wasmport.errors import DecodeError
from wasmport.syntax import opcodes
from wasmport.syntax.ast import (
    CastFlags,
    Catch,
    CatchKind,
    CustomSection,
    Instr,
    LegacyCatch,
    MemArg,
    Module,
    SectionId,
)
from wasmport.syntax.opcodes import Imm, Op
from wasmport.syntax.types import F32, I32, I64, AbsHeapType, RefType

HEADER = b"\x00asm\x01\x00\x00\x00"
TYPE_VOID = b"\x01\x04\x01\x60\x00\x00"  # one type: [] -> []
ONE_FUNC = b"\x03\x02\x01\x00"

SAMPLE_IMMEDIATES: Dict[Imm, Any] = {
    Imm.BLOCK_TYPE: None,
    Imm.CATCHES: (Catch(CatchKind.CATCH, 1, 0), Catch(CatchKind.CATCH_ALL_REF, None, 2)),
    Imm.LABEL: 3,
    Imm.LABEL_TABLE: ((0, 1, 200), 2),
    Imm.FUNC: 300,
    Imm.TYPE: 5,
    Imm.TABLE: 1,
    Imm.MEMORY: 2,
    Imm.GLOBAL: 7,
    Imm.LOCAL: 128,
    Imm.ELEM: 4,
    Imm.DATA: 6,
    Imm.TAG: 9,
    Imm.FIELD: 1,
    Imm.U32: 16,
    Imm.MEMARG: MemArg(3, 2**40, 1),
    Imm.LANE: 15,
    Imm.SHUFFLE: tuple(range(16)),
    Imm.I32: -(2**31),
    Imm.I64: -(2**63),
    Imm.F32: 0x7FC00001,
    Imm.F64: 0xFFF0000000000001,
    Imm.V128: bytes(range(16)),
    Imm.HEAP_TYPE: AbsHeapType.EQ,
    Imm.VALTYPES: (I32, RefType(False, 3)),
    Imm.CAST_FLAGS: CastFlags(True, False),
}

STRUCTURED_BODIES: Dict[Op, List[tuple]] = {
    opcodes.BLOCK: [((),)],
    opcodes.LOOP: [((),)],
    opcodes.IF: [((), None), ((), ())],
    opcodes.TRY_TABLE: [((),)],
    opcodes.TRY: [
        ((), (LegacyCatch(0, ()), LegacyCatch(None, ())), None),
        ((), (), 0),
    ],
}
DELIMITERS = {opcodes.END, opcodes.ELSE, opcodes.CATCH, opcodes.CATCH_ALL, opcodes.DELEGATE}


def sample_instructions(op: Op) -> List[Instr]:
    immediates = tuple(SAMPLE_IMMEDIATES[imm] for imm in op.imms if imm is not Imm.ZERO_BYTE)
    tails = STRUCTURED_BODIES.get(op, [()])
    return [Instr(op, immediates + tail) for tail in tails]


@pytest.mark.parametrize("op", [op for op in opcodes.ALL_OPS if op not in DELIMITERS], ids=str)
def test_every_row_encodes_and_decodes(op: Op) -> None:
    for instr in sample_instructions(op):
        out = bytearray()
        write_expr(out, (instr, instr))
        assert out.startswith(op.encoding)
        decoded = read_expr(Reader(bytes(out)))
        assert decoded == (instr, instr)
        assert decoded[1].offset > decoded[0].offset == 0


def module_with_body(body: bytes, locals_: bytes = b"\x00") -> bytes:
    code = locals_ + body
    entry = bytes([len(code)]) + code
    section = b"\x01" + entry
    return HEADER + TYPE_VOID + ONE_FUNC + b"\x0a" + bytes([len(section)]) + section


def test_legacy_try_decodes_to_documented_args() -> None:
    # try (catch 0 nop) (catch_all) end; try delegate 0
    body = b"\x06\x40\x01\x07\x00\x01\x19\x0b" + b"\x06\x40\x18\x00" + b"\x0b"
    data = HEADER + b"\x01\x04\x01\x60\x00\x00" + ONE_FUNC + b"\x0d\x03\x01\x00\x00"
    code = b"\x00" + body
    data += b"\x0a" + bytes([len(code) + 2, 1, len(code)]) + code
    module = decode_module(data)
    first, second = module.funcs[0].body
    assert first.args == (
        None,
        (Instr(opcodes.NOP),),
        (LegacyCatch(0, (Instr(opcodes.NOP),)), LegacyCatch(None, ())),
        None,
    )
    assert second.args == (None, (), (), 0)
    assert encode_module(module) == data


def test_if_without_else_and_with_empty_else_round_trip() -> None:
    for body in (b"\x41\x00\x04\x40\x0b\x0b", b"\x41\x00\x04\x40\x05\x0b\x0b"):
        data = module_with_body(body)
        assert encode_module(decode_module(data)) == data


def test_deep_nesting_needs_no_recursion() -> None:
    depth = 50_000
    body = b"\x02\x40" * depth + b"\x0b" * depth + b"\x0b"
    code = b"\x00" + body
    size = bytearray()
    uleb(size, len(code))
    entry = bytes(size) + code
    section = bytearray(b"\x01")
    section += entry
    section_size = bytearray()
    uleb(section_size, len(section))
    data = HEADER + TYPE_VOID + ONE_FUNC + b"\x0a" + bytes(section_size) + bytes(section)
    module = decode_module(data)
    assert encode_module(module) == data


@pytest.mark.parametrize(
    "locals_",
    [b"\x01\xff\xff\xff\xff\x0f\x7f", b"\x02\x80\x80\x80\x80\x08\x7f\x80\x80\x80\x80\x08\x7e"],
)
def test_too_many_locals_fails_without_allocating(locals_: bytes) -> None:
    with pytest.raises(DecodeError, match="too many locals"):
        decode_module(module_with_body(b"\x0b", locals_))


def test_locals_are_flattened_and_regrouped() -> None:
    data = module_with_body(b"\x0b", b"\x02\x02\x7f\x01\x7e")
    module = decode_module(data)
    assert len(module.funcs[0].locals) == 3
    assert encode_module(module) == data


def test_locals_groups_as_written_are_kept_only_when_not_canonical() -> None:
    canonical = decode_module(module_with_body(b"\x0b", b"\x02\x02\x7f\x01\x7e"))
    assert canonical.funcs[0].local_groups is None
    # a group of count zero, then two adjacent groups of one type
    written = b"\x04\x00\x7f\x01\x7e\x02\x7d\x01\x7d"
    data = module_with_body(b"\x0b", written)
    module = decode_module(data)
    func = module.funcs[0]
    assert func.local_groups == ((0, I32), (1, I64), (2, F32), (1, F32))
    assert func.locals == (I64, F32, F32, F32)
    assert encode_module(module) == data
    # equality ignores the grouping; the encoder drops a grouping that no
    # longer spells out the locals
    assert func == replace(func, local_groups=None)
    regrouped = replace(module, funcs=(replace(func, locals=(I64, F32)),))
    assert encode_module(regrouped) == module_with_body(b"\x0b", b"\x02\x01\x7e\x01\x7d")


def module_with_memory(body: bytes) -> bytes:
    code = b"\x00" + body
    code_section = b"\x0a" + bytes([len(code) + 2, 1, len(code)]) + code
    return HEADER + TYPE_VOID + ONE_FUNC + b"\x05\x03\x01\x00\x01" + code_section


def test_explicit_memory_index_zero_is_kept() -> None:
    # i32.const 0; i32.load offset=4 align=4, memory index 0 given explicitly; drop
    data = module_with_memory(b"\x41\x00\x28\x42\x00\x04\x1a\x0b")
    module = decode_module(data)
    memarg = module.funcs[0].body[1].args[0]
    assert memarg == MemArg(2, 4, 0)
    assert memarg.explicit_memory
    assert encode_module(module) == data
    implicit = decode_module(module_with_memory(b"\x41\x00\x28\x02\x04\x1a\x0b"))
    assert not implicit.funcs[0].body[1].args[0].explicit_memory
    assert implicit == module


@pytest.mark.parametrize(
    "section",
    [b"\x01", b"\x02", b"\x03", b"\x04", b"\x05", b"\x06", b"\x07", b"\x09", b"\x0a"]
    + [b"\x0b", b"\x0d"],
)
def test_empty_sections_are_kept(section: bytes) -> None:
    data = HEADER + section + b"\x01\x00" + custom(b"after", b"")
    module = decode_module(data)
    assert module.empty_sections == (SectionId(section[0]),)
    assert module == Module(customs=module.customs)
    assert encode_module(module) == data
    # without the record only the custom section's anchor keeps it
    assert encode_module(replace(module, empty_sections=())) == data
    assert encode_module(replace(module, empty_sections=(), customs=())) == HEADER


def test_empty_and_filled_sections_keep_their_order() -> None:
    data = HEADER + b"\x01\x01\x00" + b"\x03\x01\x00" + b"\x07\x01\x00" + b"\x0a\x01\x00"
    module = decode_module(data)
    assert module.empty_sections == (
        SectionId.TYPE,
        SectionId.FUNCTION,
        SectionId.EXPORT,
        SectionId.CODE,
    )
    assert encode_module(module) == data
    filled = HEADER + TYPE_VOID + ONE_FUNC + b"\x07\x01\x00" + b"\x0a\x04\x01\x02\x00\x0b"
    assert encode_module(decode_module(filled)) == filled


@pytest.mark.parametrize(
    "body, message",
    [
        (b"\xff\x0b", "illegal opcode ff"),
        (b"\xfc\x7f\x0b", "illegal opcode fc 7f"),
        (b"\x05\x0b", "END opcode expected"),
        (b"\x02\x40\x0b", "unexpected end"),
        (b"\x28\x80\x01\x00\x1a\x0b", "malformed memop flags"),
    ],
)
def test_malformed_bodies(body: bytes, message: str) -> None:
    with pytest.raises(DecodeError) as info:
        decode_module(module_with_body(body))
    assert info.value.message.startswith(message)


def test_data_count_required_for_data_indices() -> None:
    body = b"\x41\x00\x41\x00\x41\x00\xfc\x08\x00\x00\x0b"
    memory = b"\x05\x03\x01\x00\x01"
    code = b"\x00" + body
    code_section = b"\x0a" + bytes([len(code) + 2, 1, len(code)]) + code
    data_section = b"\x0b\x03\x01\x01\x00"
    without = HEADER + TYPE_VOID + ONE_FUNC + memory + code_section + data_section
    with pytest.raises(DecodeError, match="data count section required"):
        decode_module(without)
    with_count = HEADER + TYPE_VOID + ONE_FUNC + memory + b"\x0c\x01\x01"
    with_count += code_section + data_section
    module = decode_module(with_count)
    assert module.data_count == 1
    assert encode_module(module) == with_count


@pytest.mark.parametrize(
    "segment",
    [
        b"\x00\x41\x00\x0b\x01\x00",  # active table 0, function indices
        b"\x01\x00\x01\x00",  # passive, elemkind, function indices
        b"\x02\x00\x41\x00\x0b\x00\x01\x00",  # active, explicit table
        b"\x03\x00\x01\x00",  # declarative
        b"\x04\x41\x00\x0b\x01\xd2\x00\x0b",  # active table 0, expressions
        b"\x05\x70\x01\xd0\x70\x0b",  # passive, expressions
        b"\x06\x00\x41\x00\x0b\x70\x01\xd2\x00\x0b",  # active, explicit table, expressions
        b"\x07\x70\x01\xd2\x00\x0b",  # declarative, expressions
    ],
)
def test_element_segment_forms_round_trip(segment: bytes) -> None:
    table = b"\x04\x04\x01\x70\x00\x01"
    elements = b"\x09" + bytes([len(segment) + 1, 1]) + segment
    code = b"\x0a\x04\x01\x02\x00\x0b"
    data = HEADER + TYPE_VOID + ONE_FUNC + table + elements + code
    assert encode_module(decode_module(data)) == data


def custom(name: bytes, payload: bytes) -> bytes:
    content = bytes([len(name)]) + name + payload
    return b"\x00" + bytes([len(content)]) + content


def test_custom_and_name_sections_keep_their_places() -> None:
    names = b"\x00\x02\x01m" + b"\x01\x04\x01\x00\x01f" + b"\x02\x06\x01\x00\x01\x00\x01x"
    code = b"\x0a\x06\x01\x04\x01\x01\x7f\x0b"
    data = (
        HEADER
        + custom(b"first", b"\x01\x02")
        + TYPE_VOID
        + custom(b"after-type", b"")
        + ONE_FUNC
        + code
        + custom(b"before-name", b"x")
        + custom(b"name", names)
        + custom(b"producers", b"\x00")
    )
    module = decode_module(data)
    assert [(c.name, c.after) for c in module.customs] == [
        ("first", SectionId.CUSTOM),
        ("after-type", SectionId.TYPE),
        ("before-name", SectionId.CODE),
        ("producers", SectionId.CODE),
    ]
    assert module.names is not None
    assert module.names.module == "m"
    assert module.names.funcs == ((0, "f"),)
    assert module.names.locals == ((0, ((0, "x"),)),)
    assert encode_module(module) == data


def test_malformed_name_section_is_kept_as_a_custom_section() -> None:
    bad_names = b"\x01\x05\x01\x00\x02\xff\xfe"  # invalid UTF-8 in a function name
    data = HEADER + custom(b"name", bad_names)
    module = decode_module(data)
    assert module.names is None
    assert module.customs == (CustomSection("name", bad_names, SectionId.CUSTOM),)
    assert encode_module(module) == data


def test_custom_section_payload_is_copied_from_a_memoryview() -> None:
    payload = bytes(range(256)) * 64
    data = bytearray(HEADER + b"\x00\x84\x80\x01\x03dbg" + payload)
    module = decode_module(memoryview(data))
    data[-1] ^= 0xFF
    assert module.customs[0].data == payload


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "unexpected end"),
        (b"\x00asm\x02\x00\x00\x00", "unknown binary version"),
        (b"\x00asn\x01\x00\x00\x00", "magic header not detected"),
        (HEADER + b"\x0e\x00", "malformed section id"),
        (HEADER + TYPE_VOID + TYPE_VOID, "unexpected content after last section"),
        (HEADER + b"\x01\x03\x01\x60\x01", "unexpected end"),
        (HEADER + b"\x01\x03\x01\x60\x00\x00", "section size mismatch"),
        (HEADER + ONE_FUNC, "function and code section have inconsistent lengths"),
        (HEADER + b"\x05\x03\x01\x10\x00", "malformed limits flags"),
        (HEADER + b"\x06\x06\x01\x7f\x02\x41\x00\x0b", "malformed mutability"),
        (HEADER + b"\x01\x05\x01\x5f\x01\x10\x00", "malformed storage type"),
        (HEADER + b"\x02\x04\x01\x00\x00\x05", "malformed import kind"),
    ],
)
def test_malformed_modules(data: bytes, message: str) -> None:
    with pytest.raises(DecodeError) as info:
        decode_module(data)
    assert info.value.message.startswith(message)


def test_fast_instr_construction_makes_ordinary_frozen_instrs() -> None:
    import dataclasses

    from wasmport.binary.instructions import make_instr

    made = make_instr(opcodes.I32_CONST, (7,), 12)
    plain = Instr(opcodes.I32_CONST, (7,), 12)
    assert type(made) is Instr
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
    assert made.offset == 12
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.offset = 3  # type: ignore[misc]


def test_a_large_custom_section_is_copied_exactly_once() -> None:
    # Peak allocation is measured with tracemalloc, which only CPython has.
    tracemalloc = pytest.importorskip(
        "tracemalloc", reason="tracemalloc (allocation tracing) is CPython-only")
    payload = bytes(2 * 1024 * 1024)
    title = b"\x0b.debug_info"
    size = bytearray()
    uleb(size, len(title) + len(payload))
    data = HEADER + b"\x00" + bytes(size) + title + payload
    tracemalloc.start()
    try:
        module = decode_module(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert module.customs[0].data == payload
    assert len(payload) <= peak < 1.25 * len(payload), "one copy of the section, no more"


def test_arbitrary_sections_decode_or_fail_cleanly() -> None:
    hypothesis = pytest.importorskip("hypothesis")
    strategies = hypothesis.strategies

    @hypothesis.settings(max_examples=400, deadline=None)
    @hypothesis.given(strategies.binary(max_size=48))
    def check(tail: bytes) -> None:
        try:
            module = decode_module(HEADER + tail)
        except DecodeError:
            return
        assert decode_module(encode_module(module)) == module

    check()
