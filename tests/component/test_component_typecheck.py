"""Type rules of the component validator that depend on identity, not
structure: plain core function types for ``canon lift`` and instantiation,
core function types matched by canonical id and declared supertypes,
types an instantiation supplies for type imports (so the instance's exports
refer to the supplier's named types), map keys and ``stream<char>``.

Each case is built with ``wasm-tools parse``; wasm-tools' verdict must be the
one the table states (so the table stays honest) and wasmport's must equal it.
"""

from __future__ import annotations

import subprocess
from typing import Optional

import pytest
from component_tools import parse_wat, validates

from wasmport.component import ComponentFeature, validate_component
from wasmport.errors import DecodeError, ValidationError

LIFT = """(component
  (core module $m {types} (func (export "f") (type $t)))
  (core instance $i (instantiate $m))
  (func (param "x" u32) (canon lift (core func $i "f"))))"""

MATCH = """(component
  (core module $m (type $t {exported}) (func (export "f") (type $t)))
  (core module $n (type $t {imported}) (import "m" "f" (func (type $t))))
  (core instance $i (instantiate $m))
  (core instance $j (instantiate $n (with "m" (instance $i)))))"""

#: Core function types known by their place among their module's types.
MATCH2 = """(component
  (core module $m {exported} (func (export "f") (type $t)))
  (core module $n {imported} (import "m" "f" (func (type $t))))
  (core instance $i (instantiate $m))
  (core instance $j (instantiate $n (with "m" (instance $i)))))"""

#: A type import satisfied by an instantiation: the instance's record refers
#: to the outer, imported (so named) type, and may be exported.
RENAMED = """(component
  (type $r' (record (field "f" u32)))
  (import "r" (type $r (eq $r')))
  (component $C
    (type $r' (record (field "f" u32)))
    (import "r" (type $r (eq $r')))
    (type $r2' (record (field "r" $r)))
    (export "r2" (type $r2')))
  (instance $c (instantiate $C (with "r" (type $r))))
  (alias export $c "r2" (type $r2))
  (export "r2" (type $r2)))"""

#: A resource exported under two names: a method's name must be the one of
#: the export its ``self`` type was written with.
TWO_NAMES = """(component
  (type $r' (resource (rep i32)))
  (export $a "a" (type $r'))
  (export $b "b" (type $r'))
  (type $f (func (param "self" (borrow {borrowed}))))
  (core module $m (func (export "f") (param i32)))
  (core instance $i (instantiate $m))
  (func $g (type $f) (canon lift (core func $i "f")))
  (export "[method]{named}.m" (func $g)))"""

#: The same record defined locally and exported without its field's type.
UNNAMED = """(component
  (type $r (record (field "f" u32)))
  (type $r2 (record (field "r" $r)))
  (export "r2" (type $r2)))"""

CASES = {
    "lift of a plain function type": (LIFT.format(types="(type $t (func (param i32)))"), True),
    "lift of a non-final function type": (
        LIFT.format(types="(type $t (sub (func (param i32))))"), False),
    "lift of a function type sharing its group": (
        LIFT.format(types="(rec (type $t (func (param i32))) (type (struct)))"), False),
    "plain export for a non-final import": (
        MATCH.format(exported="(func (param i32))", imported="(sub (func (param i32)))"), False),
    "non-final export for a non-final import": (
        MATCH.format(exported="(sub (func (param i32)))", imported="(sub (func (param i32)))"),
        True),
    "export from another recursion group": (MATCH2.format(
        exported="(rec (type $t (func)) (type (struct)))",
        imported="(rec (type $t (func)) (type (array i8)))"), False),
    "export from an equivalent recursion group": (MATCH2.format(
        exported="(type (struct (field i32))) (rec (type $t (func)) (type (struct)))",
        imported="(rec (type $t (func)) (type (struct)))"), True),
    "export of a declared subtype": (MATCH2.format(
        exported="(type $a (sub (func))) (type $b (sub $a (func))) (type $t (sub $a (func)))",
        imported="(type $t (sub (func)))"), True),
    "export of a declared supertype": (MATCH2.format(
        exported="(type $t (sub (func)))",
        imported="(type $a (sub (func))) (type $t (sub $a (func)))"), False),
    "references to equivalent types at other indices": (MATCH2.format(
        exported="(type $s (struct)) (type $t (func (param (ref $s))))",
        imported="(type (struct (field i32))) (type $x (struct)) (type $t (func (param (ref $x))))"),
        True),
    "references to different types": (MATCH2.format(
        exported="(type $s (struct)) (type $t (func (param (ref $s))))",
        imported="(type $x (struct (field i32))) (type $t (func (param (ref $x))))"), False),
    "instantiation renames type imports": (RENAMED, True),
    "method named after the export its self uses": (
        TWO_NAMES.format(borrowed="$b", named="b"), True),
    "method named after the other export of its resource": (
        TWO_NAMES.format(borrowed="$b", named="a"), False),
    "exported record naming an unexported record": (UNNAMED, False),
    "map with a string key": ("(component (type (map string u32)))", True),
    "map with a key aliasing u32": ("(component (type $k u32) (type (map $k u8)))", True),
    "map with a float key": ("(component (type (map f64 u32)))", False),
    "map with a list key": ("(component (type (map (list u8) u32)))", False),
    "stream of char": ("(component (type (stream char)))", False),
    "stream of u8": ("(component (type (stream u8)))", True),
}


