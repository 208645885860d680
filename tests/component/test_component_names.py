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
from wasmport.component.ast import Export, ExternName, Import, NameAttribute, PrimValType
from wasmport.component.names import (
    DEFAULT_FEATURES,
    NameFeatures,
    NameKind,
    SemVer,
    VersionError,
    check_name_type,
    parse_extern_name,
    parse_semver,
    unique_key,
)
from wasmport.errors import ValidationError

# -- running both sides ----------------------------------------------------------------------


def wasm_tools_accepts(wasm_tools: str, data: bytes, features: Sequence[str] = ()) -> bool:
    flags = [f"--features={','.join(features)}"] if features else []
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


# -- rules that need the item's type -----------------------------------------------------------

Maker = Callable[[ts.Resource, ts.Resource, ts.Resource], ts.Extern]

#: Imports ``r`` and ``s`` (resources named in the scope) and ``t`` (a resource
#: exported by an imported instance: no name in the scope).
TYPE_PRELUDE = ('(import "r" (type $r (sub resource))) (import "s" (type $s (sub resource))) '
                '(import "i" (instance $i (export "t" (type (sub resource))))) '
                '(alias export $i "t" (type $t))')

OWN_R = "(func (result (own $r)))"
BORROW_SELF = '(func (param "self" (borrow $r)))'
U32 = PrimValType.U32
STRING = PrimValType.STRING


def _func(params: Tuple[Tuple[str, ts.ValType], ...] = (), result: Optional[ts.ValType] = None,
          is_async: bool = False) -> ts.Func:
    return ts.Func(params, result, is_async)


#: (name, the item's type in text and as a type, valid).
TYPE_CASES: List[Tuple[str, str, Maker, bool]] = [
    ("[constructor]r", OWN_R, lambda r, s, t: _func(result=ts.Own(r)), True),
    ("[constructor]r", '(func (param "x" u32) (result (own $r)))',
     lambda r, s, t: _func((("x", U32),), ts.Own(r)), True),
    ("[constructor]r", "(func (result (result (own $r) (error string))))",
     lambda r, s, t: _func(result=ts.Result(ts.Own(r), STRING)), True),
    ("[constructor]r", "(func (result (result (own $r))))",
     lambda r, s, t: _func(result=ts.Result(ts.Own(r), None)), True),
    ("[constructor]r", "(func (result (result string (error (own $r)))))",
     lambda r, s, t: _func(result=ts.Result(STRING, ts.Own(r))), False),
    ("[constructor]r", "(func (result (option (own $r))))",
     lambda r, s, t: _func(result=ts.Option(ts.Own(r))), False),
    ("[constructor]r", "(func)", lambda r, s, t: _func(), False),
    ("[constructor]r", "(func (result u32))", lambda r, s, t: _func(result=U32), False),
    ("[constructor]r", "(func async (result (own $r)))",
     lambda r, s, t: _func(result=ts.Own(r), is_async=True), False),
    ("[constructor]r", "(func (result (own $s)))", lambda r, s, t: _func(result=ts.Own(s)),
     False),
    ("[constructor]s", "(func (result (own $s)))", lambda r, s, t: _func(result=ts.Own(s)),
     True),
    ("[constructor]R", OWN_R, lambda r, s, t: _func(result=ts.Own(r)), False),
    ("[constructor]q", OWN_R, lambda r, s, t: _func(result=ts.Own(r)), False),
    ("[constructor]t", "(func (result (own $t)))", lambda r, s, t: _func(result=ts.Own(t)),
     False),
    ("[constructor]r", "(instance)", lambda r, s, t: ts.Instance(()), False),
    ("[method]r.m", BORROW_SELF, lambda r, s, t: _func((("self", ts.Borrow(r)),)), True),
    ("[method]r.m", '(func (param "self" (borrow $r)) (param "x" u32) (result u32))',
     lambda r, s, t: _func((("self", ts.Borrow(r)), ("x", U32)), U32), True),
    ("[method]r.m", '(func async (param "self" (borrow $r)))',
     lambda r, s, t: _func((("self", ts.Borrow(r)),), is_async=True), True),
    ("[method]r.m", "(func)", lambda r, s, t: _func(), False),
    ("[method]r.m", '(func (param "this" (borrow $r)))',
     lambda r, s, t: _func((("this", ts.Borrow(r)),)), False),
    ("[method]r.m", '(func (param "SELF" (borrow $r)))',
     lambda r, s, t: _func((("SELF", ts.Borrow(r)),)), False),
    ("[method]r.m", '(func (param "self" (own $r)))',
     lambda r, s, t: _func((("self", ts.Own(r)),)), False),
    ("[method]r.m", '(func (param "self" u32))', lambda r, s, t: _func((("self", U32),)),
     False),
    ("[method]r.m", '(func (param "x" u32) (param "self" (borrow $r)))',
     lambda r, s, t: _func((("x", U32), ("self", ts.Borrow(r)))), False),
    ("[method]r.m", '(func (param "self" (borrow $s)))',
     lambda r, s, t: _func((("self", ts.Borrow(s)),)), False),
    ("[method]s.m", '(func (param "self" (borrow $s)))',
     lambda r, s, t: _func((("self", ts.Borrow(s)),)), True),
    ("[method]t.m", '(func (param "self" (borrow $t)))',
     lambda r, s, t: _func((("self", ts.Borrow(t)),)), False),
    ("[method]R.m", BORROW_SELF, lambda r, s, t: _func((("self", ts.Borrow(r)),)), False),
    ("[method]r.m", "(instance)", lambda r, s, t: ts.Instance(()), False),
    ("[static]r.m", "(func)", lambda r, s, t: _func(), True),
    ("[static]r.m", '(func (param "x" u32) (result (own $r)))',
     lambda r, s, t: _func((("x", U32),), ts.Own(r)), True),
    ("[static]r.m", "(func async)", lambda r, s, t: _func(is_async=True), True),
    ("[static]s.m", "(func (result (own $r)))", lambda r, s, t: _func(result=ts.Own(r)), True),
    ("[static]R.m", "(func)", lambda r, s, t: _func(), False),
    ("[static]q.m", "(func)", lambda r, s, t: _func(), False),
    ("[static]t.m", "(func)", lambda r, s, t: _func(), False),
    ("[static]i.m", "(func)", lambda r, s, t: _func(), False),
    ("[static]r.m", "(instance)", lambda r, s, t: ts.Instance(()), False),
    ("[static]r.m", "(component)", lambda r, s, t: ts.ComponentT((), ()), False),
    ("plain", "(func (param \"self\" (borrow $r)))",
     lambda r, s, t: _func((("self", ts.Borrow(r)),)), True),
    ("a:b/c@1.0.0", "(func)", lambda r, s, t: _func(), True),
]


