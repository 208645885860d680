"""Wasm feature flags: which proposals a module may use.

Every opcode-table row and every non-MVP construct in the binary and text
formats names the :class:`Feature` that introduced it. A module that uses a
feature the active :class:`Features` set does not enable is rejected with a
message naming the feature.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Iterable


class Feature(enum.Enum):
    """A WebAssembly proposal. The value is the name used in messages and config."""

    MVP = "mvp"
    MUTABLE_GLOBAL = "mutable-global"
    SATURATING_FLOAT_TO_INT = "saturating-float-to-int"
    SIGN_EXTENSION = "sign-extension"
    MULTI_VALUE = "multi-value"
    BULK_MEMORY = "bulk-memory"
    REFERENCE_TYPES = "reference-types"
    SIMD = "simd"
    RELAXED_SIMD = "relaxed-simd"
    TAIL_CALL = "tail-call"
    EXTENDED_CONST = "extended-const"
    MULTI_MEMORY = "multi-memory"
    MEMORY64 = "memory64"
    FUNCTION_REFERENCES = "function-references"
    EXCEPTIONS = "exceptions"
    LEGACY_EXCEPTIONS = "legacy-exceptions"
    GC = "gc"
    THREADS = "threads"
    WIDE_ARITHMETIC = "wide-arithmetic"
    CUSTOM_PAGE_SIZES = "custom-page-sizes"
    CUSTOM_DESCRIPTORS = "custom-descriptors"

    @classmethod
    def from_name(cls, name: str) -> Feature:
        """Look a feature up by its name, accepting ``_`` for ``-``."""
        wanted = name.strip().lower().replace("_", "-")
        for feature in cls:
            if feature.value == wanted:
                return feature
        raise ValueError(f"unknown Wasm feature {name!r}")


#: The features of WebAssembly 2.0.
WASM2 = frozenset(
    {
        Feature.MVP,
        Feature.MUTABLE_GLOBAL,
        Feature.SATURATING_FLOAT_TO_INT,
        Feature.SIGN_EXTENSION,
        Feature.MULTI_VALUE,
        Feature.BULK_MEMORY,
        Feature.REFERENCE_TYPES,
        Feature.SIMD,
    }
)

#: The features of WebAssembly 3.0.
WASM3 = WASM2 | frozenset(
    {
        Feature.RELAXED_SIMD,
        Feature.TAIL_CALL,
        Feature.EXTENDED_CONST,
        Feature.MULTI_MEMORY,
        Feature.MEMORY64,
        Feature.FUNCTION_REFERENCES,
        Feature.EXCEPTIONS,
        Feature.GC,
    }
)


@dataclass(frozen=True)
class Features:
    """An immutable set of enabled features. The default is Wasm 3.0 plus threads."""

    enabled: frozenset[Feature] = WASM3 | frozenset({Feature.THREADS})

    @classmethod
    def all(cls) -> Features:
        """Every feature wasmport knows, including proposals outside Wasm 3.0."""
        return cls(frozenset(Feature))

    @classmethod
    def of(cls, features: Iterable[Feature]) -> Features:
        return cls(frozenset(features) | {Feature.MVP})

    def __contains__(self, feature: object) -> bool:
        return feature in self.enabled

    def with_(self, *features: Feature) -> Features:
        return Features(self.enabled | frozenset(features))

    def without(self, *features: Feature) -> Features:
        return Features(self.enabled - frozenset(features) | {Feature.MVP})


def feature_message(feature: Feature) -> str:
    """The message used when a module uses a disabled feature."""
    return f"{feature.value} support is not enabled"


__all__ = ["WASM2", "WASM3", "Feature", "Features", "feature_message"]
