"""Import and export names (:mod:`wasmport.component.names`) against ``wasm-tools``.

Every case is a tiny component built with ``wasm-tools parse`` (or, for the
``versionsuffix`` attribute the text format cannot spell, encoded here), then
decoded with :func:`~wasmport.component.decode_component`; the verdict of
:func:`parse_extern_name` and :func:`check_name_type` on the decoded name
must equal ``wasm-tools validate``'s on the binary, and both the verdict the
table states. The types :func:`check_name_type` needs are built by hand
(:mod:`wasmport.component.typesys`).
"""

from __future__ import annotations

import subprocess
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import pytest
from component_tools import parse_wat

from wasmport.component import decode_component
from wasmport.component import typesys as ts
from wasmport.component.ast import Export, ExternName, Import, NameAttribute
from wasmport.component.names import (
    DEFAULT_FEATURES,
    NameFeatures,
    NameKind,
    SemVer,
    VersionError,
    check_name_type,
    parse_extern_name,
    parse_semver,
)
from wasmport.errors import ValidationError

# -- running both sides ----------------------------------------------------------------------


def wasm_tools_accepts(wasm_tools: str, data: bytes, features: Sequence[str] = ()) -> bool:
    flags = ["-f", ",".join(features)] if features else []
    done = subprocess.run([wasm_tools, "validate", *flags, "-"], input=data,
                          capture_output=True, check=False, timeout=120)
    return done.returncode == 0


