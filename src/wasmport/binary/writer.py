"""Encoding primitives: LEB128s, names and sized contents.

Every function appends to a ``bytearray`` (no intermediate ``bytes`` per value).
LEB128s are minimal, except in a :class:`SpelledBuffer`: the encoder writes
into those when the module was decoded from a binary with over-long LEB128s
(:attr:`~wasmport.syntax.ast.Module.layout`), and each LEB128 that sat at an
offset the layout lists gets the width it had there again.

A LEB128 is only ever widened within the bounds of its kind (5 bytes for 32
and 33 bits, 10 for 64), so whatever the layout says, the output is valid.
"""

from __future__ import annotations

from typing import Set, Tuple, Union

from ..syntax.ast import BinaryLayout

#: The most bytes a LEB128 of 32 or 33 bits, and of 64 bits, may take.
WIDTH_32 = 5
WIDTH_64 = 10


class Spelling:
    """A layout being applied: which of its offsets have been spelled so far."""

    __slots__ = ("layout", "spelled")

    def __init__(self, layout: BinaryLayout) -> None:
        self.layout = layout
        self.spelled: Set[int] = set()

    def complete(self) -> bool:
        """Whether every over-long LEB128 of the layout was written again."""
        return len(self.spelled) == len(self.layout.widths)


class SpelledBuffer(bytearray):
    """An output buffer whose byte ``i`` stands for byte ``base + i`` of the
    decoded binary: a LEB128 appended where the layout lists an over-long one
    takes that one's width (if its value fits in it)."""

    __slots__ = ("base", "spelling")

    def __init__(self, base: int, spelling: Spelling) -> None:
        super().__init__()
        self.base = base
        self.spelling = spelling

    def width(self, minimal: int, most: int) -> int:
        """The width of a LEB128 appended now, given its minimal and largest ones."""
        spelling = self.spelling
        where = self.base + len(self)
        width = spelling.layout.widths.get(where)
        if width is None or not minimal < width <= most:
            return minimal
        spelling.spelled.add(where)
        return width


def part(out: bytearray, base: Union[int, Tuple[int, ...]]) -> bytearray:
    """A buffer for contents built apart and then appended to ``out``.

    Plain, unless ``out`` is a :class:`SpelledBuffer`: then one for the contents
    that began at ``base`` in the binary (an offset, or a key of
    :attr:`BinaryLayout.bases`; plain if the binary had no such part).
    """
    if not isinstance(out, SpelledBuffer):
        return bytearray()
    spelling = out.spelling
    start = base if isinstance(base, int) else spelling.layout.bases.get(base, -1)
    return SpelledBuffer(start, spelling) if start >= 0 else bytearray()


def _unsigned(out: bytearray, value: int, most: int) -> None:
    if value < 0:
        raise ValueError(f"cannot encode {value} as an unsigned LEB128")
    width = 1
    if isinstance(out, SpelledBuffer):
        width = out.width(max(1, (value.bit_length() + 6) // 7), most)
    while True:
        byte = value & 0x7F
        value >>= 7
        width -= 1
        if value or width > 0:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return


def _signed(out: bytearray, value: int, most: int) -> None:
    width = 1
    if isinstance(out, SpelledBuffer):
        bits = (value if value >= 0 else ~value).bit_length() + 1
        width = out.width((bits + 6) // 7, most)
    while True:
        byte = value & 0x7F
        value >>= 7
        width -= 1
        if width <= 0 and ((value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40)):
            out.append(byte)
            return
        out.append(byte | 0x80)


def uleb(out: bytearray, value: int) -> None:
    """Append ``value`` (non-negative) as an unsigned LEB128 of 32 bits (a u32)."""
    if 0 <= value < 0x80 and out.__class__ is bytearray:
        out.append(value)
    else:
        _unsigned(out, value, WIDTH_32)


def uleb64(out: bytearray, value: int) -> None:
    """Append ``value`` (non-negative) as an unsigned LEB128 of 64 bits (a u64)."""
    if 0 <= value < 0x80 and out.__class__ is bytearray:
        out.append(value)
    else:
        _unsigned(out, value, WIDTH_64)


def sleb(out: bytearray, value: int) -> None:
    """Append ``value`` as a signed LEB128 of 32 or 33 bits (an s32 or s33)."""
    if -0x40 <= value < 0x40 and out.__class__ is bytearray:
        out.append(value & 0x7F)
    else:
        _signed(out, value, WIDTH_32)


def sleb64(out: bytearray, value: int) -> None:
    """Append ``value`` as a signed LEB128 of 64 bits (an s64)."""
    if -0x40 <= value < 0x40 and out.__class__ is bytearray:
        out.append(value & 0x7F)
    else:
        _signed(out, value, WIDTH_64)


def uleb_bytes(value: int) -> bytes:
    out = bytearray()
    uleb(out, value)
    return bytes(out)


def name(out: bytearray, text: str) -> None:
    """Append a UTF-8 name with its length."""
    encoded = text.encode("utf-8")
    uleb(out, len(encoded))
    out += encoded


def sized(out: bytearray, content: bytes | bytearray) -> None:
    """Append ``content`` preceded by its length."""
    uleb(out, len(content))
    out += content


__all__ = [
    "WIDTH_32",
    "WIDTH_64",
    "SpelledBuffer",
    "Spelling",
    "name",
    "part",
    "sized",
    "sleb",
    "sleb64",
    "uleb",
    "uleb64",
    "uleb_bytes",
]