@pytest.mark.parametrize(("name", "desc", "make", "valid"), TYPE_CASES,
                         ids=[f"{c[0]} {c[1]}" for c in TYPE_CASES])
def test_name_type_rules_of_imports(wasm_tools: str, name: str, desc: str, make: Maker,
                                    valid: bool) -> None:
    data = parse_wat(wasm_tools, f"(component {TYPE_PRELUDE} (import {wat_string(name)} {desc}))")
    r, s, t = ts.Resource("r"), ts.Resource("s"), ts.Resource("t")
    reference = wasm_tools_accepts(wasm_tools, data)
    assert reference == valid
    assert our_verdict(find_name(data, name, True), make(r, s, t), {"r": r, "s": s}) == valid


#: Exports: a resource imported as ``r`` is exported as ``x``; a function of
#: the shape given (``$R`` standing for the resource) is imported with ``r``
#: and exported with ``x`` (the exported resources are those of exports).
EXPORT_TYPE_CASES: List[Tuple[str, str, Callable[[ts.Resource], ts.Func], bool]] = [
    ("[constructor]x", "(func (result (own $R)))", lambda x: _func(result=ts.Own(x)), True),
    ("[constructor]r", "(func (result (own $R)))", lambda x: _func(result=ts.Own(x)), False),
    ("[method]x.m", '(func (param "self" (borrow $R)))',
     lambda x: _func((("self", ts.Borrow(x)),)), True),
    ("[method]r.m", '(func (param "self" (borrow $R)))',
     lambda x: _func((("self", ts.Borrow(x)),)), False),
    ("[static]x.m", "(func)", lambda x: _func(), True),
    ("[static]r.m", "(func)", lambda x: _func(), False),
]


