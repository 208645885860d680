"""Opcode rows: the MVP and the proposals that extend the single-byte and
``0xFC`` spaces (sign extension, saturating conversions, bulk memory,
reference types, tail calls, exceptions, typed function references,
wide arithmetic)."""

from __future__ import annotations

from ...features import Feature
from .model import Imm, Op, OpClass

F = Feature
C = OpClass
I = Imm  # noqa: E741

UNREACHABLE = Op("unreachable", None, 0x00, (), None, F.MVP, C.CONTROL)
NOP = Op("nop", None, 0x01, (), " -> ", F.MVP, C.CONTROL)
BLOCK = Op("block", None, 0x02, (I.BLOCK_TYPE,), None, F.MVP, C.CONTROL)
# ... (rows continue)
I32_LOAD = Op("i32.load", None, 0x28, (I.MEMARG,), None, F.MVP, C.LOAD, 4)
I32_CONST = Op("i32.const", None, 0x41, (I.I32,), " -> i32", F.MVP, C.CONST)
I32_ADD = Op("i32.add", None, 0x6A, (), "i32 i32 -> i32", F.MVP, C.BINARY)
