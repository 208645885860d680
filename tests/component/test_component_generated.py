"""A component that ``wasm-tools component new`` builds from WIT (resources,
records, variants, flags, enums, results, streams, futures, an async export)
decodes like ``wasm-tools`` sees it and validates; copies of it with a byte
changed get the verdict ``wasm-tools validate`` gives them."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from component_tools import (
    SMALL,
    decoded_sections,
    objdump_sections,
    run_tool,
    top_level_counts,
    validates,
)

from wasmport.component import decode_component, validate_component
from wasmport.component.ast import CanonBuiltin
from wasmport.errors import DecodeError, ValidationError

WIT = """
package my:pkg@1.2.3;

interface types {
  resource blob {
    constructor(init: list<u8>);
    write: func(bytes: list<u8>);
    read: func(n: u32) -> list<u8>;
    merge: static func(lhs: blob, rhs: borrow<blob>) -> blob;
  }
  record point { x: s32, y: s32 }
  variant shape { circle(f64), rect(point), none }
  enum color { red, green }
  flags perms { read, write }
  type res = result<point, string>;
  get: func(b: borrow<blob>, p: perms) -> res;
}

world w {
  import types;
  export types;
  use types.{point, shape, color};
  import f: func(p: point) -> option<tuple<u8, string>>;
  export run: func(s: shape) -> result<_, color>;
  export stream-it: async func(s: stream<u8>) -> future<string>;
}
"""


@pytest.fixture(scope="module")
def generated(wasm_tools: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wit")
    (folder / "world.wit").write_text(WIT)
    run_tool(wasm_tools, "component", "embed", "--dummy", str(folder / "world.wit"),
             "-o", str(folder / "core.wasm"))
    run_tool(wasm_tools, "component", "new", str(folder / "core.wasm"),
             "-o", str(folder / "component.wasm"))
    return folder / "component.wasm"


def test_generated_component_decodes(generated: Path, wasm_tools: str) -> None:
    data = generated.read_bytes()
    assert validates(wasm_tools, data)
    component = decode_component(data)
    assert validate_component(data) == component
    assert decoded_sections(component) == objdump_sections(wasm_tools, generated)
    counts = top_level_counts(run_tool(wasm_tools, "print", str(generated)).decode())
    assert (len(component.imports), len(component.exports)) == (
        counts["import"], counts["export"])
    names = {item.name for item in component.fields if isinstance(item, CanonBuiltin)}
    assert {"resource.new", "resource.rep", "resource.drop"} <= names


def test_mutants_agree_with_wasm_tools(generated: Path, wasm_tools: str) -> None:
    """Copies with one byte changed: validate_component's verdict is wasm-tools'."""
    generator = random.Random(7)
    rejected = 0
    for source in (SMALL, generated.read_bytes()):
        for _ in range(60):
            data = bytearray(source)
            position = generator.randrange(8, len(data))
            data[position] = generator.randrange(256)
            try:
                validate_component(bytes(data))
                verdict = None
            except (DecodeError, ValidationError) as error:
                rejected += 1
                verdict = str(error)
            assert (verdict is None) is validates(wasm_tools, bytes(data)), (position, verdict)
    assert rejected > 0
