"""The byte reader: a position in a module's bytes and the spec's primitive encodings.

Errors follow the reference interpreter. Reading past the end of the input is
``"unexpected end of section or function"`` (offset: the input's length);
LEB128 integers fail with ``"integer representation too long"`` when they use
more bytes than their width allows and ``"integer too large"`` when the last
byte sets bits beyond the width (unsigned) or bits that are not a sign
extension (signed).

Sections are not read through bounded sub-readers: like the reference
interpreter, the decoder reads a section's contents from the whole input and
then checks that it ended where its size said (``"section size mismatch"``),
so the same malformed input gets the same message.

A LEB128 that uses more bytes than its value needs (an *over-long* one) is
valid; the reader notes its width in :attr:`Reader.widths` under its offset,
so that the encoder can spell it the same way again. Such an integer has at
least two bytes and is always read on the slow path, so the note costs the
common one-byte case nothing.

The reader indexes a ``bytes``-like object directly (one ``int`` per index,
no per-byte slicing) and takes 1-byte LEB128s on a fast path. Slices are
taken through a ``memoryview`` and copied exactly once by :meth:`Reader.bytes`.
"""

from __future__ import annotations

from typing import Dict, Union

from ..errors import DecodeError

#: What the decoder accepts as input.
Buffer = Union[bytes, bytearray, memoryview]

UNEXPECTED_END = "unexpected end of section or function"
TOO_LONG = "integer representation too long"
TOO_LARGE = "integer too large"


