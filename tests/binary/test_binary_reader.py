"""Unit tests of the byte reader and the LEB128 writer."""

from __future__ import annotations

import pytest

from wasmport.binary.reader import Reader
from wasmport.binary.writer import sleb, uleb
from wasmport.errors import DecodeError


def read(method: str, data: bytes) -> int:
    reader = Reader(data)
    value: int = getattr(reader, method)()
    assert reader.pos == len(data), "the whole encoding is consumed"
    return value


@pytest.mark.parametrize(
    "data, value",
    [
        (b"\x00", 0),
        (b"\x7f", 127),
        (b"\x80\x01", 128),
        (b"\xe5\x8e\x26", 624485),
        (b"\x80\x80\x80\x80\x00", 0),  # non-minimal but within 5 bytes
        (b"\xff\xff\xff\xff\x0f", 0xFFFFFFFF),
    ],
)
def test_u32(data: bytes, value: int) -> None:
    assert read("u32", data) == value


@pytest.mark.parametrize(
    "data, message, offset",
    [
        (b"\xff\xff\xff\xff\x10", "integer too large", 4),
        (b"\x80\x80\x80\x80\x80\x00", "integer representation too long", 5),
        (b"\x80", "unexpected end of section or function", 1),
        (b"", "unexpected end of section or function", 0),
    ],
)
def test_u32_malformed(data: bytes, message: str, offset: int) -> None:
    with pytest.raises(DecodeError) as info:
        Reader(data).u32()
    assert info.value.message == message
    assert info.value.offset == offset


@pytest.mark.parametrize(
    "data, value",
    [
        (b"\x7f", -1),
        (b"\x40", -64),
        (b"\x3f", 63),
        (b"\xc0\x00", 64),
        (b"\x80\x80\x80\x80\x78", -(2**31)),
        (b"\xff\xff\xff\xff\x07", 2**31 - 1),
        (b"\xff\xff\xff\xff\x7f", -1),  # non-minimal sign extension
    ],
)
def test_s32(data: bytes, value: int) -> None:
    assert read("s32", data) == value


@pytest.mark.parametrize(
    "data",
    [
        b"\x80\x80\x80\x80\x70",  # unused bits are not a sign extension
        b"\xff\xff\xff\xff\x0f",  # positive value with bit 31 set
    ],
)
def test_s32_too_large(data: bytes) -> None:
    with pytest.raises(DecodeError, match="integer too large"):
        Reader(data).s32()


def test_s33_and_s64_widths() -> None:
    assert read("s33", b"\xff\xff\xff\xff\x0f") == 0xFFFFFFFF
    assert read("s64", b"\x80\x80\x80\x80\x80\x80\x80\x80\x80\x7f") == -(2**63)
    with pytest.raises(DecodeError, match="integer representation too long"):
        Reader(b"\x80" * 10 + b"\x00").s64()
    with pytest.raises(DecodeError, match="integer too large"):
        Reader(b"\xff" * 9 + b"\x02").u64()
    assert read("u64", b"\xff" * 9 + b"\x01") == 2**64 - 1


def test_length_out_of_bounds() -> None:
    with pytest.raises(DecodeError) as info:
        Reader(b"\x05abc").length32()
    assert info.value.message == "length out of bounds"
    assert info.value.offset == 0


def test_names() -> None:
    assert Reader(b"\x03abc").name() == "abc"
    assert Reader("\u2323".encode()[:0] + b"\x03\xe2\x8c\xa3").name() == "\u2323"
    for bad in (b"\x01\x80", b"\x03\xed\xa0\x80", b"\x02\xc0\x80", b"\x04\xf4\x90\x80\x80"):
        with pytest.raises(DecodeError, match="malformed UTF-8 encoding"):
            Reader(bad).name()


def test_bytes_are_copied_out_of_a_memoryview() -> None:
    backing = bytearray(b"\x00hello")
    reader = Reader(memoryview(backing))
    reader.pos = 1
    chunk = reader.bytes(5)
    backing[1] = ord("j")
    assert chunk == b"hello"
    with pytest.raises(DecodeError, match="unexpected end"):
        reader.bytes(1)


@pytest.mark.parametrize("value", [0, 1, 63, 64, 127, 128, 2**31 - 1, 2**32 - 1, 2**63, 2**64 - 1])
def test_uleb_round_trip(value: int) -> None:
    out = bytearray()
    uleb(out, value)
    assert read("u64", bytes(out)) == value
    assert len(out) == max(1, -(-value.bit_length() // 7)), "minimal length"


@pytest.mark.parametrize(
    "value", [0, -1, 63, -64, 64, -65, 2**31 - 1, -(2**31), 2**63 - 1, -(2**63)]
)
def test_sleb_round_trip(value: int) -> None:
    out = bytearray()
    sleb(out, value)
    assert read("s64", bytes(out)) == value
    magnitude = value if value >= 0 else ~value
    assert len(out) == max(1, -(-(magnitude.bit_length() + 1) // 7)), "minimal length"


try:
    from hypothesis import given
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a test extra
    given = None


if given is not None:

    @given(st.integers(min_value=0, max_value=2**64 - 1))
    def test_any_u64_round_trips(value: int) -> None:
        out = bytearray()
        uleb(out, value)
        reader = Reader(bytes(out))
        assert reader.u64() == value and reader.at_end()

    @given(st.integers(min_value=-(2**63), max_value=2**63 - 1))
    def test_any_s64_round_trips(value: int) -> None:
        out = bytearray()
        sleb(out, value)
        reader = Reader(bytes(out))
        assert reader.s64() == value and reader.at_end()

    @given(st.binary(max_size=12))
    def test_arbitrary_bytes_read_or_fail_cleanly(data: bytes) -> None:
        for method in ("u32", "u64", "s32", "s33", "s64", "name", "length32"):
            try:
                getattr(Reader(data), method)()
            except DecodeError:
                pass
