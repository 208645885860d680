"""Component snippets for the validator tests: instantiation, aliases, type exports.

Each :class:`Case` is a component in the text format with the verdict
``wasm-tools validate`` gives it (default features); the test builds the binary
with ``wasm-tools parse``, checks that ``wasm-tools`` still gives the verdict
written here, and that :func:`wasmport.component.validate_component` gives it
too. The canonical ABI, resource, name and nesting cases are in
:mod:`validate_cases_abi`; value types, async and subtyping in
:mod:`validate_cases_types`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List


@dataclass(frozen=True)
class Case:
    """A component text and whether it is valid."""

    name: str
    valid: bool
    text: str


def ok(name: str, text: str) -> Case:
    return Case(name, True, text)


def bad(name: str, text: str) -> Case:
    return Case(name, False, text)


def core_import(import_desc: str, export_def: str) -> str:
    """A core module importing ``import_desc`` as ``"host" "x"``, instantiated with
    an instance of a module that exports ``export_def`` as ``"x"``."""
    return f"""
(component
  (core module $provider {export_def})
  (core instance $p (instantiate $provider))
  (core module $user (import "host" "x" {import_desc}))
  (core instance (instantiate $user (with "host" (instance $p))))
)"""


CORE_INSTANTIATION: List[Case] = [
    ok("core-func-arg-matches", core_import(
        "(func (param i32) (result i64))",
        '(func (export "x") (param i32) (result i64) i64.const 1)')),
    bad("core-func-arg-type-mismatch", core_import(
        "(func (param i32))", '(func (export "x") (param i64))')),
    bad("core-func-arg-result-mismatch", core_import(
        "(func (result i32))", '(func (export "x"))')),
    bad("core-arg-wrong-sort", core_import(
        "(func)", '(memory (export "x") 1)')),
    ok("core-memory-larger-min", core_import("(memory 1)", '(memory (export "x") 2)')),
    bad("core-memory-smaller-min", core_import("(memory 2)", '(memory (export "x") 1)')),
    bad("core-memory-missing-max", core_import("(memory 1 2)", '(memory (export "x") 1)')),
    ok("core-memory-smaller-max", core_import("(memory 1 4)", '(memory (export "x") 1 3)')),
    bad("core-memory-larger-max", core_import("(memory 1 2)", '(memory (export "x") 1 3)')),
    ok("core-table-matches", core_import(
        "(table 1 funcref)", '(table (export "x") 2 funcref)')),
    bad("core-table-elem-mismatch", core_import(
        "(table 1 funcref)", '(table (export "x") 1 externref)')),
    bad("core-table-limits-mismatch", core_import(
        "(table 3 funcref)", '(table (export "x") 2 funcref)')),
    ok("core-global-matches", core_import(
        "(global (mut i32))", '(global (export "x") (mut i32) (i32.const 0))')),
    bad("core-global-mutability-mismatch", core_import(
        "(global (mut i32))", '(global (export "x") i32 (i32.const 0))')),
    bad("core-global-type-mismatch", core_import(
        "(global i64)", '(global (export "x") i32 (i32.const 0))')),
    bad("core-missing-instance-arg", """
(component
  (core module $m (import "host" "f" (func)))
  (core instance (instantiate $m))
)"""),
    bad("core-arg-lacks-export", """
(component
  (core module $provider (func (export "g")))
  (core instance $p (instantiate $provider))
  (core module $m (import "host" "f" (func)))
  (core instance (instantiate $m (with "host" (instance $p))))
)"""),
    ok("core-arg-extra-exports", """
(component
  (core module $provider (func (export "f")) (func (export "g")) (memory (export "m") 1))
  (core instance $p (instantiate $provider))
  (core module $m (import "host" "f" (func)))
  (core instance (instantiate $m (with "host" (instance $p)) (with "unused" (instance $p))))
)"""),
    ok("core-inline-instance", """
(component
  (core module $provider (func (export "f") (param i32)) (memory (export "m") 1))
  (core instance $p (instantiate $provider))
  (alias core export $p "f" (core func $f))
  (alias core export $p "m" (core memory $mem))
  (core instance $bag (export "func" (func $f)) (export "memory" (memory $mem)))
  (core module $m (import "env" "func" (func (param i32))) (import "env" "memory" (memory 1)))
  (core instance (instantiate $m (with "env" (instance $bag))))
)"""),
    bad("core-inline-instance-wrong-type", """
