"""Numeric semantics of WebAssembly: one pure function per numeric instruction.

Shared by constant evaluation, the portable engine and the native engine's
tests. Functions are named after the instruction (``i32_add``,
``f32_nearest``, ``i64_trunc_sat_f64_u``) and work on the runtime value
representation of ``docs/RUNTIME.md``: i32/i64 as unsigned ``int``, f32/f64 as
``float`` (f32 NaN payloads kept by the :func:`f32_from_bits` convention).
Instructions that trap raise :class:`wasmport.errors.Trap`.

:data:`IMPLEMENTATIONS` maps every scalar numeric opcode-table row to its
function; :data:`SIMD_IMPLEMENTATIONS` and :data:`SIMD_MEMORY_HELPERS` (from
:mod:`.simd`) do the same for the vector rows.

Modules: :mod:`.bits` (float bits, f32 rounding, reinterpret), :mod:`.integers`,
:mod:`.floats`, :mod:`.conversions`, :mod:`.wide` (wide arithmetic),
:mod:`.table` (:data:`IMPLEMENTATIONS`), :mod:`.simd` (vector instructions).
"""

from __future__ import annotations

from . import bits, conversions, floats, integers, table, wide
from .bits import *  # noqa: F403
from .conversions import *  # noqa: F403
from .floats import *  # noqa: F403
from .integers import *  # noqa: F403
from .simd import SIMD_IMPLEMENTATIONS, SIMD_MEMORY_HELPERS
from .table import *  # noqa: F403
from .wide import *  # noqa: F403

__all__ = [
    *bits.__all__,
    *integers.__all__,
    *floats.__all__,
    *conversions.__all__,
    *wide.__all__,
    *table.__all__,
    "SIMD_IMPLEMENTATIONS",
    "SIMD_MEMORY_HELPERS",
]
