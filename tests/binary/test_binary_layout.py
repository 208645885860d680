"""Over-long LEB128s: the decoder notes their widths in :attr:`Module.layout`,
the encoder spells them so again (byte for byte), and nothing else sees them:
equality ignores the layout, a rebuilt or changed module has none and encodes
minimally, and a layout that does not fit the module is not applied."""

from __future__ import annotations

import dataclasses
from typing import Dict, List, Tuple

import pytest

from wasmport.binary import decode_module, encode_module
from wasmport.binary.reader import Reader
from wasmport.binary.writer import SpelledBuffer, Spelling, sleb, sleb64, uleb, uleb64
from wasmport.features import Features
from wasmport.syntax.ast import BinaryLayout, Export, ExternKind, Module
from wasmport.valid import validate

HEADER = b"\x00asm\x01\x00\x00\x00"


def leb(value: int, width: int = 0) -> bytes:
    """``value`` (non-negative) as an unsigned LEB128 of at least ``width`` bytes."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        width -= 1
        if value or width > 0:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def sleb_bytes(value: int, width: int = 0) -> bytes:
    """``value`` as a signed LEB128 of at least ``width`` bytes."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        width -= 1
        if width <= 0 and ((value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40)):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def section(section_id: int, content: bytes, size_width: int = 0) -> bytes:
    return bytes([section_id]) + leb(len(content), size_width) + content


def vector(items: List[bytes], count_width: int = 0) -> bytes:
    return leb(len(items), count_width) + b"".join(items)


def body(code: bytes, size_width: int = 0) -> bytes:
    """A function body with no locals."""
    return leb(len(code) + 1, size_width) + b"\x00" + code


def func_module(code: bytes, size_width: int = 0, between: bytes = b"") -> bytes:
    """One function ``[] -> []`` whose body is ``code`` (with its ``end``);
    ``between`` goes between the function and code sections."""
    return (
        HEADER
        + section(1, vector([b"\x60\x00\x00"]))
        + section(3, vector([b"\x00"]))
        + between
        + section(10, vector([body(code, size_width)]))
    )


def sized(content: bytes) -> bytes:
    return leb(len(content)) + content


def name_section_module() -> bytes:
    """One function, named ``f`` by a name section with over-long LEB128s."""
    entries = vector([leb(0, 2) + leb(1) + b"f"], count_width=2)
    subsection = b"\x01" + leb(len(entries), 3) + entries
    return (
        HEADER
        + section(1, vector([b"\x60\x00\x00"]))
        + section(3, vector([b"\x00"]))
        + section(10, vector([body(b"\x0b")]))
        + section(0, leb(4, 2) + b"name" + subsection, size_width=3)
    )


MEMORY = section(5, vector([b"\x00\x01"]))

