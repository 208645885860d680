"""Encoding primitives: minimal LEB128s, names and sized contents.

Every function appends to a ``bytearray`` (no intermediate ``bytes`` per value).
"""

from __future__ import annotations


def uleb(out: bytearray, value: int) -> None:
    """Append ``value`` (non-negative) as a minimal unsigned LEB128."""
    if 0 <= value < 0x80:
        out.append(value)
        return
    if value < 0:
        raise ValueError(f"cannot encode {value} as an unsigned LEB128")
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return


def sleb(out: bytearray, value: int) -> None:
    """Append ``value`` as a minimal signed LEB128."""
    if -0x40 <= value < 0x40:
        out.append(value & 0x7F)
        return
    while True:
        byte = value & 0x7F
        value >>= 7
        if (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40):
            out.append(byte)
            return
        out.append(byte | 0x80)


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


__all__ = ["name", "sized", "sleb", "uleb", "uleb_bytes"]
