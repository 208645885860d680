"""Component snippets for the validator tests: resources, the canonical ABI,
types valid in exports, annotated and interface names, nesting, features.

See :mod:`validate_cases` for how the cases are used.
"""

from __future__ import annotations

from typing import List

from validate_cases import Case, bad, ok

#: A core module with a memory, a ``realloc`` and functions of the shapes the
#: lifts and lowers below need, instantiated as ``$i`` with ``$mem``/``$realloc``.
LIBRARY = """
  (core module $lib
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 0)
    (func (export "bad-realloc") (param i32 i32 i32) (result i32) i32.const 0)
    (func (export "i32-i32") (param i32 i32))
    (func (export "i32-to-i32") (param i32) (result i32) local.get 0)
    (func (export "to-i32") (result i32) i32.const 0)
    (func (export "i64-to-i32") (param i64) (result i32) i32.const 0)
    (func (export "i32") (param i32))
    (func (export "i64") (param i64))
    (func (export "none")))
  (core instance $i (instantiate $lib))
  (alias core export $i "mem" (core memory $mem))
  (alias core export $i "realloc" (core func $realloc))
"""


def lifted(func_type: str, core: str, options: str = "") -> str:
    """A component lifting core function ``core`` of :data:`LIBRARY` to ``func_type``."""
    return f"""
(component {LIBRARY}
  (func {func_type} (canon lift (core func $i "{core}") {options}))
)"""


def lowered(func_type: str, core_import: str, options: str = "") -> str:
    """A component lowering an imported ``func_type`` into a core module that
    imports it as ``core_import``."""
    return f"""
(component {LIBRARY}
  (import "f" (func $f {func_type}))
  (core func $low (canon lower (func $f) {options}))
  (core module $user (import "host" "f" {core_import}))
  (core instance (instantiate $user (with "host" (instance (export "f" (func $low))))))
)"""


RESOURCES: List[Case] = [
    ok("resource-new-rep-drop-defined", """
(component
  (type $r (resource (rep i32)))
  (core func (canon resource.new $r))
  (core func (canon resource.rep $r))
  (core func (canon resource.drop $r))
)"""),
    bad("resource-new-imported", """
(component
  (import "r" (type $r (sub resource)))
  (core func (canon resource.new $r))
)"""),
    bad("resource-rep-imported", """
(component
  (import "r" (type $r (sub resource)))
  (core func (canon resource.rep $r))
)"""),
    ok("resource-drop-imported", """
(component
  (import "r" (type $r (sub resource)))
  (core func (canon resource.drop $r))
)"""),
    bad("resource-own-of-record", """
(component
  (type $t (record (field "a" u8)))
  (type (own $t))
)"""),
    bad("resource-borrow-of-list", """
(component
  (type $t (list u8))
  (type (borrow $t))
)"""),
    ok("resource-dtor-matches", """
(component
  (core module $m (func (export "dtor") (param i32)))
  (core instance $i (instantiate $m))
  (type $r (resource (rep i32) (dtor (core func $i "dtor"))))
)"""),
    bad("resource-dtor-wrong-type", """
(component
  (core module $m (func (export "dtor") (param i64)))
  (core instance $i (instantiate $m))
  (type $r (resource (rep i32) (dtor (core func $i "dtor"))))
)"""),
    bad("resource-rep-i64-gated", """
(component
  (type $r (resource (rep i64)))
)"""),
    ok("resource-new-feeds-core-import", """
(component
  (type $r (resource (rep i32)))
  (core func $new (canon resource.new $r))
  (core module $m (import "host" "new" (func (param i32) (result i32))))
  (core instance (instantiate $m (with "host" (instance (export "new" (func $new))))))
)"""),
    bad("resource-drop-feeds-wrong-core-import", """
(component
  (type $r (resource (rep i32)))
  (core func $drop (canon resource.drop $r))
  (core module $m (import "host" "drop" (func (param i32) (result i32))))
  (core instance (instantiate $m (with "host" (instance (export "drop" (func $drop))))))
)"""),
    bad("resource-in-instance-type", """
(component
  (type (instance (type (resource (rep i32)))))
)"""),
]