#: Binaries with over-long LEB128s, by what is over-long.
PADDED: Dict[str, bytes] = {
    "section size": HEADER + section(1, vector([b"\x60\x00\x00"]), size_width=5),
    "vector count": HEADER + section(1, vector([b"\x60\x00\x00"], count_width=3)),
    "empty section count": HEADER + section(1, leb(0, 4)),
    "type index": HEADER
    + section(1, vector([b"\x60\x00\x00"]))
    + section(3, vector([leb(0, 5)]))
    + section(10, vector([body(b"\x0b")])),
    "export index and name length": HEADER
    + section(1, vector([b"\x60\x00\x00"]))
    + section(3, vector([b"\x00"]))
    + section(7, vector([leb(1, 2) + b"f" + b"\x00" + leb(0, 3)]))
    + section(10, vector([body(b"\x0b")])),
    "function body size": func_module(b"\x0b", size_width=5),
    "locals": HEADER
    + section(1, vector([b"\x60\x00\x00"]))
    + section(3, vector([b"\x00"]))
    + section(10, vector([sized(leb(1, 2) + leb(1, 3) + b"\x7f\x20" + leb(0, 2) + b"\x1a\x0b")])),
    "call index": func_module(b"\x10" + leb(0, 5) + b"\x0b"),
    "i32.const": func_module(b"\x41" + sleb_bytes(-1, 2) + b"\x1a\x0b"),
    "i32.const positive": func_module(b"\x41" + sleb_bytes(3, 5) + b"\x1a\x0b"),
    "i64.const": func_module(b"\x42" + sleb_bytes(0, 10) + b"\x1a\x0b"),
    "i64.const negative": func_module(b"\x42" + sleb_bytes(-64, 4) + b"\x1a\x0b"),
    "memarg": func_module(b"\x41\x00\x28" + leb(2, 3) + leb(4, 10) + b"\x1a\x0b", between=MEMORY),
    "limits": HEADER + section(5, vector([b"\x01" + leb(1, 4) + leb(2, 10)])),
    "prefixed opcode": func_module(
        b"\x41\x00\x41\x00\x41\x00\xfc" + leb(11, 3) + b"\x00\x0b", between=MEMORY
    ),
    "block type and br_table": func_module(
        b"\x02\x40\x41\x00\x0e" + leb(1, 2) + leb(0, 3) + leb(0, 4) + b"\x0b\x0b"
    ),
    "legacy try: catch tag and delegate label": func_module(
        b"\x06\x40\x07" + leb(0, 3) + b"\x0b\x06\x40\x18" + leb(0, 2) + b"\x0b",
        between=section(13, vector([b"\x00" + leb(0, 2)])),
    ),
    "abstract heap type": func_module(b"\xd0" + sleb_bytes(0x70 - 0x80, 2) + b"\x1a\x0b"),
    "data segment": HEADER
    + MEMORY
    + section(11, vector([leb(0, 2) + b"\x41\x00\x0b" + leb(2, 3) + b"hi"])),
    "custom section": HEADER + section(0, leb(1, 3) + b"c" + b"payload", size_width=2),
    "name section": name_section_module(),
}


@pytest.mark.parametrize("data", PADDED.values(), ids=list(PADDED))
def test_over_long_leb128s_round_trip_exactly(data: bytes) -> None:
    module = decode_module(data)
    validate(module, Features.all())
    assert module.layout is not None
    assert encode_module(module) == data


@pytest.mark.parametrize("data", PADDED.values(), ids=list(PADDED))
def test_without_its_layout_a_module_encodes_minimally(data: bytes) -> None:
    module = decode_module(data)
    rebuilt = dataclasses.replace(module)
    assert rebuilt.layout is None
    minimal = encode_module(rebuilt)
    assert len(minimal) < len(data)
    again = decode_module(minimal)
    assert again.layout is None
    assert again == module
    assert encode_module(again) == minimal


def test_name_section_is_decoded_not_kept_raw() -> None:
    module = decode_module(PADDED["name section"])
    assert module.names is not None and module.names.funcs == ((0, "f"),)
    assert module.customs == ()


def test_equality_and_hash_ignore_widths() -> None:
    padded = decode_module(PADDED["call index"])
    minimal = decode_module(encode_module(dataclasses.replace(padded)))
    assert padded.layout is not None and minimal.layout is None
    assert padded == minimal
    assert hash(padded) == hash(minimal)
    assert "layout" not in repr(padded)


def test_a_changed_module_encodes_minimally() -> None:
    module = decode_module(PADDED["export index and name length"])
    export = Export("g", ExternKind.FUNC, 0)
    changed = dataclasses.replace(module, exports=module.exports + (export,))
    assert changed.layout is None
    encoded = encode_module(changed)
    again = decode_module(encoded)
    assert again.layout is None
    assert again == changed


def test_the_layout_cannot_be_passed_in() -> None:
    module = decode_module(PADDED["vector count"])
    with pytest.raises((TypeError, ValueError)):
        dataclasses.replace(module, layout=module.layout)  # type: ignore[call-arg]


def with_layout(module: Module, widths: Dict[int, int]) -> Module:
    """``module`` carrying a layout made up by the test."""
    bases: Dict[Tuple[int, ...], int] = {}
    object.__setattr__(module, "layout", BinaryLayout(widths, bases))
    return module