(component
  (core module $provider (func (export "f") (param i32)))
  (core instance $p (instantiate $provider))
  (alias core export $p "f" (core func $f))
  (core instance $bag (export "func" (func $f)))
  (core module $m (import "env" "func" (func (param f32))))
  (core instance (instantiate $m (with "env" (instance $bag))))
)"""),
    ok("core-imported-module-instantiated", """
(component
  (import "m" (core module $m
    (import "env" "f" (func (param i32)))
    (export "g" (func (result i32)))))
  (core module $provider (func (export "f") (param i32)))
  (core instance $p (instantiate $provider))
  (core instance $i (instantiate $m (with "env" (instance $p))))
  (alias core export $i "g" (core func $g))
)"""),
    bad("core-imported-module-missing-export", """
(component
  (import "m" (core module $m (export "g" (func (result i32)))))
  (core instance $i (instantiate $m))
  (alias core export $i "h" (core func))
)"""),
]


def with_callee(import_desc: str, arg_defs: str, arg: str) -> str:
    """A component importing ``import_desc`` as ``"x"``, instantiated with ``arg``."""
    return f"""
(component
  (component $callee (import "x" {import_desc}))
  {arg_defs}
  (instance (instantiate $callee (with "x" {arg})))
)"""


COMPONENT_INSTANTIATION: List[Case] = [
    ok("component-func-arg-matches", with_callee(
        '(func (param "a" u32) (result string))',
        '(import "f" (func $f (param "a" u32) (result string)))', "(func $f)")),
    bad("component-missing-import-arg", """
(component
  (component $callee (import "x" (func)))
  (instance (instantiate $callee))
)"""),
    bad("component-arg-wrong-sort", with_callee(
        "(func)", '(import "i" (instance $i))', "(instance $i)")),
    bad("component-func-param-type-mismatch", with_callee(
        '(func (param "a" u32))', '(import "f" (func $f (param "a" string)))', "(func $f)")),
    bad("component-func-param-name-mismatch", with_callee(
        '(func (param "a" u32))', '(import "f" (func $f (param "b" u32)))', "(func $f)")),
    bad("component-func-result-mismatch", with_callee(
        '(func (result u32))', '(import "f" (func $f (result u64)))', "(func $f)")),
    bad("component-func-param-count-mismatch", with_callee(
        '(func (param "a" u32))', '(import "f" (func $f (param "a" u32) (param "b" u32)))',
        "(func $f)")),
    ok("component-instance-arg-extra-exports", with_callee(
        '(instance (export "f" (func)))',
        '(import "i" (instance $i (export "f" (func)) (export "g" (func (param "x" u8)))))',
        "(instance $i)")),
    bad("component-instance-arg-missing-export", with_callee(
        '(instance (export "f" (func)) (export "g" (func)))',
        '(import "i" (instance $i (export "f" (func))))', "(instance $i)")),
    bad("component-instance-arg-export-type-mismatch", with_callee(
        '(instance (export "f" (func (param "p" bool))))',
        '(import "i" (instance $i (export "f" (func (param "p" char)))))', "(instance $i)")),
    ok("component-record-arg-structural", """
(component
  (component $callee
    (type $p (record (field "x" s32) (field "y" s32)))
    (import "p" (type $pi (eq $p)))
    (import "x" (func (param "p" $pi))))
  (type $q (record (field "x" s32) (field "y" s32)))
  (import "q" (type $qi (eq $q)))
  (import "f" (func $f (param "p" $qi)))
  (instance (instantiate $callee (with "p" (type $qi)) (with "x" (func $f))))
)"""),
    bad("component-record-arg-field-mismatch", """
(component
  (component $callee
    (type $p (record (field "x" s32) (field "y" s32)))
    (import "p" (type $pi (eq $p)))
    (import "x" (func (param "p" $pi))))
  (type $q (record (field "x" s32) (field "z" s32)))
  (import "q" (type $qi (eq $q)))
  (import "f" (func $f (param "p" $qi)))
  (instance (instantiate $callee (with "p" (type $qi)) (with "x" (func $f))))
)"""),
    ok("component-resource-arg-own", """
