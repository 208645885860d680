""":func:`wasmport.component.validate_component` gives ``wasm-tools validate``'s verdict.

Three sources of components:

* the snippets of :mod:`validate_cases`, :mod:`validate_cases_abi` and
  :mod:`validate_cases_types` (each marked valid or invalid; the verdict
  written there is first checked against ``wasm-tools`` itself, so the table
  stays honest, then against wasmport);
* components that ``wasm-tools component new`` builds from WIT worlds
  (resources, versioned interfaces, types used across interfaces, async
  functions, streams and futures), all valid;
* the two component binaries of the sightglass suite, both valid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import pytest
from component_tools import parse_wat, run_tool, validates
from validate_cases import CASES as STRUCTURE_CASES
from validate_cases import Case
from validate_cases_abi import CASES as ABI_CASES
from validate_cases_types import CASES as TYPE_CASES

from wasmport.errors import DecodeError, ValidationError

CASES: List[Case] = STRUCTURE_CASES + ABI_CASES + TYPE_CASES


def wasmport_verdict(data: bytes) -> str:
    """``"valid"`` or the message of wasmport's rejection."""
    from wasmport.component import validate_component

    try:
        validate_component(data)
    except (DecodeError, ValidationError) as error:
        return f"invalid: {error}"
    return "valid"


@pytest.fixture(scope="module")
def binaries(wasm_tools: str) -> Dict[str, bytes]:
    """Every case's binary, by case name (``wasm-tools parse`` runs once per case)."""
    return {case.name: parse_wat(wasm_tools, case.text) for case in CASES}


def test_case_names_are_unique() -> None:
    assert len({case.name for case in CASES}) == len(CASES)


def test_table_covers_both_verdicts() -> None:
    valid = sum(case.valid for case in CASES)
    assert valid >= 40 and len(CASES) - valid >= 60


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_table_agrees_with_wasm_tools(case: Case, binaries: Dict[str, bytes],
                                      wasm_tools: str) -> None:
    assert validates(wasm_tools, binaries[case.name]) is case.valid


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_wasmport_agrees_with_table(case: Case, binaries: Dict[str, bytes]) -> None:
    verdict = wasmport_verdict(binaries[case.name])
    assert (verdict == "valid") is case.valid, verdict


WORLDS: Dict[str, str] = {
    "resources": """
package demo:files;

interface fs {
  resource file {
    constructor(path: string);
    read: func(len: u64) -> result<list<u8>, string>;
    write: func(data: list<u8>) -> result<u64, string>;
    open-sibling: func(name: string) -> option<file>;
    copy: static func(src: borrow<file>, dst: borrow<file>) -> u64;
  }
  resource dir {
    entries: func() -> list<tuple<string, u64>>;
  }
  root: func() -> dir;
}

world host {
  import fs;
  export fs;
}
""",
    "versioned-interfaces": """
package demo:geometry@1.2.0;

interface shapes {
  record point { x: f64, y: f64 }
  variant shape { circle(tuple<point, f64>), polygon(list<point>), empty }
  flags style { filled, dashed, bold }
  enum unit { px, mm }
}

interface canvas {
  use shapes.{point, shape, style};
  draw: func(s: shape, st: style) -> result<_, string>;
  bounds: func(s: shape) -> tuple<point, point>;
}

world painter {
  import canvas;
  use shapes.{unit, shape};
  import scale: func(u: unit, factor: f32) -> f32;
  export canvas;
  export render: func(shapes: list<shape>) -> u32;
}
""",
    "async-streams": """
package demo:pipes@0.1.0;

interface pipe {
  record chunk { seq: u32, bytes: list<u8> }
  relay: async func(input: stream<chunk>) -> stream<chunk>;
  total: async func(input: stream<u8>) -> future<result<u64, string>>;
  tick: func() -> future;
}

world relay {
  import pipe;
  export pipe;
  export run: async func(name: string) -> result<string>;
}
""",
    "cross-interface-types": """
package demo:store@2.0.0;

interface errors {
  variant error { not-found(string), denied, io(u32) }
}

interface keys {
  use errors.{error};
  type key = string;
  resource cursor {
    next: func() -> option<key>;
  }
  scan: func(prefix: key) -> result<cursor, error>;
}

interface values {
  use keys.{key, cursor};
  use errors.{error};
  get: func(k: key) -> result<option<list<u8>>, error>;
  put: func(k: key, v: list<u8>) -> result<_, error>;
  drain: func(c: cursor) -> list<key>;
}

world kv {
  import values;
  export keys;
  export values;
}
""",
}


def build_world(wasm_tools: str, folder: Path, wit: str) -> bytes:
    """The component that ``wasm-tools component new`` makes of a world (with a
    dummy core module)."""
    (folder / "world.wit").write_text(wit)
    run_tool(wasm_tools, "component", "embed", "--dummy", str(folder / "world.wit"),
             "-o", str(folder / "core.wasm"))
    run_tool(wasm_tools, "component", "new", str(folder / "core.wasm"),
             "-o", str(folder / "component.wasm"))
    return (folder / "component.wasm").read_bytes()


@pytest.mark.parametrize("name", sorted(WORLDS))
def test_world_component_validates(name: str, tmp_path: Path, wasm_tools: str) -> None:
    data = build_world(wasm_tools, tmp_path, WORLDS[name])
    assert validates(wasm_tools, data)
    assert wasmport_verdict(data) == "valid"


SIGHTGLASS_COMPONENTS = ["cm-online-stats/cm-online-stats.wasm",
                         "kotlin-richards/kotlin-richards.wasm"]


@pytest.mark.parametrize("relative", SIGHTGLASS_COMPONENTS)
def test_sightglass_component_validates(relative: str, sightglass_dir: Path,
                                        wasm_tools: str) -> None:
    data = (sightglass_dir / relative).read_bytes()
    assert validates(wasm_tools, data)
    assert wasmport_verdict(data) == "valid"
