"""Malformed and invalid components: every failure is a DecodeError or a
ValidationError with an offset, never another exception; where ``wasm-tools``
is installed, it rejects the invalid ones too."""

from __future__ import annotations

import random
from typing import List

import pytest
from component_tools import SMALL, parse_wat, validates

from wasmport.component import ComponentFeature, decode_component
from wasmport.component.decoder import PREAMBLE_SIZE
from wasmport.errors import DecodeError, ValidationError

PREAMBLE = b"\x00asm\x0d\x00\x01\x00"


def section_ends(data: bytes) -> List[int]:
    """The offsets at which the top-level sections of ``data`` end."""
    component = decode_component(data)
    return [section.contents + section.size for section in component.sections]


def test_small_component_decodes() -> None:
    component = decode_component(SMALL)
    assert len(component.sections) == 9
    assert [export.name.name for export in component.exports] == ["g"]


def test_every_truncation_is_a_decode_error() -> None:
    boundaries = set(section_ends(SMALL)) | {PREAMBLE_SIZE}
    for cut in range(len(SMALL)):
        if cut in boundaries:
            # A prefix made of whole sections is a smaller, well-formed component.
            decode_component(SMALL[:cut])
            continue
        with pytest.raises(DecodeError) as caught:
            decode_component(SMALL[:cut])
        assert 0 <= caught.value.offset <= cut, cut


def test_random_corruptions_raise_only_wasm_errors() -> None:
    generator = random.Random(20261126)
    outcomes = {"decoded": 0, "malformed": 0, "invalid": 0}
    for _ in range(3000):
        data = bytearray(SMALL)
        for _ in range(generator.randint(1, 3)):
            position = generator.randrange(PREAMBLE_SIZE, len(data))
            data[position] = generator.randrange(256)
        try:
            decode_component(bytes(data))
            outcomes["decoded"] += 1
        except DecodeError:
            outcomes["malformed"] += 1
        except ValidationError:
            outcomes["invalid"] += 1
    assert outcomes["malformed"] > 0 and outcomes["invalid"] > 0


@pytest.mark.parametrize(("data", "message"), [
    (b"", "magic header not detected"),
    (b"\x00asn\x0d\x00\x01\x00", "magic header not detected"),
    (b"\x00asm\x0d\x00", "unexpected end"),
    (b"\x00asm\x01\x00\x00\x00", "not a component: layer 0 is a core module"),
    (b"\x00asm\x0d\x00\x02\x00", "unknown binary layer 0x2"),
    (b"\x00asm\x0a\x00\x01\x00", "unknown component binary version 0xa"),
    (PREAMBLE + b"\x0d\x00", "malformed section id 0x0d"),
    (PREAMBLE + b"\x07\x05\x01\x70\x7d", "section size out of bounds"),
    (PREAMBLE + b"\x07\x04\x01\x70\x7d\x00", "section size mismatch"),
    (PREAMBLE + b"\x07\x02\x01\x70", "unexpected end of section"),
    (PREAMBLE + b"\x07\x02\x01\x50", "unknown type opcode 0x50"),
    (PREAMBLE + b"\x07\x04\x01\x40\x00\x02", "malformed function result list"),
    (PREAMBLE + b"\x07\x04\x01\x71\x01\x00", "unexpected end"),
    (PREAMBLE + b"\x07\x06\x01\x71\x01\x00\x00\x01", "malformed variant case"),
    (PREAMBLE + b"\x06\x04\x01\x06\x00\x00", "malformed sort: 0x06"),
    (PREAMBLE + b"\x06\x05\x01\x00\x05\x00\x00", "malformed core sort: 0x05"),
    (PREAMBLE + b"\x06\x04\x01\x01\x02\x00", "cannot be aliased from an outer scope"),
    (PREAMBLE + b"\x08\x02\x01\x08", "unknown opcode 0x08"),
    (PREAMBLE + b"\x08\x05\x01\x01\x00\x00\x01", "unexpected end"),
    (PREAMBLE + b"\x08\x06\x01\x01\x00\x00\x01\x09", "malformed canonical option: 0x09"),
    (PREAMBLE + b"\x0a\x04\x01\x03\x00\x00", "malformed name: unknown form 0x03"),
    (PREAMBLE + b"\x0a\x05\x01\x00\x01\xff\x01", "malformed UTF-8"),
    (PREAMBLE + b"\x0a\x05\x01\x00\x01\x61\x06", "malformed extern type: 0x06"),
    (PREAMBLE + b"\x01\x08\x00asm\x02\x00\x00\x00", "in core module: unknown binary version"),
    (PREAMBLE + b"\x04\x08\x00asm\x0d\x00\x00\x00", "not a component: layer 0"),
    (PREAMBLE + b"\x02\x03\x01\x02\x00", "malformed core instance: 0x02"),
    (PREAMBLE + b"\x03\x03\x01\x00\x60", "expected 0x50 after 0x00"),
])
def test_malformed(data: bytes, message: str) -> None:
    with pytest.raises(DecodeError, match=message):
        decode_component(data)