CANON: List[Case] = [
    ok("lift-scalar", lifted('(param "x" u32) (result u32)', "i32-to-i32")),
    bad("lift-core-param-mismatch", lifted('(param "x" u32) (result u32)', "i64-to-i32")),
    bad("lift-core-result-mismatch", lifted('(param "x" u32)', "i32-to-i32")),
    ok("lift-u64-param", lifted('(param "x" u64) (result u8)', "i64-to-i32")),
    ok("lift-string-param", lifted(
        '(param "s" string)', "i32-i32", "(memory $mem) (realloc $realloc)")),
    bad("lift-string-param-no-memory", lifted('(param "s" string)', "i32-i32")),
    bad("lift-string-param-no-realloc", lifted('(param "s" string)', "i32-i32",
                                              "(memory $mem)")),
    bad("lift-list-param-no-realloc", lifted('(param "l" (list u16))', "i32-i32",
                                            "(memory $mem)")),
    ok("lift-string-result-memory-only", lifted(
        '(param "x" u32) (result string)', "i32-to-i32", "(memory $mem)")),
    bad("lift-string-result-no-memory", lifted('(param "x" u32) (result string)',
                                              "i32-to-i32")),
    bad("lift-realloc-wrong-type", lifted(
        '(param "s" string)', "i32-i32",
        '(memory $mem) (realloc (core func $i "bad-realloc"))')),
    ok("lift-post-return-matches", lifted(
        '(result string)', "to-i32", '(memory $mem) (post-return (core func $i "i32"))')),
    bad("lift-post-return-wrong-type", lifted(
        '(result string)', "to-i32", '(memory $mem) (post-return (core func $i "i64"))')),
    ok("lift-post-return-for-no-result", lifted(
        '(param "x" u32)', "i32", '(post-return (core func $i "none"))')),
    bad("lift-post-return-param-for-no-result", lifted(
        '(param "x" u32)', "i32", '(post-return (core func $i "i32"))')),
    ok("lift-many-params-spilled", lifted(
        " ".join(f'(param "p{n}" u32)' for n in range(17)), "i32",
        "(memory $mem) (realloc $realloc)")),
    bad("lift-many-params-not-spilled", lifted(
        " ".join(f'(param "p{n}" u32)' for n in range(17)), "i32")),
    ok("lift-record-result-through-memory", lifted(
        '(result (tuple u64 u64 u64))', "to-i32", "(memory $mem)")),
    ok("lower-scalar-into-core", lowered(
        '(param "x" u32) (result u32)', "(func (param i32) (result i32))")),
    bad("lower-into-wrong-core-import", lowered(
        '(param "x" u32) (result u32)', "(func (param i64) (result i32))")),
    ok("lower-string-param-into-core", lowered(
        '(param "s" string)', "(func (param i32 i32))", "(memory $mem)")),
    bad("lower-string-param-no-memory", lowered('(param "s" string)', "(func (param i32 i32))")),
    ok("lower-string-result-retptr", lowered(
        '(result string)', "(func (param i32))", "(memory $mem) (realloc $realloc)")),
    bad("lower-string-result-no-realloc", lowered(
        '(result string)', "(func (param i32))", "(memory $mem)")),
    bad("lower-string-result-wrong-core-shape", lowered(
        '(result string)', "(func (result i32 i32))", "(memory $mem) (realloc $realloc)")),
    bad("lift-not-a-func-type", """
(component
  (core module $m (func (export "f")))
  (core instance $i (instantiate $m))
  (type $t (list u8))
  (func (type $t) (canon lift (core func $i "f")))
)"""),
]

EXPORT_TYPES: List[Case] = [
    bad("func-type-borrow-result", """
(component
  (type $r (resource (rep i32)))
  (type (func (result (borrow $r))))
)"""),
    ok("func-type-borrow-param", """
(component
  (type $r (resource (rep i32)))
  (type (func (param "h" (borrow $r))))
)"""),
    bad("export-func-unexported-record", """
(component
  (type $p (record (field "x" u32)))
  (core module $m (func (export "f") (param i32)))
  (core instance $i (instantiate $m))
  (func $f (param "p" $p) (canon lift (core func $i "f")))
  (export "f" (func $f))
)"""),
    ok("export-func-exported-record", """
(component
  (type $p (record (field "x" u32)))
  (export $pe "p" (type $p))
  (core module $m (func (export "f") (param i32)))
  (core instance $i (instantiate $m))
  (func $f (param "p" $pe) (canon lift (core func $i "f")))
  (export "f" (func $f))
)"""),
    bad("import-func-exported-record", """
(component
  (type $p (record (field "x" u32)))
  (export $pe "p" (type $p))
  (import "f" (func (param "p" $pe)))
)"""),
    ok("export-func-imported-record", """
(component
  (type $p (record (field "x" u32)))
  (import "p" (type $pi (eq $p)))
  (import "f" (func $f (param "p" $pi)))
  (export "f" (func $f))
)"""),
    bad("import-func-unimported-record", """
(component
  (type $p (record (field "x" u32)))
  (import "f" (func (param "p" $p)))
)"""),
    ok("import-func-anonymous-types", """
(component
  (import "f" (func (param "p" (tuple u8 (list string))) (result (option (result u32)))))
)"""),
    bad("export-func-unexported-resource", """
(component
  (type $r (resource (rep i32)))
  (core module $m (func (export "f") (result i32) i32.const 0))
  (core instance $i (instantiate $m))
  (func $f (result (own $r)) (canon lift (core func $i "f")))
  (export "f" (func $f))
)"""),
    bad("export-instance-unexported-enum", """
(component
  (type $e (enum "a" "b"))
  (core module $m (func (export "f") (result i32) i32.const 0))
  (core instance $i (instantiate $m))
  (func $f (result $e) (canon lift (core func $i "f")))
  (instance $inst (export "f" (func $f)))
  (export "i" (instance $inst))
)"""),
]

