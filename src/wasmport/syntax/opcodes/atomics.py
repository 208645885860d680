"""Opcode rows of the ``0xFE`` space: the threads proposal's atomic memory
accesses, wait/notify and fence."""

from __future__ import annotations

from ...features import Feature
from .model import Imm, Op, OpClass

F = Feature
C = OpClass
I = Imm  # noqa: E741

# Wait, notify and fence
MEMORY_ATOMIC_NOTIFY = Op("memory.atomic.notify", 0xFE, 0x00, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_NOTIFY, 4)
MEMORY_ATOMIC_WAIT32 = Op("memory.atomic.wait32", 0xFE, 0x01, (I.MEMARG,), "i32 i64 -> i32", F.THREADS, C.ATOMIC_WAIT, 4)
MEMORY_ATOMIC_WAIT64 = Op("memory.atomic.wait64", 0xFE, 0x02, (I.MEMARG,), "i64 i64 -> i32", F.THREADS, C.ATOMIC_WAIT, 8)
ATOMIC_FENCE = Op("atomic.fence", 0xFE, 0x03, (I.ZERO_BYTE,), " -> ", F.THREADS, C.ATOMIC_FENCE)

# Atomic loads
I32_ATOMIC_LOAD = Op("i32.atomic.load", 0xFE, 0x10, (I.MEMARG,), " -> i32", F.THREADS, C.ATOMIC_LOAD, 4)
I64_ATOMIC_LOAD = Op("i64.atomic.load", 0xFE, 0x11, (I.MEMARG,), " -> i64", F.THREADS, C.ATOMIC_LOAD, 8)
I32_ATOMIC_LOAD8_U = Op("i32.atomic.load8_u", 0xFE, 0x12, (I.MEMARG,), " -> i32", F.THREADS, C.ATOMIC_LOAD, 1)
I32_ATOMIC_LOAD16_U = Op("i32.atomic.load16_u", 0xFE, 0x13, (I.MEMARG,), " -> i32", F.THREADS, C.ATOMIC_LOAD, 2)
I64_ATOMIC_LOAD8_U = Op("i64.atomic.load8_u", 0xFE, 0x14, (I.MEMARG,), " -> i64", F.THREADS, C.ATOMIC_LOAD, 1)
I64_ATOMIC_LOAD16_U = Op("i64.atomic.load16_u", 0xFE, 0x15, (I.MEMARG,), " -> i64", F.THREADS, C.ATOMIC_LOAD, 2)
I64_ATOMIC_LOAD32_U = Op("i64.atomic.load32_u", 0xFE, 0x16, (I.MEMARG,), " -> i64", F.THREADS, C.ATOMIC_LOAD, 4)

# Atomic stores
I32_ATOMIC_STORE = Op("i32.atomic.store", 0xFE, 0x17, (I.MEMARG,), "i32 -> ", F.THREADS, C.ATOMIC_STORE, 4)
I64_ATOMIC_STORE = Op("i64.atomic.store", 0xFE, 0x18, (I.MEMARG,), "i64 -> ", F.THREADS, C.ATOMIC_STORE, 8)
I32_ATOMIC_STORE8 = Op("i32.atomic.store8", 0xFE, 0x19, (I.MEMARG,), "i32 -> ", F.THREADS, C.ATOMIC_STORE, 1)
I32_ATOMIC_STORE16 = Op("i32.atomic.store16", 0xFE, 0x1A, (I.MEMARG,), "i32 -> ", F.THREADS, C.ATOMIC_STORE, 2)
I64_ATOMIC_STORE8 = Op("i64.atomic.store8", 0xFE, 0x1B, (I.MEMARG,), "i64 -> ", F.THREADS, C.ATOMIC_STORE, 1)
I64_ATOMIC_STORE16 = Op("i64.atomic.store16", 0xFE, 0x1C, (I.MEMARG,), "i64 -> ", F.THREADS, C.ATOMIC_STORE, 2)
I64_ATOMIC_STORE32 = Op("i64.atomic.store32", 0xFE, 0x1D, (I.MEMARG,), "i64 -> ", F.THREADS, C.ATOMIC_STORE, 4)