(component
  (component $callee
    (import "r" (type $r (sub resource)))
    (import "make" (func (result (own $r)))))
  (type $res (resource (rep i32)))
  (core func $new (canon resource.new $res))
  (core module $m (func (export "make") (result i32) i32.const 0))
  (core instance $i (instantiate $m))
  (func $make (result (own $res)) (canon lift (core func $i "make")))
  (instance (instantiate $callee (with "r" (type $res)) (with "make" (func $make))))
)"""),
    bad("component-resource-arg-other-resource", """
(component
  (component $callee
    (import "r" (type $r (sub resource)))
    (import "make" (func (result (own $r)))))
  (type $res (resource (rep i32)))
  (type $other (resource (rep i32)))
  (core module $m (func (export "make") (result i32) i32.const 0))
  (core instance $i (instantiate $m))
  (func $make (result (own $other)) (canon lift (core func $i "make")))
  (instance (instantiate $callee (with "r" (type $res)) (with "make" (func $make))))
)"""),
    bad("component-resource-arg-borrow-for-own", """
(component
  (component $callee
    (import "r" (type $r (sub resource)))
    (import "use" (func (param "h" (own $r)))))
  (type $res (resource (rep i32)))
  (core module $m (func (export "use") (param i32)))
  (core instance $i (instantiate $m))
  (func $use (param "h" (borrow $res)) (canon lift (core func $i "use")))
  (instance (instantiate $callee (with "r" (type $res)) (with "use" (func $use))))
)"""),
    bad("component-resource-arg-not-a-resource", """
(component
  (component $callee (import "r" (type (sub resource))))
  (type $t (record (field "a" u8)))
  (instance (instantiate $callee (with "r" (type $t))))
)"""),
    ok("component-imported-component-instantiated", """
(component
  (import "c" (component $c
    (import "log" (func (param "msg" string)))
    (export "run" (func))))
  (import "log" (func $log (param "msg" string)))
  (instance $i (instantiate $c (with "log" (func $log))))
  (alias export $i "run" (func $run))
  (export "run" (func $run))
)"""),
    bad("component-imported-component-wrong-arg", """
(component
  (import "c" (component $c (import "log" (func (param "msg" string)))))
  (import "log" (func $log (param "msg" u32)))
  (instance (instantiate $c (with "log" (func $log))))
)"""),
    ok("component-arg-not-imported-is-ignored", with_callee(
        "(func)", '(import "f" (func $f)) (import "g" (func $g))',
        '(func $f)) (with "extra" (func $g)')),
    ok("component-module-arg-extra-exports", """
(component
  (component $callee (import "m" (core module (export "f" (func)))))
  (core module $m (func (export "f")) (func (export "g")))
  (instance (instantiate $callee (with "m" (core module $m))))
)"""),
    bad("component-module-arg-missing-export", """
(component
  (component $callee (import "m" (core module (export "f" (func)) (export "g" (func)))))
  (core module $m (func (export "f")))
  (instance (instantiate $callee (with "m" (core module $m))))
)"""),
    ok("component-eq-type-arg-matches", """
(component
  (component $callee (type $l (list u8)) (import "t" (type (eq $l))))
  (type $l (list u8))
  (instance (instantiate $callee (with "t" (type $l))))
)"""),
]

ALIASES: List[Case] = [
    ok("alias-export-func", """
(component
  (import "i" (instance $i (export "f" (func (param "x" u32)))))
  (alias export $i "f" (func $f))
  (export "f" (func $f))
)"""),
    bad("alias-export-missing-name", """
(component
  (import "i" (instance $i (export "f" (func))))
  (alias export $i "g" (func))
)"""),
    bad("alias-export-wrong-sort", """
(component
  (import "i" (instance $i (export "f" (func))))
  (alias export $i "f" (instance))
)"""),
    ok("alias-export-type-then-use", """
(component
  (import "i" (instance $i
    (type $p (record (field "a" u32)))
    (export "p" (type $pe (eq $p)))
    (export "get" (func (result $pe)))))
  (alias export $i "p" (type $p))
  (alias export $i "get" (func $get))
  (import "want" (type $w (eq $p)))
  (import "other" (func (result $w)))
)"""),
    bad("alias-export-type-used-as-resource", """
(component
  (import "i" (instance $i
    (type $p (record (field "a" u32)))
    (export "p" (type (eq $p)))))
  (alias export $i "p" (type $p))
  (import "f" (func (param "h" (own $p))))
)"""),
    ok("alias-core-export", """
