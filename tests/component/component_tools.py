"""Helpers of the component tests: running ``wasm-tools`` and listing sections.

``wasm-tools objdump`` lists a component's sections (nested components and
core modules between ``start``/``end`` markers) with the range of their
contents and their item counts; :func:`objdump_sections` reads that listing
for the component level (core modules' own sections left out) and
:func:`decoded_sections` gives the same listing from a decoded component.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Dict, List, Tuple

from wasmport.component.ast import Component, SectionId

#: (section kind, start of contents, end of contents, count)
SectionRow = Tuple[str, int, int, int]

#: objdump's names of the component-level sections.
OBJDUMP_NAMES: Dict[str, SectionId] = {
    "module": SectionId.CORE_MODULE,
    "core instances": SectionId.CORE_INSTANCE,
    "core types": SectionId.CORE_TYPE,
    "component": SectionId.COMPONENT,
    "component instances": SectionId.INSTANCE,
    "component alias": SectionId.ALIAS,
    "component types": SectionId.TYPE,
    "canonical functions": SectionId.CANON,
    "component start": SectionId.START,
    "component imports": SectionId.IMPORT,
    "component exports": SectionId.EXPORT,
    "component values": SectionId.VALUE,
}

#: ``wasm-tools parse`` of the text below, names stripped (``wasm-tools strip --all``)::
#:
#:   (component
#:     (type $f (func (param "x" u32) (result u32)))
#:     (import "double" (func $d (type $f)))
#:     (core module $m (func (export "f") (param i32) (result i32) local.get 0))
#:     (core instance $i (instantiate $m))
#:     (alias core export $i "f" (core func $cf))
#:     (func $g (type $f) (canon lift (core func $cf)))
#:     (core func $low (canon lower (func $d)))
#:     (component $c (import "a" (func)) (export "b" (func 0)))
#:     (instance $ci (export "g" (func $g)))
#:     (export "g" (func $g)))
SMALL = bytes.fromhex(
    "0061736d0d000100070801400101787900790a0b010006646f75626c65010001230061736d01000000"
    "01060160017f017f03020100070501016600000a0601040020000b020401000000060701000001000166"
    "080a0200000000000100000004200061736d0d000100070501400001000a060100016101000b07010001"
    "62010000050801010100016701010b0701000167010100"
)

ROW = re.compile(r"^(\s*)(.*?)\s*\|\s*(0x[0-9a-f]+) -\s*(0x[0-9a-f]+) \|.*\| (\d+) count$")


def run_tool(wasm_tools: str, *args: str, stdin: bytes = b"") -> bytes:
    done = subprocess.run([wasm_tools, *args], input=stdin, capture_output=True, check=False,
                          timeout=120)
    if done.returncode != 0:
        raise AssertionError(f"wasm-tools {' '.join(args)} failed: {done.stderr.decode()}")
    return done.stdout


def parse_wat(wasm_tools: str, text: str) -> bytes:
    """The binary of a component (or module) written as text."""
    return run_tool(wasm_tools, "parse", "-", "-o", "/dev/stdout", stdin=text.encode())


def validates(wasm_tools: str, data: bytes) -> bool:
    done = subprocess.run([wasm_tools, "validate", "-"], input=data, capture_output=True,
                          check=False, timeout=120)
    return done.returncode == 0


def objdump_sections(wasm_tools: str, path: Path) -> List[SectionRow]:
    rows: List[SectionRow] = []
    in_module = 0
    for line in run_tool(wasm_tools, "objdump", str(path)).decode().splitlines():
        if "start module" in line:
            in_module += 1
            continue
        if "end module" in line:
            in_module -= 1
            continue
        match = ROW.match(line)
        if match is None or in_module:
            continue
        name, start, end, count = match.group(2), match.group(3), match.group(4), match.group(5)
        kind = "custom" if name.startswith("custom") else OBJDUMP_NAMES[name].name.lower()
        # objdump starts a custom section after its name: leave its start out.
        begin = -1 if kind == "custom" else int(start, 16)
        rows.append((kind, begin, int(end, 16), int(count)))
    return rows


def decoded_sections(component: Component) -> List[SectionRow]:
    rows: List[SectionRow] = []
    nested = iter(item for item in component.fields if isinstance(item, Component))
    for section in component.sections:
        end = section.contents + section.size
        begin = -1 if section.id is SectionId.CUSTOM else section.contents
        rows.append((section.id.name.lower(), begin, end, section.count))
        if section.id is SectionId.COMPONENT:
            rows.extend(decoded_sections(next(nested)))
    return rows


def top_level_counts(printed: str) -> Dict[str, int]:
    """Imports, exports and nested components of the outermost component in
    ``wasm-tools print`` output (its fields are indented by two spaces)."""
    counts = {"import": 0, "export": 0, "component": 0}
    for line in printed.splitlines():
        match = re.match(r"^  \((import|export|component)\b", line)
        if match:
            counts[match.group(1)] += 1
    return counts