class Reader:
    """A cursor over a module's bytes. ``pos`` is public: decoders read and set it."""

    __slots__ = ("data", "view", "pos", "length", "data_index_used", "memory_flags", "widths")

    def __init__(self, data: Buffer, pos: int = 0) -> None:
        if isinstance(data, memoryview):
            view = data.cast("B") if data.format != "B" or data.ndim != 1 else data
            self.data: Union[bytes, bytearray, memoryview] = view
        else:
            view = memoryview(data)
            self.data = data
        self.view = view
        self.pos = pos
        self.length = len(view)
        #: Set when an instruction with a data index is read (the decoder then
        #: requires a data count section).
        self.data_index_used = False
        #: The limits flags a memory type may set (the decoder narrows it when a
        #: proposal that gives a flag its meaning is disabled).
        self.memory_flags = 0xFF
        #: Offset -> width in bytes of every over-long LEB128 read so far.
        self.widths: Dict[int, int] = {}

    # -- errors ---------------------------------------------------------------

    def eof(self) -> DecodeError:
        return DecodeError(UNEXPECTED_END, self.length)

    # -- bytes ----------------------------------------------------------------

    def at_end(self) -> bool:
        return self.pos >= self.length

    def peek(self) -> int:
        """The next byte without consuming it, or -1 at the end of the input."""
        pos = self.pos
        if pos < self.length:
            return self.data[pos]
        return -1

    def byte(self) -> int:
        pos = self.pos
        try:
            value = self.data[pos]
        except IndexError:
            raise self.eof() from None
        self.pos = pos + 1
        return value

    def expect(self, value: int, message: str) -> None:
        """Consume one byte that must be ``value``; else fail with ``message`` at its offset."""
        if self.byte() != value:
            raise DecodeError(message, self.pos - 1)

    def skip(self, count: int) -> None:
        end = self.pos + count
        if count < 0 or end > self.length:
            raise self.eof()
        self.pos = end

    def bytes(self, count: int) -> bytes:
        """``count`` bytes, copied once out of the input."""
        start = self.pos
        end = start + count
        if count < 0 or end > self.length:
            raise self.eof()
        self.pos = end
        return self.view[start:end].tobytes()

    def fixed32(self) -> int:
        """A little-endian 32-bit word (the raw bits of an ``f32``)."""
        start = self.pos
        end = start + 4
        if end > self.length:
            raise self.eof()
        self.pos = end
        return int.from_bytes(self.view[start:end], "little")

    def fixed64(self) -> int:
        """A little-endian 64-bit word (the raw bits of an ``f64``)."""
        start = self.pos
        end = start + 8
        if end > self.length:
            raise self.eof()
        self.pos = end
        return int.from_bytes(self.view[start:end], "little")

    # -- LEB128 ---------------------------------------------------------------

    def u32(self) -> int:
        pos = self.pos
        try:
            first = self.data[pos]
        except IndexError:
            raise self.eof() from None
        if first < 0x80:
            self.pos = pos + 1
            return first
        return self.unsigned(32)

    def u64(self) -> int:
        pos = self.pos
        try:
            first = self.data[pos]
        except IndexError:
            raise self.eof() from None
        if first < 0x80:
            self.pos = pos + 1
            return first
        return self.unsigned(64)

    def s32(self) -> int:
        pos = self.pos
        try:
            first = self.data[pos]
        except IndexError:
            raise self.eof() from None
        if first < 0x80:
            self.pos = pos + 1
            return first - 0x80 if first & 0x40 else first
        return self.signed(32)

    def s33(self) -> int:
        return self.signed(33)

    def s64(self) -> int:
        pos = self.pos
        try:
            first = self.data[pos]
        except IndexError:
            raise self.eof() from None
        if first < 0x80:
            self.pos = pos + 1
            return first - 0x80 if first & 0x40 else first
        return self.signed(64)

    def unsigned(self, bits: int) -> int:
        """An unsigned LEB128 of at most ``bits`` bits."""
        data = self.data
        pos = self.pos
        result = 0
        shift = 0
        remaining = bits
        while True:
            if remaining <= 0:
                raise DecodeError(TOO_LONG, pos)
            try:
                byte = data[pos]
            except IndexError:
                raise self.eof() from None
            pos += 1
            if remaining < 7 and (byte & 0x7F) >= (1 << remaining):
                raise DecodeError(TOO_LARGE, pos - 1)
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                if not byte and shift:  # a last byte of zero bits: over-long
                    self.widths[self.pos] = pos - self.pos
                self.pos = pos
                return result
            shift += 7
            remaining -= 7

    def signed(self, bits: int) -> int:
        """A signed LEB128 of at most ``bits`` bits."""
        data = self.data
        pos = self.pos
        result = 0
        shift = 0
        remaining = bits
        while True:
            if remaining <= 0:
                raise DecodeError(TOO_LONG, pos)
            try:
                byte = data[pos]
            except IndexError:
                raise self.eof() from None
            pos += 1
            if remaining < 7:
                mask = (-1 << (remaining - 1)) & 0x7F
                if byte & mask not in (0, mask):
                    raise DecodeError(TOO_LARGE, pos - 1)
            result |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                if (byte == 0x00 or byte == 0x7F) and shift > 7:
                    self._signed_width(pos, byte)
                self.pos = pos
                if byte & 0x40:
                    result -= 1 << shift
                return result
            remaining -= 7

    def _signed_width(self, end: int, last: int) -> None:
        """Note the signed LEB128 from :attr:`pos` to ``end`` if its ``last``
        byte (all zeros or all ones) only repeats the sign of the one before."""
        if (self.data[end - 2] ^ last) & 0x40 == 0:
            self.widths[self.pos] = end - self.pos

    def s7(self) -> int:
        """A one-byte signed LEB128 (type constructors are encoded this way)."""
        pos = self.pos
        try:
            byte = self.data[pos]
        except IndexError:
            raise self.eof() from None
        if byte >= 0x80:
            return self.signed(7)
        self.pos = pos + 1
        return byte - 0x80 if byte & 0x40 else byte

    # -- vectors and names ----------------------------------------------------

    def length32(self) -> int:
        """A ``u32`` length that must not exceed the bytes left in the input."""
        start = self.pos
        count = self.u32()
        if count > self.length - start:
            raise DecodeError("length out of bounds", start)
        return count

    def name(self) -> str:
        """A UTF-8 name (``vec(byte)``)."""
        start = self.pos
        count = self.length32()
        begin = self.pos
        end = begin + count
        if end > self.length:
            raise self.eof()
        self.pos = end
        try:
            # bytes.decode, not str(view, "utf-8"): PyPy's str() lets surrogates through.
            return self.view[begin:end].tobytes().decode("utf-8")
        except UnicodeDecodeError:
            raise DecodeError("malformed UTF-8 encoding", start) from None


__all__ = ["TOO_LARGE", "TOO_LONG", "UNEXPECTED_END", "Buffer", "Reader"]
