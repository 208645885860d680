"""Component-model features that ``wasm-tools`` 1.262 leaves disabled by default.

The decoder reads every construct of the binary format; the constructs of
these features are then rejected (a :class:`~wasmport.errors.ValidationError`)
unless the feature is passed to :func:`~wasmport.component.decode_component`.
The async built-ins, async function types, ``stream``, ``future`` and ``map``
are enabled by default, as in ``wasm-tools``.
"""

from __future__ import annotations

import enum
from typing import Dict, Optional

from .ast import CanonBuiltin, CanonOptionKind


class ComponentFeature(enum.Enum):
    """An optional feature; the value is its name in error messages."""

    VALUES = "values"
    FIXED_LENGTH_LISTS = "fixed-length lists"
    ERROR_CONTEXT = "error-context"
    THREADING = "threading"
    SHARED_EVERYTHING_THREADS = "shared-everything-threads"
    FORWARD = "forward"
    MORE_ASYNC_BUILTINS = "more async builtins"


#: Built-ins (by opcode) that need a feature whatever their immediates.
BUILTIN_FEATURES: Dict[int, ComponentFeature] = {
    0x1C: ComponentFeature.ERROR_CONTEXT,
    0x1D: ComponentFeature.ERROR_CONTEXT,
    0x1E: ComponentFeature.ERROR_CONTEXT,
    0x26: ComponentFeature.THREADING,
    0x27: ComponentFeature.THREADING,
    0x28: ComponentFeature.THREADING,
    0x29: ComponentFeature.THREADING,
    0x2A: ComponentFeature.THREADING,
    0x2B: ComponentFeature.THREADING,
    0x2C: ComponentFeature.THREADING,
    0x2D: ComponentFeature.THREADING,
    0x2E: ComponentFeature.FORWARD,
    0x2F: ComponentFeature.FORWARD,
    0x40: ComponentFeature.SHARED_EVERYTHING_THREADS,
    0x41: ComponentFeature.SHARED_EVERYTHING_THREADS,
    0x42: ComponentFeature.SHARED_EVERYTHING_THREADS,
}

#: Built-ins whose ``async`` flag needs the more-async-builtins feature.
ASYNC_FLAG_BUILTINS = frozenset({0x06, 0x11, 0x12, 0x18, 0x19})

#: Stream and future reads and writes: synchronous ones (no ``async`` option)
#: need the more-async-builtins feature.
READ_WRITE_BUILTINS = frozenset({0x0F, 0x10, 0x16, 0x17})


def builtin_feature(builtin: CanonBuiltin) -> Optional[ComponentFeature]:
    """The disabled-by-default feature a built-in needs, if any."""
    feature = BUILTIN_FEATURES.get(builtin.opcode)
    if feature is not None:
        return feature
    if builtin.opcode in ASYNC_FLAG_BUILTINS and builtin.flag:
        return ComponentFeature.MORE_ASYNC_BUILTINS
    if builtin.opcode in READ_WRITE_BUILTINS and not any(
            option.kind is CanonOptionKind.ASYNC for option in builtin.options):
        return ComponentFeature.MORE_ASYNC_BUILTINS
    return None