def wat_string(text: str) -> str:
    """``text`` as a text-format string literal."""
    out = []
    for char in text:
        if char in '"\\' or not char.isprintable() or char.isspace() and char != " ":
            out.append(f"\\u{{{ord(char):x}}}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def find_name(data: bytes, name: str, is_import: bool) -> Union[Import, Export]:
    """The outermost import or export named ``name`` of the binary ``data``."""
    wanted = Import if is_import else Export
    for field in decode_component(data).fields:
        if isinstance(field, wanted) and field.name.name == name:
            return field
    raise AssertionError(f"no {wanted.__name__.lower()} named {name!r}")


def our_verdict(field: Union[Import, Export], item: ts.Extern,
                resources: Mapping[str, ts.Resource],
                features: NameFeatures = DEFAULT_FEATURES) -> bool:
    try:
        parsed = parse_extern_name(field.name, field.offset, is_import=isinstance(field, Import),
                                   features=features)
        check_name_type(parsed, item, resources, field.offset)
    except ValidationError:
        return False
    return True


# -- name syntax ----------------------------------------------------------------------------

#: (name, valid): each is imported, and exported when not annotated.
NAME_CASES: List[Tuple[str, bool]] = [
    # plain labels
    ("a", True), ("abc", True), ("a-b", True), ("a-b-c", True), ("A", True), ("ABC", True),
    ("A-B", True), ("a-B", True), ("A-b", True), ("a1", True), ("a1b2", True),
    ("a-1", True), ("a-1b", True), ("a-1B", True), ("A1-2b", True), ("a0-000-3d4a-54FF", True),
    ("x-0", True), ("hello-world", True), ("HTTP-handler", True),
    ("", False), ("-", False), ("--", False), ("a-", False), ("-a", False), ("a--b", False),
    ("0", False), ("0a", False), ("1-a", False), ("aB", False), ("Ab", False),
    ("a-bC", False), ("a-Bc", False), ("a0-000-3d4A-54Ff", False), ("a_b", False),
    ("a b", False), (" a", False), ("a ", False), ("a.b", False), ("a/b", False),
    ("a@1", False), ("é", False), ("aé", False), ("¶", False), ("a\u00a0", False),
    ("a\n", False), ("a\"b", False), ("a\\b", False), ("[a]b", False), ("a=b", False),
    ("𝔞", False), ("a-\u0661", False),
    # annotated function names (resource ``r`` imported; rules of types met)
    ("[constructor]r", True), ("[method]r.m", True), ("[method]r.do-it", True),
    ("[method]r.M", True), ("[method]r.a1-B2", True), ("[static]r.m", True),
    ("[static]r.new", True), ("[static]r.R2", True),
    ("[constructor]", False), ("[constructor]r.m", False), ("[constructor]r-", False),
    ("[method]r", False), ("[method]r.", False), ("[method].m", False), ("[method]r.m.n", False),
    ("[method]r.mM", False), ("[method]r.0", False), ("[static]r", False),
    ("[static]r.", False), ("[static]r.m-", False), ("[methods]r.m", False),
    ("[Method]r.m", False), ("[method] r.m", False), ("[async]f", False),
    ("[async method]r.m", False), ("[async static]r.m", False), ("[resource-drop]r", False),
    ("[implements=<a:b/c>]x", False), ("[]a", False), ("[constructor", False),
    ("constructor]r", False),
    # interface names
    ("a:b/c", True), ("ns:pkg/iface", True), ("wasi:cli/run", True), ("a1:b2/c3", True),
    ("a-b:c-d/e-f", True), ("a:b/C", True), ("a:b/IFACE-x", True), ("a:b/Iface", False), ("a:b/c-1", True),
    ("wasi:http/types@0.2.0", True), ("a:b/c@1.0.0", True), ("a:b/c@0.0.0", True),
    ("a:b/c@1.2.3-rc.1+build", True), ("a:b/c@1.2.3-rc.1+build.5", True),
    ("a:b/c@1.0.0-alpha", True), ("a:b/c@1.0.0-0", True), ("a:b/c@1.0.0-0a", True),
    ("a:b/c@1.0.0--", True), ("a:b/c@1.0.0-x.7.z.92", True), ("a:b/c@1.0.0+01", True),
    ("a:b/c@1.0.0+exp.sha.5114f85", True), ("a:b/c@1.0.0-99999999999999999999999", True),
    ("a:b/c@18446744073709551615.0.0", True), ("a:b/c@1.0.0-RC.1", True),
    ("a:b", False), (":b/c", False), ("a:/c", False), ("a:b/", False), ("a/b", False),
    ("a::b/c", False), ("a:b//c", False), ("A:b/c", False), ("a:B/c", False),
    ("a:bC/d", False), ("a-:b/c", False), ("a:b-/c", False), ("a:b/c-", False),
    ("a:b/c/d", False), ("a:b:c/d", False), ("a:b/c@", False), ("a:b/c@1", False),
    ("a:b/c@1.0", False), ("a:b/c@1.0.0.0", False), ("a:b/c@01.0.0", False),
    ("a:b/c@1.00.0", False), ("a:b/c@1.0.00", False), ("a:b/c@v1.0.0", False),
    ("a:b/c@1.0.0-", False), ("a:b/c@1.0.0+", False), ("a:b/c@1.0.0-rc..1", False),
    ("a:b/c@1.0.0-01", False), ("a:b/c@1.0.0-a_b", False), ("a:b/c@1.0.0 ", False),
    ("a:b/c@ 1.0.0", False), ("a:b/c@1.0.0>", False), ("a:b/c@1.0.0@1.0.0", False),
    ("a:b/c@18446744073709551616.0.0", False), ("a:b/c@1.0.0+a+b", False),
    ("a:b/c@-1.0.0", False), ("a:b/c@1.0.0-é", False), ("a:b/c@1.0.0+é", False),
    ("a:b/c@\u0661.0.0", False), ("a:b/c d", False), ("a :b/c", False), ("a:b/é", False),
    ("[method]a:b/c.m", False),
    # the dependency, URL and hash names of older versions
    ("unlocked-dep=<a:b>", False), ("unlocked-dep=<a:b@*>", False),
    ("unlocked-dep=<a:b@{>=1.0.0 <2.0.0}>", False), ("locked-dep=<a:b>", False),
    ("locked-dep=<a:b@1.0.0>,integrity=<sha256-abc=>", False), ("url=<https://x>", False),
    ("url=<>", False), ("integrity=<sha256-abc=>", False),
]

#: The function type each annotated kind gets in NAME_CASES, in text and as a type.
_FUNC_SHAPES: Dict[str, Tuple[str, Callable[[ts.Resource], ts.Func]]] = {
    "[constructor]": ("(func (result (own $r)))", lambda r: ts.Func((), ts.Own(r))),
    "[method]": ("(func (param \"self\" (borrow $r)))",
                 lambda r: ts.Func((("self", ts.Borrow(r)),), None)),
    "[static]": ("(func)", lambda r: ts.Func((), None)),
}


def _annotation(name: str) -> Optional[str]:
    return next((prefix for prefix in _FUNC_SHAPES if name.startswith(prefix)), None)


def _import_case(wasm_tools: str, name: str, valid: bool) -> Tuple[bool, bool]:
    """An annotated name is given a function type of its kind, and a resource
    ``r`` is imported first when the name is valid (an invalid one must fail
    on its syntax whatever the types, and ``r`` might clash with it)."""
    resource = ts.Resource("r")
    prefix = _annotation(name)
    desc, head = "(instance)", ""
    item: ts.Extern = ts.Instance(())
    if prefix is not None and valid:
        desc, make = _FUNC_SHAPES[prefix]
        item, head = make(resource), '(import "r" (type $r (sub resource)))'
    elif prefix is not None:
        desc, item = "(func)", ts.Func((), None)
    data = parse_wat(wasm_tools, f"(component {head} (import {wat_string(name)} {desc}))")
    field = find_name(data, name, True)
    if not valid:
        with pytest.raises(ValidationError):
            parse_extern_name(field.name, field.offset, is_import=True)
    return wasm_tools_accepts(wasm_tools, data), our_verdict(field, item, {"r": resource})


def _export_case(wasm_tools: str, name: str) -> Tuple[bool, bool]:
    data = parse_wat(wasm_tools, f"(component (instance $i) (export {wat_string(name)} "
                                 "(instance $i)))")
    return wasm_tools_accepts(wasm_tools, data), our_verdict(
        find_name(data, name, False), ts.Instance(()), {})


@pytest.mark.parametrize(("name", "valid"), NAME_CASES, ids=[repr(c[0]) for c in NAME_CASES])
def test_name_syntax(wasm_tools: str, name: str, valid: bool) -> None:
    reference, ours = _import_case(wasm_tools, name, valid)
    assert reference == valid, f"wasm-tools says {reference} for the import {name!r}"
    assert ours == reference, f"import {name!r}"
    if _annotation(name) is None:
        reference, ours = _export_case(wasm_tools, name)
        assert reference == valid, f"wasm-tools says {reference} for the export {name!r}"
        assert ours == reference, f"export {name!r}"


#: Nested namespaces and projections: (name, valid with the nested-names feature).
NESTED_CASES: List[Tuple[str, bool]] = [
    ("a:b:c/d", True), ("a:b:c/d/e@1.0.0", True), ("a:b/c/d", True), ("a:b:c:d/e/f/g", True),
    ("a:b:C/d", False), ("a:b::c/d", False), ("a:b:c/d//e", False), ("a:b:c", False),
    ("a:b/c/D-x", True), ("a:b/c/", False),
]


@pytest.mark.parametrize(("name", "valid"), NESTED_CASES, ids=[c[0] for c in NESTED_CASES])
def test_nested_names(wasm_tools: str, name: str, valid: bool) -> None:
    data = parse_wat(wasm_tools, f"(component (import {wat_string(name)} (instance)))")
    field = find_name(data, name, True)
    reference = wasm_tools_accepts(wasm_tools, data, ["cm-nested-names"])
    assert reference == valid
    assert our_verdict(field, ts.Instance(()), {}, NameFeatures(nested_names=True)) == valid
    assert our_verdict(field, ts.Instance(()), {}) == wasm_tools_accepts(wasm_tools, data)


def test_parsed_parts() -> None:
    parsed = parse_extern_name(ExternName("wasi:http/TYPES@0.2.0-rc+b"), 0, is_import=True)
    assert parsed.kind is NameKind.INTERFACE
    assert (parsed.namespaces, parsed.package, parsed.interfaces) == (("wasi",), "http",
                                                                      ("TYPES",))
    assert parsed.version_text == "0.2.0-rc+b"
    assert parsed.version == SemVer(0, 2, 0, ("rc",), ("b",))
    method = parse_extern_name(ExternName("[method]a-b.c-D"), 0, is_import=False)
    assert (method.kind, method.resource, method.member) == (NameKind.METHOD, "a-b", "c-D")
    assert parse_extern_name(ExternName("[constructor]R"), 0, is_import=True).resource == "R"
    with pytest.raises(ValidationError, match="not in kebab case"):
        parse_extern_name(ExternName("a--b"), 7, is_import=True)


def test_semver() -> None:
    assert parse_semver("1.2.3") == SemVer(1, 2, 3)
    assert str(parse_semver("1.2.3-rc.1+b.01")) == "1.2.3-rc.1+b.01"
    assert parse_semver("3.2.1").canonical() == "3"
    assert parse_semver("0.2.1").canonical() == "0.2"
    assert parse_semver("0.0.1+b").canonical() == "0.0.1"
    assert parse_semver("1.0.0-rc+b").canonical() == "1.0.0-rc"
    for bad in ("", "1", "1.0", "1.0.0.0", "01.0.0", "1.0.0-01", "1.0.0-", "1.0.0+", "a.b.c"):
        with pytest.raises(VersionError):
            parse_semver(bad)


# -- name attributes --------------------------------------------------------------------------

#: (text of an import with attributes, item type, valid): ``implements`` and
#: ``external-id``, on by default.
ATTRIBUTE_CASES: List[Tuple[str, ts.Extern, bool]] = [
    ('(import "a" (implements "a:b/c") (instance))', ts.Instance(()), True),
    ('(import "a" (implements "a:b/c@1.2.3") (instance))', ts.Instance(()), True),
    ('(import "A-b" (implements "ns:pkg/IFACE") (instance))', ts.Instance(()), True),
    ('(import "a" (implements "a:b/c") (external-id "x y") (instance))', ts.Instance(()), True),
    ('(import "a" (implements "a:b/c@1") (instance))', ts.Instance(()), False),
    ('(import "a" (implements "a:b/c@1.0.0-01") (instance))', ts.Instance(()), False),
    ('(import "a" (implements "not-valid") (instance))', ts.Instance(()), False),
    ('(import "a" (implements "") (instance))', ts.Instance(()), False),
    ('(import "a" (implements "a:b:c/d") (instance))', ts.Instance(()), False),
    ('(import "a" (implements "locked-dep=<a:b>") (instance))', ts.Instance(()), False),
    ('(import "a" (implements "[method]r.m") (instance))', ts.Instance(()), False),
    ('(import "a" (implements "a:b/c") (func))', ts.Func((), None), False),
    ('(import "a" (implements "a:b/c") (component))', ts.ComponentT((), ()), False),
    ('(import "a:b/c" (implements "a:b/d") (instance))', ts.Instance(()), False),
    ('(import "a" (external-id "") (func))', ts.Func((), None), True),
    ('(import "a" (external-id "anything <at> all") (component))', ts.ComponentT((), ()), True),
    ('(import "a:b/c@1.0.0" (external-id "id") (instance))', ts.Instance(()), True),
    ('(import "a--b" (external-id "id") (instance))', ts.Instance(()), False),
]


@pytest.mark.parametrize(("text", "item", "valid"), ATTRIBUTE_CASES,
                         ids=[c[0] for c in ATTRIBUTE_CASES])
def test_name_attributes(wasm_tools: str, text: str, item: ts.Extern, valid: bool) -> None:
    data = parse_wat(wasm_tools, f"(component {text})")
    field = next(f for f in decode_component(data).fields if isinstance(f, Import))
    assert field.name.form == 2
    reference = wasm_tools_accepts(wasm_tools, data)
    assert reference == valid
    assert our_verdict(field, item, {}) == reference


def _leb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _string(text: str) -> bytes:
    data = text.encode()
    return _leb(len(data)) + data


def encode_import(name: str, attributes: Sequence[Tuple[int, str]], instance: bool) -> bytes:
    """A component importing one empty instance (or ``func``) under a
    form-2 name with ``attributes``."""
    encoded = b"\x02" + _string(name) + _leb(len(attributes)) + b"".join(
        bytes([kind]) + _string(value) for kind, value in attributes)
    deftype = b"\x42\x00" if instance else b"\x40\x00\x01\x00"
    desc = b"\x05\x00" if instance else b"\x01\x00"
    types = b"\x07" + _leb(1 + len(deftype)) + b"\x01" + deftype
    imports = b"\x01" + encoded + desc
    return b"\x00asm\x0d\x00\x01\x00" + types + b"\x0a" + _leb(len(imports)) + imports


#: (name, attributes, instance or func, valid with the canon-names feature).
SUFFIX_CASES: List[Tuple[str, Tuple[Tuple[int, str], ...], bool, bool]] = [
    ("a:b/c@1", ((1, ".0.0"),), True, True),
    ("a:b/c@1", ((1, ".2.3"),), True, True),
    ("a:b/c@1", ((1, ".0.0+b"),), True, True),
    ("a:b/c@0.2", ((1, ".1"),), True, True),
    ("a:b/c@0.0.1", ((1, "+b"),), True, True),
    ("a:b/c@1.0.0-rc", ((1, "+b"),), True, True),
    ("a:b/c@1.0.0", (), True, True),
    ("x", ((0, "a:b/c@1"), (1, ".0.0")), True, True),
    ("x", ((0, "a:b/c@1"), (1, ".0.0"), (2, "id")), True, True),
    ("a:b/c@1.2", ((1, ".3"),), True, False),
    ("a:b/c@0", ((1, ".2.1"),), True, False),
    ("a:b/c@1", ((1, ".0.0-rc"),), True, False),
    ("a:b/c@1.0.0", ((1, "+b"),), True, False),
    ("a:b/c@1.2.3", ((1, ""),), True, False),
    ("a:b/c@1", ((1, "x.0.0"),), True, False),
    ("a:b/c@1", ((1, "0.0.0"),), True, False),
    ("a:b/c@1.", ((1, "0.0"),), True, False),
    ("a:b/c", ((1, ".0.0"),), True, False),
    ("a", ((1, ".0.0"),), True, False),
    ("a", ((2, "z"), (1, ".0.0")), True, False),
    ("x", ((0, "a:b/c"), (1, ".0.0")), True, False),
    ("x", ((0, "a:b/c@1.0"), (1, ".0")), True, False),
    ("a:b/c@1", ((1, ".0.0"),), False, False),
    ("a:b/c@1", ((1, ".0.0"), (1, ".0.0")), True, False),
    ("a", ((2, "x"), (2, "y")), False, False),
    ("a", ((0, "a:b/c"), (0, "a:b/d")), True, False),
    ("a", (), False, True),
]


@pytest.mark.parametrize(("name", "attributes", "instance", "valid"), SUFFIX_CASES,
                         ids=[f"{c[0]}{list(c[1])}" for c in SUFFIX_CASES])
def test_version_suffix(wasm_tools: str, name: str, attributes: Tuple[Tuple[int, str], ...],
                        instance: bool, valid: bool) -> None:
    data = encode_import(name, attributes, instance)
    field = find_name(data, name, True)
    assert field.name.attributes == tuple(NameAttribute(k, v) for k, v in attributes)
    item: ts.Extern = ts.Instance(()) if instance else ts.Func((), None)
    reference = wasm_tools_accepts(wasm_tools, data, ["cm-canon-names"])
    assert reference == valid
    assert our_verdict(field, item, {}, NameFeatures(canon_names=True)) == reference
    default = wasm_tools_accepts(wasm_tools, data)
    assert our_verdict(field, item, {}) == default
