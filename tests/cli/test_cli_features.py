"""The CLI's --features option and its file discovery."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasmport.cli.features import parse_features
from wasmport.cli.wast import script_paths
from wasmport.features import WASM2, Feature, Features


def test_names_enable_and_minus_disables() -> None:
    base = Features.of(WASM2)
    result = parse_features("gc, -simd,tail_call", base)
    assert Feature.GC in result and Feature.TAIL_CALL in result
    assert Feature.SIMD not in result
    assert Feature.MVP in result


def test_groups_replace_the_set() -> None:
    assert parse_features("all", Features.of(WASM2)) == Features.all()
    assert parse_features("all,-threads", Features.of(WASM2)).enabled == (
        frozenset(Feature) - {Feature.THREADS}
    )
    assert parse_features("wasm2", Features.all()).enabled == WASM2


def test_unknown_name_is_an_error() -> None:
    with pytest.raises(ValueError, match="frobnication"):
        parse_features("frobnication", Features())


def test_directories_are_searched_for_wast(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("b.wast", "a.wast", "sub/c.wast", "notes.txt"):
        (tmp_path / name).write_text("")
    found = list(script_paths([str(tmp_path), "x.wast"]))
    assert found == [
        str(tmp_path / "a.wast"),
        str(tmp_path / "b.wast"),
        str(tmp_path / "sub" / "c.wast"),
        "x.wast",
    ]