NAMES: List[Case] = [
    ok("name-constructor", """
(component
  (import "r" (type $r (sub resource)))
  (import "[constructor]r" (func (param "x" u32) (result (own $r))))
)"""),
    bad("name-constructor-wrong-result", """
(component
  (import "r" (type $r (sub resource)))
  (import "[constructor]r" (func (result u32)))
)"""),
    ok("name-constructor-fallible", """
(component
  (import "r" (type $r (sub resource)))
  (import "[constructor]r" (func (result (result (own $r) (error string)))))
)"""),
    ok("name-method", """
(component
  (import "r" (type $r (sub resource)))
  (import "[method]r.size" (func (param "self" (borrow $r)) (result u64)))
)"""),
    bad("name-method-no-self", """
(component
  (import "r" (type $r (sub resource)))
  (import "[method]r.size" (func (result u64)))
)"""),
    bad("name-method-self-wrong-type", """
(component
  (import "r" (type $r (sub resource)))
  (import "[method]r.size" (func (param "self" u32) (result u64)))
)"""),
    ok("name-static", """
(component
  (import "r" (type $r (sub resource)))
  (import "[static]r.make" (func (result (own $r))))
)"""),
    bad("name-static-unknown-resource", """
(component
  (import "[static]q.make" (func))
)"""),
    bad("name-constructor-not-a-func", """
(component
  (import "r" (type $r (sub resource)))
  (import "[constructor]r" (instance))
)"""),
    bad("name-not-kebab", """
(component
  (import "Foo_bar" (func))
)"""),
    ok("name-interface-versioned", """
(component
  (import "a:b/c@1.0.0" (instance))
  (import "a:b/c-d@0.2.6-rc.1+build" (instance))
)"""),
    bad("name-interface-bad-version", """
(component
  (import "a:b/c@1.0" (instance))
)"""),
    bad("name-not-strongly-unique", """
(component
  (import "a-b" (func))
  (import "A-B" (func))
)"""),
]

NESTING_AND_FEATURES: List[Case] = [
    ok("nested-component-instantiated", """
(component
  (component $inner
    (type $p (record (field "x" u32)))
    (import "p" (type $pi (eq $p)))
    (import "get" (func $get (result $pi)))
    (export "get" (func $get)))
  (type $q (record (field "x" u32)))
  (import "q" (type $qi (eq $q)))
  (import "get" (func $get (result $qi)))
  (instance $i (instantiate $inner (with "p" (type $qi)) (with "get" (func $get))))
  (alias export $i "get" (func $g))
  (export "get" (func $g))
)"""),
    ok("nested-component-resources", """
(component
  (component $inner
    (type $r (resource (rep i32)))
    (export $re "r" (type $r))
    (core module $m (func (export "new") (result i32) i32.const 0))
    (core instance $i (instantiate $m))
    (func $new (result (own $re)) (canon lift (core func $i "new")))
    (export "[constructor]r" (func $new)))
  (instance $i (instantiate $inner))
  (alias export $i "r" (type $r))
  (core func (canon resource.drop $r))
  (export "inner" (instance $i))
)"""),
    bad("nested-component-resource-new-of-child", """
(component
  (component $inner
    (type $r (resource (rep i32)))
    (export "r" (type $r)))
  (instance $i (instantiate $inner))
  (alias export $i "r" (type $r))
  (core func (canon resource.new $r))
)"""),
    ok("instance-from-exports", """
(component
  (import "f" (func $f (param "x" u8)))
  (import "m" (core module $m))
  (instance $bag (export "f" (func $f)) (export "m" (core module $m)))
  (export "bag" (instance $bag))
)"""),
    bad("value-import-gated", """
(component
  (import "v" (value u32))
)"""),
    bad("start-gated", """
(component
  (import "f" (func $f))
  (start $f)
)"""),
    ok("component-type-import", """
(component
  (type $c (component
    (import "x" (func (param "a" s8)))
    (export "y" (func (result s8)))))
  (import "c" (component $imp (type $c)))
  (export "c" (component $imp))
)"""),
]

CASES: List[Case] = RESOURCES + CANON + EXPORT_TYPES + NAMES + NESTING_AND_FEATURES
