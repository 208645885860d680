"""The feature set each part of the official test suite is written against.

The WebAssembly testsuite keeps each proposal's scripts in a directory of its
own (``proposals/NAME/``), written against the spec the proposal forked from,
and the legacy exception scripts under ``legacy/``; everything else targets
the current core spec. Runners (Wasmtime's among them) therefore pick the
features per directory. The threads proposal forked before reference types,
multi-memory and memory64: its scripts expect a second table or memory, and
memory limits beyond 2^32, to be rejected.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Tuple, Union

from ..features import WASM2, Feature, Features

_DEFAULT = Features()

#: (directory components, features) pairs; the first match wins.
PROFILES: Tuple[Tuple[Tuple[str, ...], Features], ...] = (
    (
        ("proposals", "threads"),
        Features.of(WASM2 | {Feature.THREADS}).without(Feature.REFERENCE_TYPES),
    ),
    (("proposals", "custom-descriptors"), _DEFAULT.with_(Feature.CUSTOM_DESCRIPTORS)),
    (("proposals", "wide-arithmetic"), _DEFAULT.with_(Feature.WIDE_ARITHMETIC)),
    (("proposals", "custom-page-sizes"), _DEFAULT.with_(Feature.CUSTOM_PAGE_SIZES)),
    (("legacy",), _DEFAULT.with_(Feature.LEGACY_EXCEPTIONS)),
)


def features_for_script(script: Union[str, PurePath]) -> Features:
    """The features a script of the official suite expects, judged by the
    directories it sits in; the default (Wasm 3.0 and threads) elsewhere."""
    parts = PurePath(script).parts[:-1]
    for directories, features in PROFILES:
        width = len(directories)
        if any(parts[i : i + width] == directories for i in range(len(parts) - width + 1)):
            return features
    return _DEFAULT


__all__ = ["PROFILES", "features_for_script"]