(component
  (core module $m (func (export "f")) (memory (export "mem") 1) (table (export "t") 1 funcref)
    (global (export "g") i32 (i32.const 1)))
  (core instance $i (instantiate $m))
  (alias core export $i "f" (core func))
  (alias core export $i "mem" (core memory))
  (alias core export $i "t" (core table))
  (alias core export $i "g" (core global))
)"""),
    bad("alias-core-export-missing-name", """
(component
  (core module $m (func (export "f")))
  (core instance $i (instantiate $m))
  (alias core export $i "g" (core func))
)"""),
    bad("alias-core-export-wrong-sort", """
(component
  (core module $m (func (export "f")))
  (core instance $i (instantiate $m))
  (alias core export $i "f" (core memory))
)"""),
    ok("alias-outer-type", """
(component $outer
  (type $t (func (param "x" u32)))
  (component
    (alias outer $outer $t (type $u))
    (import "f" (func (type $u))))
)"""),
    ok("alias-outer-core-module", """
(component $outer
  (core module $m (func (export "f")))
  (component
    (alias outer $outer $m (core module $n))
    (core instance (instantiate $n)))
)"""),
    ok("alias-outer-component", """
(component $outer
  (component $inner (import "g" (func $g)) (export "f" (func $g)))
  (component
    (alias outer $outer $inner (component $c))
    (import "g" (func $g))
    (instance (instantiate $c (with "g" (func $g)))))
)"""),
    bad("alias-outer-resource", """
(component $outer
  (type $r (resource (rep i32)))
  (component
    (alias outer $outer $r (type)))
)"""),
    bad("alias-outer-type-referring-to-resource", """
(component $outer
  (type $r (resource (rep i32)))
  (type $f (func (param "h" (own $r))))
  (component
    (alias outer $outer $f (type)))
)"""),
]

TYPE_EXPORTS: List[Case] = [
    ok("export-record-type", """
(component
  (type $r (record (field "a" u32)))
  (export "r" (type $r))
)"""),
    ok("export-resource-type", """
(component
  (type $r (resource (rep i32)))
  (export $e "r" (type $r))
  (core module $m (func (export "new") (result i32) i32.const 1))
  (core instance $i (instantiate $m))
  (func (export "new") (result (own $e)) (canon lift (core func $i "new")))
)"""),
    ok("export-type-eq-ascription", """
(component
  (type $r (record (field "a" u32)))
  (export "r" (type $r) (type (eq $r)))
)"""),
    bad("export-type-eq-ascription-mismatch", """
(component
  (type $r (record (field "a" u32)))
  (type $s (record (field "a" u64)))
  (export "r" (type $r) (type (eq $s)))
)"""),
    # The ascription makes a fresh abstract resource, which is not the defined one.
    bad("export-resource-sub-resource-ascription", """
(component
  (type $r (resource (rep i32)))
  (export "r" (type $r) (type (sub resource)))
)"""),
    bad("export-record-sub-resource", """
(component
  (type $r (record (field "a" u32)))
  (export "r" (type $r) (type (sub resource)))
)"""),
    ok("export-func-ascription-matches", """
(component
  (import "f" (func $f (param "x" u32) (result u8)))
  (type $t (func (param "x" u32) (result u8)))
  (export "f" (func $f) (func (type $t)))
)"""),
    bad("export-func-ascription-mismatch", """
(component
  (import "f" (func $f (param "x" u32) (result u8)))
  (type $t (func (param "x" u32) (result u16)))
  (export "f" (func $f) (func (type $t)))
)"""),
    bad("export-instance-ascription-missing-export", """
(component
  (import "i" (instance $i (export "a" (func))))
  (export "i" (instance $i) (instance (export "a" (func)) (export "b" (func))))
)"""),
    ok("export-instance-ascription-fewer-exports", """
(component
  (import "i" (instance $i (export "a" (func)) (export "b" (func))))
  (export "i" (instance $i) (instance (export "a" (func))))
)"""),
    ok("import-type-eq-then-use", """
(component
  (type $l (list string))
  (import "l" (type $li (eq $l)))
  (import "f" (func (param "l" $li)))
)"""),
]

CASES: List[Case] = CORE_INSTANTIATION + COMPONENT_INSTANTIATION + ALIASES + TYPE_EXPORTS
