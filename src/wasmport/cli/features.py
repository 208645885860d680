"""The ``--features`` option: a comma list that edits a starting feature set.

Items apply left to right: ``all`` enables every feature, ``wasm2``/``wasm3``
select exactly that standard's features, ``NAME`` enables a feature and
``-NAME`` disables it. Names are :class:`wasmport.features.Feature` values
(``simd``, ``gc``, ``memory64``...; ``_`` works for ``-``).
"""

from __future__ import annotations

import argparse
from typing import Dict, FrozenSet

from ..features import WASM2, WASM3, Feature, Features

_GROUPS: Dict[str, FrozenSet[Feature]] = {
    "all": frozenset(Feature),
    "wasm2": WASM2,
    "wasm3": WASM3,
}


def parse_features(text: str, base: Features) -> Features:
    """Apply the comma list ``text`` to ``base``; raises ValueError on unknown names."""
    enabled = set(base.enabled)
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            continue
        if item.lower() in _GROUPS:
            enabled = set(_GROUPS[item.lower()])
        elif item.startswith("-"):
            enabled.discard(Feature.from_name(item[1:]))
        else:
            enabled.add(Feature.from_name(item.lstrip("+")))
    return Features.of(enabled)


class FeatureArgument:
    """An argparse ``type=``: turns the option's text into :class:`Features`."""

    def __init__(self, base: Features) -> None:
        self.base = base
        self.__name__ = "features"

    def __call__(self, text: str) -> Features:
        try:
            return parse_features(text, self.base)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None


def feature_names() -> str:
    return ", ".join(feature.value for feature in Feature)


__all__ = ["FeatureArgument", "feature_names", "parse_features"]
