"""SIMD (``0xFD``) numerics: one pure function per value-computing vector instruction.

Representation (``docs/RUNTIME.md``): a ``v128`` is an unsigned 128-bit ``int``,
lane 0 in the least significant bits; ``i32``/``i64`` are unsigned ints;
``f32``/``f64`` are floats with the runtime NaN-payload convention. Float lanes
follow the scalar semantics of :mod:`.floats`/:mod:`.conversions` lane by lane,
bit for bit.

Functions are named after the mnemonic (``i8x16.add`` -> :func:`i8x16_add`).

Calling convention of :data:`SIMD_IMPLEMENTATIONS` (``Dict[Op, Callable]``):

* the operands in stack order (the deepest first: ``i8x16.sub(a, b)`` is
  ``a - b``; ``i8x16.shl(v, count)``; ``v128.bitselect(a, b, mask)``;
  ``f32x4.relaxed_madd(a, b, c)`` is ``a * b + c``), then
* the immediates in binary order as ``Instr.args`` holds them: a lane index
  (``i16x8.extract_lane_s(v, lane)``, ``i32x4.replace_lane(v, x, lane)``), the
  16 lane indices of ``i8x16.shuffle(a, b, lanes)``, the 16 bytes of
  ``v128.const(data)``.

The table holds every ``0xFD`` row except the loads and stores, whose memory
access belongs to the engine; :data:`SIMD_MEMORY_HELPERS` maps those rows to the
pure part (``v128.load`` and ``v128.store`` need none: the 16 bytes are the
value). Convention there: the engine reads the accessed bytes as a little-endian
``int`` ``raw`` and calls ``helper(raw)`` (extending, splatting and zero-filling
loads) or ``helper(v, raw, lane)`` (``load*_lane``); ``helper(v, lane)``
(``store*_lane``) returns the ``int`` whose little-endian bytes are stored.

Relaxed SIMD computes the deterministic profile (see :mod:`.simd_relaxed`).
"""

from __future__ import annotations

from typing import Any, Callable, Dict

from ..syntax import opcodes
from ..syntax.opcodes import Op, OpClass
from . import simd_float, simd_integer, simd_lanes, simd_relaxed
from .simd_float import *  # noqa: F403
from .simd_integer import *  # noqa: F403
from .simd_lanes import *  # noqa: F403
from .simd_relaxed import *  # noqa: F403


def v128_const(data: bytes) -> int:
    """``v128.const``: the 16 immediate bytes, little endian."""
    return int.from_bytes(data, "little")


_LOAD_HELPERS: Dict[str, str] = {
    "v128.load8x8_s": "v128_load8x8_s_extend",
    "v128.load8x8_u": "v128_load8x8_u_extend",
    "v128.load16x4_s": "v128_load16x4_s_extend",
    "v128.load16x4_u": "v128_load16x4_u_extend",
    "v128.load32x2_s": "v128_load32x2_s_extend",
    "v128.load32x2_u": "v128_load32x2_u_extend",
    "v128.load32_zero": "v128_load_zero_extend",
    "v128.load64_zero": "v128_load_zero_extend",
}

#: Rows whose whole semantics is the memory access (no pure part).
_PLAIN_MEMORY = frozenset({"v128.load", "v128.store"})

_MEMORY_CLASSES = (OpClass.VECTOR_LOAD, OpClass.VECTOR_STORE)


def _namespace() -> Dict[str, Any]:
    names: Dict[str, Any] = {"v128_const": v128_const}
    for module in (simd_lanes, simd_integer, simd_float, simd_relaxed):
        names.update((name, value) for name, value in vars(module).items() if callable(value))
    return names


def _python_name(op: Op) -> str:
    return op.mnemonic.replace(".", "_")


def _build() -> tuple[Dict[Op, Callable[..., Any]], Dict[Op, Callable[..., Any]]]:
    names = _namespace()
    values: Dict[Op, Callable[..., Any]] = {}
    memory: Dict[Op, Callable[..., Any]] = {}
    for op in opcodes.ALL_OPS:
        if op.prefix != 0xFD or op.mnemonic in _PLAIN_MEMORY:
            continue
        if op.klass in _MEMORY_CLASSES:
            function = names.get(_LOAD_HELPERS.get(op.mnemonic, _python_name(op)))
            table = memory
        else:
            function = names.get(_python_name(op))
            table = values
        if function is not None:
            table[op] = function
    return values, memory


#: Every value-computing ``0xFD`` row -> its function (convention in the module doc).
SIMD_IMPLEMENTATIONS: Dict[Op, Callable[..., Any]]
#: Every ``0xFD`` load/store row but ``v128.load``/``v128.store`` -> its pure helper.
SIMD_MEMORY_HELPERS: Dict[Op, Callable[..., Any]]
SIMD_IMPLEMENTATIONS, SIMD_MEMORY_HELPERS = _build()