def ours(data: bytes) -> Optional[str]:
    try:
        validate_component(data)
    except (DecodeError, ValidationError) as error:
        return str(error)
    return None


@pytest.mark.parametrize("name", sorted(CASES))
def test_typecheck_case(name: str, wasm_tools: str) -> None:
    text, valid = CASES[name]
    data = parse_wat(wasm_tools, text)
    assert validates(wasm_tools, data) is valid, "the table disagrees with wasm-tools"
    verdict = ours(data)
    assert (verdict is None) is valid, verdict


#: Rules of features off by default: (text, valid, wasm-tools feature, ours).
VALUES = ("cm-values", ComponentFeature.VALUES)
LISTS = ("cm-fixed-length-lists", ComponentFeature.FIXED_LENGTH_LISTS)
FEATURE_CASES = {
    # Each value is used exactly once.
    "value exported once": ('(component (import "v" (value u32)) (export "w" (value 0)))',
                            True, *VALUES),
    "value never used": ('(component (import "v" (value u32)))', False, *VALUES),
    "value exported twice": (
        '(component (import "v" (value u32)) (export "w" (value 0)) (export "x" (value 0)))',
        False, *VALUES),
    # A fixed-length list has 1 to 2^30 elements, and a value takes under 2^28
    # bytes in memory (strings and lists at 16 bytes, as in a 64-bit memory).
    "empty fixed-length list": ("(component (type (list u8 0)))", False, *LISTS),
    "u8 list just under the size limit": ("(component (type (list u8 268435455)))", True,
                                          *LISTS),
    "u8 list at the size limit": ("(component (type (list u8 268435456)))", False, *LISTS),
    "string list under the size limit": ("(component (type (list string 16777215)))", True,
                                         *LISTS),
    "string list at the size limit": ("(component (type (list string 16777216)))", False,
                                      *LISTS),
    "padded tuples under the size limit": (
        "(component (type (list (tuple u8 u32) 33554431)))", True, *LISTS),
    "padded tuples at the size limit": (
        "(component (type (list (tuple u8 u32) 33554432)))", False, *LISTS),
    "variants at the size limit": (
        '(component (type (list (variant (case "a" u8) (case "b" u64)) 16777216)))', False,
        *LISTS),
    "nine flags under the size limit": (
        '(component (type (list (flags "a" "b" "c" "d" "e" "f" "g" "h" "i") 134217727)))',
        True, *LISTS),
}


@pytest.mark.parametrize("name", sorted(FEATURE_CASES))
def test_feature_rule(name: str, wasm_tools: str) -> None:
    text, valid, flag, feature = FEATURE_CASES[name]
    data = parse_wat(wasm_tools, text)
    reference = subprocess.run([wasm_tools, "validate", "-f", flag, "-"], input=data,
                               capture_output=True, check=False)
    assert (reference.returncode == 0) is valid, "the table disagrees with wasm-tools"
    try:
        validate_component(data, frozenset({feature}))
        verdict = None
    except ValidationError as error:
        verdict = str(error)
    assert (verdict is None) is valid, verdict
