"""The component binaries of the shared suites decode, and their sections,
imports and exports are the ones ``wasm-tools`` sees."""

from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import pytest
from component_tools import decoded_sections, objdump_sections, run_tool, top_level_counts

from wasmport.binary import decode_module
from wasmport.component import decode_component
from wasmport.component.ast import (
    CanonLift,
    CanonLower,
    Component,
    ExternType,
    ExternTypeKind,
    SectionId,
)
from wasmport.errors import DecodeError

COMPONENT_HEADER = b"\x00asm\x0d\x00\x01\x00"


def components_in(root: Path) -> List[Path]:
    return sorted(path for path in root.rglob("*.wasm")
                  if path.read_bytes()[:8] == COMPONENT_HEADER)


def all_components(component: Component) -> List[Component]:
    found = [component]
    for item in component.fields:
        if isinstance(item, Component):
            found.extend(all_components(item))
    return found


def canon_counts(component: Component) -> Tuple[int, int]:
    """How many ``canon lift`` and ``canon lower`` the component and its nested ones hold."""
    fields = [item for inner in all_components(component) for item in inner.fields]
    return (sum(isinstance(item, CanonLift) for item in fields),
            sum(isinstance(item, CanonLower) for item in fields))


def test_every_suite_component_decodes(sightglass_dir: Path, wasi_dir: Path) -> None:
    paths = components_in(sightglass_dir) + components_in(wasi_dir)
    assert {"cm-online-stats.wasm", "kotlin-richards.wasm"} <= {path.name for path in paths}
    for path in paths:
        assert decode_component(path.read_bytes()).sections, path.name


def test_core_decoder_still_names_a_component(sightglass_dir: Path) -> None:
    for path in components_in(sightglass_dir):
        with pytest.raises(DecodeError, match="unknown binary version: this is a component"):
            decode_module(path.read_bytes())


def test_cm_online_stats(sightglass_dir: Path) -> None:
    component = decode_component((sightglass_dir / "cm-online-stats/cm-online-stats.wasm")
                                 .read_bytes())
    nested = [item for item in component.fields if isinstance(item, Component)]
    assert len(nested) == 3
    assert [str(item.name.name) for item in component.imports] == [
        "bench", "wasi:io/error@0.2.6", "wasi:io/streams@0.2.6", "wasi:cli/stdout@0.2.6",
        "wasi:filesystem/types@0.2.6", "wasi:filesystem/preopens@0.2.6"]
    assert [item.name.name for item in component.exports] == ["wasi:cli/run@0.2.6"]
    assert all(isinstance(item.desc, ExternType) and item.desc.kind is ExternTypeKind.INSTANCE
               for item in component.imports)
    assert canon_counts(component) == (9, 15)


def test_kotlin_richards(sightglass_dir: Path) -> None:
    component = decode_component((sightglass_dir / "kotlin-richards/kotlin-richards.wasm")
                                 .read_bytes())
    assert len(component.imports) == 10
    assert canon_counts(component) == (1, 20)
    assert [item.name.name for item in component.exports] == ["wasi:cli/run@0.2.6"]
    kinds = {section.id for section in component.sections}
    assert {SectionId.CORE_MODULE, SectionId.CORE_INSTANCE, SectionId.ALIAS, SectionId.TYPE,
            SectionId.CANON, SectionId.IMPORT, SectionId.EXPORT} <= kinds


def test_sections_match_objdump(sightglass_dir: Path, wasi_dir: Path, wasm_tools: str) -> None:
    paths = components_in(sightglass_dir) + components_in(wasi_dir)
    assert paths
    for path in paths:
        component = decode_component(path.read_bytes())
        assert decoded_sections(component) == objdump_sections(wasm_tools, path), path.name


def test_imports_and_exports_match_print(sightglass_dir: Path, wasi_dir: Path,
                                         wasm_tools: str) -> None:
    for path in components_in(sightglass_dir) + components_in(wasi_dir):
        component = decode_component(path.read_bytes())
        printed = run_tool(wasm_tools, "print", str(path)).decode()
        expected = top_level_counts(printed)
        nested = sum(isinstance(item, Component) for item in component.fields)
        assert (len(component.imports), len(component.exports), nested) == (
            expected["import"], expected["export"], expected["component"]), path.name
        assert canon_counts(component) == (printed.count("(canon lift"),
                                           printed.count("(canon lower")), path.name