MINIMAL = func_module(b"\x10\x00\x0b")
#: The offset of the type section's size in :data:`MINIMAL` (a made-up layout
#: has no section bases, so only the module's own LEB128s, the section sizes,
#: can be spelled from it).
TYPE_SECTION_SIZE = len(HEADER) + 1


@pytest.mark.parametrize(
    "widths",
    [
        {0: 3},  # the magic number: no LEB128 there
        {TYPE_SECTION_SIZE: 6},  # wider than a u32 may be
        {TYPE_SECTION_SIZE: 1},  # not wider than the minimal width
        {TYPE_SECTION_SIZE: 3, 0: 2},  # one fits, the other does not
    ],
)
def test_a_layout_that_does_not_fit_is_not_applied(widths: Dict[int, int]) -> None:
    module = with_layout(decode_module(MINIMAL), widths)
    encoded = encode_module(module)
    assert encoded == MINIMAL
    validate(decode_module(encoded))


def test_a_layout_that_fits_is_applied() -> None:
    module = with_layout(decode_module(MINIMAL), {TYPE_SECTION_SIZE: 3})
    encoded = encode_module(module)
    assert encoded[TYPE_SECTION_SIZE : TYPE_SECTION_SIZE + 3] == leb(4, 3)
    assert decode_module(encoded) == module


@pytest.mark.parametrize(
    ("data", "method", "value", "widths"),
    [
        (b"\x05", "u32", 5, {}),
        (b"\x85\x00", "u32", 5, {0: 2}),
        (b"\x80\x01", "u32", 128, {}),  # two bytes, but minimal
        (b"\x80\x80\x80\x80\x00", "u64", 0, {0: 5}),
        (b"\xff\x7f", "s32", -1, {0: 2}),
        (b"\x80\x7f", "s32", -128, {}),  # minimal: -128 needs a second byte
        (b"\xc0\x7f", "s32", -64, {0: 2}),
        (b"\xff\x00", "s32", 127, {}),  # minimal: 127 needs a zero sign byte
        (b"\xff\x80\x00", "s64", 127, {0: 3}),
        (b"\xf0\x7f", "s33", -16, {0: 2}),
    ],
)
def test_reader_notes_over_long_widths(
    data: bytes, method: str, value: int, widths: Dict[int, int]
) -> None:
    reader = Reader(data)
    assert getattr(reader, method)() == value
    assert reader.pos == len(data)
    assert reader.widths == widths


@pytest.mark.parametrize(
    ("write", "value", "width", "expected"),
    [
        (uleb, 0, 5, b"\x80\x80\x80\x80\x00"),
        (uleb, 5, 6, b"\x05"),  # a u32 is at most 5 bytes: not applied
        (uleb64, 5, 10, leb(5, 10)),
        (sleb, -1, 3, b"\xff\xff\x7f"),
        (sleb, 63, 2, b"\xbf\x00"),
        (sleb64, -(1 << 40), 10, sleb_bytes(-(1 << 40), 10)),
        (sleb, -(1 << 20), 2, sleb_bytes(-(1 << 20))),  # narrower than minimal: not applied
    ],
)
def test_writers_spell_the_layout_width(
    write: object, value: int, width: int, expected: bytes
) -> None:
    spelling = Spelling(BinaryLayout({10: width}, {}))
    out = SpelledBuffer(10, spelling)
    write(out, value)  # type: ignore[operator]
    assert bytes(out) == expected
    assert spelling.complete() == (len(expected) == width)


def test_a_name_section_kept_raw_leaves_no_widths() -> None:
    entries = vector([leb(0, 2) + b"\x02\xff\xfe"])  # invalid UTF-8: kept as raw bytes
    data = HEADER + section(0, leb(4) + b"name" + b"\x01" + leb(len(entries)) + entries)
    module = decode_module(data)
    assert module.names is None and len(module.customs) == 1
    assert module.layout is None
    assert encode_module(module) == data