# Atomic read-modify-write: add
I32_ATOMIC_RMW_ADD = Op("i32.atomic.rmw.add", 0xFE, 0x1E, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 4)
I64_ATOMIC_RMW_ADD = Op("i64.atomic.rmw.add", 0xFE, 0x1F, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 8)
I32_ATOMIC_RMW8_ADD_U = Op("i32.atomic.rmw8.add_u", 0xFE, 0x20, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 1)
I32_ATOMIC_RMW16_ADD_U = Op("i32.atomic.rmw16.add_u", 0xFE, 0x21, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 2)
I64_ATOMIC_RMW8_ADD_U = Op("i64.atomic.rmw8.add_u", 0xFE, 0x22, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 1)
I64_ATOMIC_RMW16_ADD_U = Op("i64.atomic.rmw16.add_u", 0xFE, 0x23, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 2)
I64_ATOMIC_RMW32_ADD_U = Op("i64.atomic.rmw32.add_u", 0xFE, 0x24, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 4)

# Atomic read-modify-write: sub
I32_ATOMIC_RMW_SUB = Op("i32.atomic.rmw.sub", 0xFE, 0x25, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 4)
I64_ATOMIC_RMW_SUB = Op("i64.atomic.rmw.sub", 0xFE, 0x26, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 8)
I32_ATOMIC_RMW8_SUB_U = Op("i32.atomic.rmw8.sub_u", 0xFE, 0x27, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 1)
I32_ATOMIC_RMW16_SUB_U = Op("i32.atomic.rmw16.sub_u", 0xFE, 0x28, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 2)
I64_ATOMIC_RMW8_SUB_U = Op("i64.atomic.rmw8.sub_u", 0xFE, 0x29, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 1)
I64_ATOMIC_RMW16_SUB_U = Op("i64.atomic.rmw16.sub_u", 0xFE, 0x2A, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 2)
I64_ATOMIC_RMW32_SUB_U = Op("i64.atomic.rmw32.sub_u", 0xFE, 0x2B, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 4)

# Atomic read-modify-write: and
I32_ATOMIC_RMW_AND = Op("i32.atomic.rmw.and", 0xFE, 0x2C, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 4)
I64_ATOMIC_RMW_AND = Op("i64.atomic.rmw.and", 0xFE, 0x2D, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 8)
I32_ATOMIC_RMW8_AND_U = Op("i32.atomic.rmw8.and_u", 0xFE, 0x2E, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 1)
I32_ATOMIC_RMW16_AND_U = Op("i32.atomic.rmw16.and_u", 0xFE, 0x2F, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 2)
I64_ATOMIC_RMW8_AND_U = Op("i64.atomic.rmw8.and_u", 0xFE, 0x30, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 1)
I64_ATOMIC_RMW16_AND_U = Op("i64.atomic.rmw16.and_u", 0xFE, 0x31, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 2)
I64_ATOMIC_RMW32_AND_U = Op("i64.atomic.rmw32.and_u", 0xFE, 0x32, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 4)

# Atomic read-modify-write: or
I32_ATOMIC_RMW_OR = Op("i32.atomic.rmw.or", 0xFE, 0x33, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 4)
I64_ATOMIC_RMW_OR = Op("i64.atomic.rmw.or", 0xFE, 0x34, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 8)
I32_ATOMIC_RMW8_OR_U = Op("i32.atomic.rmw8.or_u", 0xFE, 0x35, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 1)
I32_ATOMIC_RMW16_OR_U = Op("i32.atomic.rmw16.or_u", 0xFE, 0x36, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 2)
I64_ATOMIC_RMW8_OR_U = Op("i64.atomic.rmw8.or_u", 0xFE, 0x37, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 1)
I64_ATOMIC_RMW16_OR_U = Op("i64.atomic.rmw16.or_u", 0xFE, 0x38, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 2)
I64_ATOMIC_RMW32_OR_U = Op("i64.atomic.rmw32.or_u", 0xFE, 0x39, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 4)