def test_core_module_errors_point_into_the_component() -> None:
    # The module's own offset 4 (its version) is offset 10 + 4 in the component.
    with pytest.raises(DecodeError) as caught:
        decode_component(PREAMBLE + b"\x01\x08\x00asm\x02\x00\x00\x00")
    assert caught.value.offset == 10 + 4


def nest(depth: int) -> bytes:
    """Components nested ``depth`` deep, each the only section of the one around it."""
    data = PREAMBLE
    for _ in range(depth):
        size = len(data)
        leb = bytearray()
        while True:
            byte, size = size & 0x7F, size >> 7
            leb.append(byte | (0x80 if size else 0))
            if not size:
                break
        data = PREAMBLE + b"\x04" + bytes(leb) + data
    return data


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    assert len(decode_component(nest(20)).sections) == 1
    with pytest.raises(DecodeError, match="nested too deeply"):
        decode_component(nest(5000))


def test_invalid_type_index_without_wasm_tools() -> None:
    # A value section whose value has type index 5, and no types defined.
    with pytest.raises(ValidationError, match="unknown type 5: type index out of bounds"):
        decode_component(PREAMBLE + b"\x0c\x04\x01\x05\x01\x00", [ComponentFeature.VALUES])


INVALID = {
    "type index": "(type (list 5))",
    "handle type index": "(type (own 3))",
    "core module index": "(core instance (instantiate 0))",
    "core instance index": "(alias core export 0 \"x\" (core func))",
    "instance index": "(alias export 0 \"x\" (func))",
    "outer alias count": "(alias outer 2 0 (type))",
    "outer alias index": "(type (func)) (component (alias outer 1 5 (type)))",
    "core func index": "(type (func)) (func (type 0) (canon lift (core func 0)))",
    "func index": "(core func (canon lower (func 0)))",
    "export index": "(export \"a\" (func 0))",
    "import type index": "(import \"a\" (func (type 0)))",
    "instance type scope": "(type (func)) (type (instance (export \"a\" (func (type 0)))))",
    "module type scope": "(core type (func)) (core type (module (import \"a\" \"b\" (func (type 0)))))",
    "canon memory index": "(import \"f\" (func $f)) (core func (canon lower (func $f) (memory 0)))",
    "resource.new type": "(core func (canon resource.new 0))",
    "duplicate import": "(import \"a\" (func)) (import \"a\" (func))",
    "duplicate import, other case": "(import \"a-b\" (func)) (import \"A-B\" (func))",
    "duplicate export": "(type $t (record (field \"a\" u8))) (export \"x\" (type $t)) "
                        "(export \"x\" (type $t))",
    "duplicate inline instance export": "(type $t (record (field \"a\" u8))) "
                                        "(instance (export \"x\" (type $t)) (export \"X\" (type $t)))",
    "duplicate record field": "(type (record (field \"a\" u8) (field \"a\" u8)))",
    "duplicate enum case": "(type (enum \"a\" \"a\"))",
    "duplicate instance type export": "(type (instance (export \"a\" (func)) "
                                      "(export \"a\" (func))))",
    "resource in instance type": "(type (instance (type (resource (rep i32)))))",
    "conflicting string encodings": "(import \"f\" (func $f)) "
                                    "(core func (canon lower (func $f) string-encoding=utf8 "
                                    "string-encoding=utf16))",
    "value type naming a func type": "(type (func)) (type (list 0))",
    "value type naming a resource": "(type $r (resource (rep i32))) (type (list $r))",
    "value type naming an imported resource": "(import \"t\" (type (sub resource))) "
                                              "(type (list 0))",
    "own of a record": "(type (record (field \"a\" u8))) (type (own 0))",
    "own of an eq-imported record": "(type (record (field \"a\" u8))) "
                                    "(import \"t\" (type (eq 0))) (type (own 1))",
    "func import of a record type": "(type (record (field \"a\" u8))) "
                                    "(import \"f\" (func (type 0)))",
    "instance import of a func type": "(type (func)) (import \"f\" (instance (type 0)))",
    "module import of a core func type": "(core type (func)) "
                                         "(import \"m\" (core module (type 0)))",
    "resource.new of a func type": "(type (func)) (core func (canon resource.new 0))",
    "module type import of a struct type": "(core type (module (type (struct)) "
                                           "(import \"a\" \"b\" (func (type 0)))))",
    "fixed-length list (feature)": "(type (list u8 4))",
    "error-context type (feature)": "(type error-context)",
    "error-context field (feature)": "(type (record (field \"a\" error-context)))",
    "async subtask.cancel (feature)": "(core func (canon subtask.cancel async))",
    "async stream.cancel-read (feature)": "(type $s (stream u8)) "
                                          "(core func (canon stream.cancel-read $s async))",
    "value import (feature)": "(import \"a\" (value u32))",
    "invalid core module": "(core module (func (result i32)))",
    "record field not in kebab case": "(type (record (field \"aB\" u8)))",
    "enum case not in kebab case": "(type (enum \"1a\"))",
    "parameter not in kebab case": "(type (func (param \"a--b\" u8)))",
    "empty flag": "(type (flags \"\"))",
    "duplicate instantiation argument": "(core module $m) (core instance $i (instantiate $m)) "
                                        "(core instance (instantiate $m (with \"a\" (instance $i)) "
                                        "(with \"a\" (instance $i))))",
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_agrees_with_wasm_tools(name: str, wasm_tools: str) -> None:
    data = parse_wat(wasm_tools, f"(component {INVALID[name]})")
    assert not validates(wasm_tools, data)
    with pytest.raises(ValidationError) as caught:
        decode_component(data)
    assert PREAMBLE_SIZE <= caught.value.offset < len(data)


def _section(section_id: int, body: bytes) -> bytes:
    assert len(body) < 128
    return bytes([section_id, len(body)]) + body


_EMPTY_MODULE = _section(1, b"\x00asm\x01\x00\x00\x00")
#: A component instance exporting core module 0 as "f"; a core instance of module 0.
_MODULE_EXPORT = _section(5, bytes([1, 1, 1, 0, 1]) + b"f" + bytes([0x00, 0x11, 0]))
_CORE_INSTANCE = _section(2, bytes([1, 0x00, 0, 0]))

#: Sorts out of place: wasm-tools reads each as a malformed external kind.
MISPLACED_SORTS = {
    "instance export aliased as a core func": _MODULE_EXPORT + _section(
        6, bytes([1, 0x00, 0x00, 0x00, 0, 1]) + b"f"),
    "instance export aliased as a core type": _MODULE_EXPORT + _section(
        6, bytes([1, 0x00, 0x10, 0x00, 0, 1]) + b"f"),
    "core instance export aliased as a component func": _CORE_INSTANCE + _section(
        6, bytes([1, 0x01, 0x01, 0, 1]) + b"f"),
    "core instance export aliased as a core module": _CORE_INSTANCE + _section(
        6, bytes([1, 0x00, 0x11, 0x01, 0, 1]) + b"f"),
    "component instance exporting a core instance": _CORE_INSTANCE + _section(
        5, bytes([1, 1, 1, 0, 1]) + b"g" + bytes([0x00, 0x12, 0])),
    "core instance exporting a core module": _section(
        2, bytes([1, 0x01, 1, 1]) + b"g" + bytes([0x11, 0])),
}


@pytest.mark.parametrize("name", sorted(MISPLACED_SORTS))
def test_misplaced_sort_is_malformed(name: str, wasm_tools: str) -> None:
    data = PREAMBLE + _EMPTY_MODULE + MISPLACED_SORTS[name]
    assert not validates(wasm_tools, data)
    with pytest.raises(DecodeError):
        decode_component(data)