@pytest.mark.parametrize(("name", "shape", "make", "valid"), EXPORT_TYPE_CASES,
                         ids=[c[0] for c in EXPORT_TYPE_CASES])
def test_name_type_rules_of_exports(wasm_tools: str, name: str, shape: str,
                                    make: Callable[[ts.Resource], ts.Func], valid: bool) -> None:
    text = ('(component (import "r" (type $r (sub resource))) (export $x "x" (type $r)) '
            f'(import "f" {shape.replace("$R", "$r").replace("(func", "(func $f", 1)}) '
            f'(export {wat_string(name)} (func $f) {shape.replace("$R", "$x")}))')
    data = parse_wat(wasm_tools, text)
    exported = ts.Resource("x")
    reference = wasm_tools_accepts(wasm_tools, data)
    assert reference == valid
    assert our_verdict(find_name(data, name, False), make(exported), {"x": exported}) == valid


def test_bag_of_exports_knows_no_resource() -> None:
    """The exports of an instance made of exports name no resource: annotated
    names fail there whatever the types."""
    resource = ts.Resource("r")
    parsed = parse_extern_name(ExternName("[static]r.m"), 0, is_import=False)
    with pytest.raises(ValidationError, match="not known"):
        check_name_type(parsed, _func(), {}, 0)
    check_name_type(parsed, _func(), {"r": resource}, 0)
    constructor = parse_extern_name(ExternName("[constructor]r"), 0, is_import=False)
    with pytest.raises(ValidationError, match="does not have a name"):
        check_name_type(constructor, _func(result=ts.Own(resource)), {}, 0)


# -- names that clash -----------------------------------------------------------------------------

#: (first name, second name, some names clash): two imports of one component
#: that first imports the resources ``r`` and ``s`` (``[static]s.s`` clashes
#: with ``s``).
CLASH_CASES: List[Tuple[str, str, bool]] = [
    ("a", "b", False), ("a", "A", True), ("a-b", "A-B", True), ("a-b", "a-B", True),
    ("[method]r.b", "[static]r.b", True), ("[method]r.b", "[method]r.B", True),
    ("[static]r.b", "[static]r.B", True), ("[static]r.b", "[static]r.c", False),
    ("[method]r.b", "b", False), ("[static]r.b", "r-b", False), ("[constructor]r", "r2", False),
    ("[static]r.x", "x", False), ("[static]s.s", "x", True), ("[static]s.S", "x", True),
    ("[method]s.S", "x", True), ("[method]r.R", "x", True), ("[static]r.s", "[static]s.r", False),
    ("[constructor]r", "[static]r.r2", False),
    ("a:b/c", "a:b/C", True), ("a:b/c", "a:b/c@1.0.0", False),
    ("a:b/c@1.0.0", "a:b/c@1.0.1", False), ("a:b/c@1.0.0", "a:b/c@1.0.0+b", False),
    ("a:b/c@1.0.0-rc", "a:b/c@1.0.0-RC", False), ("a:b/c@1.0.0+b", "a:b/c@1.0.0+B", False),
    ("a:b/c@1.0.0-rc", "a:b/c@1.0.0-rc", True), ("a:b/c@2.0.0", "a:b/c@1.0.0", False),
    ("a:b/x-y", "a:b/X-Y", True), ("a:b/c", "a:d/c", False), ("a:b/c", "e:b/c", False),
    ("a:b/c", "c", False), ("b", "a:b/c", False),
]

#: The function type each kind of name gets in CLASH_CASES (``r`` and ``s``
#: are imported resources).
_CLASH_SHAPES = {"[method]r.": '(func (param "self" (borrow $r)))',
                 "[method]s.": '(func (param "self" (borrow $s)))',
                 "[constructor]r": "(func (result (own $r)))"}


def _clash_item(name: str, r: ts.Resource, s: ts.Resource) -> ts.Extern:
    if name.startswith("[method]"):
        return _func((("self", ts.Borrow(r if name.startswith("[method]r.") else s)),))
    if name.startswith("[constructor]"):
        return _func(result=ts.Own(r))
    return _func()


@pytest.mark.parametrize(("first", "second", "clash"), CLASH_CASES,
                         ids=[f"{c[0]} {c[1]}" for c in CLASH_CASES])