# Atomic read-modify-write: xor
I32_ATOMIC_RMW_XOR = Op("i32.atomic.rmw.xor", 0xFE, 0x3A, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 4)
I64_ATOMIC_RMW_XOR = Op("i64.atomic.rmw.xor", 0xFE, 0x3B, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 8)
I32_ATOMIC_RMW8_XOR_U = Op("i32.atomic.rmw8.xor_u", 0xFE, 0x3C, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 1)
I32_ATOMIC_RMW16_XOR_U = Op("i32.atomic.rmw16.xor_u", 0xFE, 0x3D, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 2)
I64_ATOMIC_RMW8_XOR_U = Op("i64.atomic.rmw8.xor_u", 0xFE, 0x3E, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 1)
I64_ATOMIC_RMW16_XOR_U = Op("i64.atomic.rmw16.xor_u", 0xFE, 0x3F, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 2)
I64_ATOMIC_RMW32_XOR_U = Op("i64.atomic.rmw32.xor_u", 0xFE, 0x40, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 4)

# Atomic read-modify-write: xchg
I32_ATOMIC_RMW_XCHG = Op("i32.atomic.rmw.xchg", 0xFE, 0x41, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 4)
I64_ATOMIC_RMW_XCHG = Op("i64.atomic.rmw.xchg", 0xFE, 0x42, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 8)
I32_ATOMIC_RMW8_XCHG_U = Op("i32.atomic.rmw8.xchg_u", 0xFE, 0x43, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 1)
I32_ATOMIC_RMW16_XCHG_U = Op("i32.atomic.rmw16.xchg_u", 0xFE, 0x44, (I.MEMARG,), "i32 -> i32", F.THREADS, C.ATOMIC_RMW, 2)
I64_ATOMIC_RMW8_XCHG_U = Op("i64.atomic.rmw8.xchg_u", 0xFE, 0x45, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 1)
I64_ATOMIC_RMW16_XCHG_U = Op("i64.atomic.rmw16.xchg_u", 0xFE, 0x46, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 2)
I64_ATOMIC_RMW32_XCHG_U = Op("i64.atomic.rmw32.xchg_u", 0xFE, 0x47, (I.MEMARG,), "i64 -> i64", F.THREADS, C.ATOMIC_RMW, 4)

# Atomic read-modify-write: cmpxchg
I32_ATOMIC_RMW_CMPXCHG = Op("i32.atomic.rmw.cmpxchg", 0xFE, 0x48, (I.MEMARG,), "i32 i32 -> i32", F.THREADS, C.ATOMIC_CMPXCHG, 4)
I64_ATOMIC_RMW_CMPXCHG = Op("i64.atomic.rmw.cmpxchg", 0xFE, 0x49, (I.MEMARG,), "i64 i64 -> i64", F.THREADS, C.ATOMIC_CMPXCHG, 8)
I32_ATOMIC_RMW8_CMPXCHG_U = Op("i32.atomic.rmw8.cmpxchg_u", 0xFE, 0x4A, (I.MEMARG,), "i32 i32 -> i32", F.THREADS, C.ATOMIC_CMPXCHG, 1)
I32_ATOMIC_RMW16_CMPXCHG_U = Op("i32.atomic.rmw16.cmpxchg_u", 0xFE, 0x4B, (I.MEMARG,), "i32 i32 -> i32", F.THREADS, C.ATOMIC_CMPXCHG, 2)
I64_ATOMIC_RMW8_CMPXCHG_U = Op("i64.atomic.rmw8.cmpxchg_u", 0xFE, 0x4C, (I.MEMARG,), "i64 i64 -> i64", F.THREADS, C.ATOMIC_CMPXCHG, 1)
I64_ATOMIC_RMW16_CMPXCHG_U = Op("i64.atomic.rmw16.cmpxchg_u", 0xFE, 0x4D, (I.MEMARG,), "i64 i64 -> i64", F.THREADS, C.ATOMIC_CMPXCHG, 2)
I64_ATOMIC_RMW32_CMPXCHG_U = Op("i64.atomic.rmw32.cmpxchg_u", 0xFE, 0x4E, (I.MEMARG,), "i64 i64 -> i64", F.THREADS, C.ATOMIC_CMPXCHG, 4)