def test_name_clashes(wasm_tools: str, first: str, second: str, clash: bool) -> None:
    def desc(name: str) -> str:
        return next((shape for prefix, shape in _CLASH_SHAPES.items()
                     if name.startswith(prefix)), "(func)")

    text = ('(component (import "r" (type $r (sub resource))) (import "s" (type $s (sub '
            f'resource))) (import {wat_string(first)} {desc(first)}) '
            f'(import {wat_string(second)} {desc(second)}))')
    reference = wasm_tools_accepts(wasm_tools, parse_wat(wasm_tools, text))
    assert reference == (not clash)
    r, s = ts.Resource("r"), ts.Resource("s")
    keys = set()
    for name in ("r", "s", first, second):
        parsed = parse_extern_name(ExternName(name), 0, is_import=True)
        if name not in ("r", "s"):
            check_name_type(parsed, _clash_item(name, r, s), {"r": r, "s": s}, 0)
        keys.add(unique_key(parsed))
    assert (len(keys) < 4) == clash


#: (name, attributes, wasm-tools feature flags, our features, valid): the
#: attributes and the features that gate them.
GATE_CASES: List[Tuple[str, Tuple[Tuple[int, str], ...], str, NameFeatures, bool]] = [
    ("a", ((0, "a:b/c"),), "-cm-implements", NameFeatures(implements=False), False),
    ("a", (), "-cm-implements", NameFeatures(implements=False), False),
    ("a", ((2, "x"),), "-cm-implements,cm-canon-names",
     NameFeatures(implements=False, canon_names=True), False),
    ("a", ((0, "a:b/c"),), "-cm-implements,cm-canon-names",
     NameFeatures(implements=False, canon_names=True), False),
    ("a", (), "-cm-implements,cm-canon-names",
     NameFeatures(implements=False, canon_names=True), True),
    ("a:b/c@1", ((1, ".0.0"),), "-cm-implements,cm-canon-names",
     NameFeatures(implements=False, canon_names=True), True),
    ("a:b/c@1", ((1, ".0.0"),), "", NameFeatures(), False),
    ("a", ((0, "a:b/c"), (2, "x")), "", NameFeatures(), True),
]


@pytest.mark.parametrize(("name", "attributes", "flags", "features", "valid"), GATE_CASES,
                         ids=[f"{c[0]}{list(c[1])} {c[2]}" for c in GATE_CASES])
def test_feature_gates(wasm_tools: str, name: str, attributes: Tuple[Tuple[int, str], ...],
                       flags: str, features: NameFeatures, valid: bool) -> None:
    data = encode_import(name, attributes, True)
    reference = wasm_tools_accepts(wasm_tools, data, [flags] if flags else [])
    assert reference == valid
    assert our_verdict(find_name(data, name, True), ts.Instance(()), {}, features) == valid


#: Attributes on exports: (the component's body, the export's name, its type, valid).
EXPORT_ATTRIBUTE_CASES: List[Tuple[str, str, ts.Extern, bool]] = [
    ('(instance $i) (export "a" (implements "a:b/c") (instance $i))', "a", ts.Instance(()),
     True),
    ('(instance $i) (export "a:b/c" (implements "a:b/c") (instance $i))', "a:b/c",
     ts.Instance(()), False),
    ('(import "f" (func $f)) (export "a" (implements "a:b/c") (func $f))', "a",
     ts.Func((), None), False),
    ('(import "f" (func $f)) (export "a" (external-id "e") (func $f))', "a", ts.Func((), None),
     True),
    ('(instance $i) (export "a" (implements "a:b/c@1.0") (instance $i))', "a", ts.Instance(()),
     False),
]


@pytest.mark.parametrize(("body", "name", "item", "valid"), EXPORT_ATTRIBUTE_CASES,
                         ids=[c[0] for c in EXPORT_ATTRIBUTE_CASES])
def test_export_attributes(wasm_tools: str, body: str, name: str, item: ts.Extern,
                           valid: bool) -> None:
    data = parse_wat(wasm_tools, f"(component {body})")
    reference = wasm_tools_accepts(wasm_tools, data)
    assert reference == valid
    assert our_verdict(find_name(data, name, False), item, {}) == valid
