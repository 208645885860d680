"""Component snippets for the validator tests: value type definitions, async
functions, streams and futures, module and instance subtyping, instance types.

See :mod:`validate_cases` for how the cases are used.
"""

from __future__ import annotations

from typing import List

from validate_cases import Case, bad, ok
from validate_cases_abi import LIBRARY

DEFINED_TYPES: List[Case] = [
    ok("types-every-value-type", """
(component
  (type $r (record (field "a" u8) (field "b" (list string))))
  (type (variant (case "x") (case "y" $r)))
  (type (tuple s64 f32 char))
  (type (flags "read" "write"))
  (type (enum "red" "green"))
  (type (option $r))
  (type (result u32 (error string)))
  (type (result))
)"""),
    bad("types-empty-record", """
(component
  (type (record))
)"""),
    bad("types-empty-variant", """
(component
  (type (variant))
)"""),
    bad("types-empty-tuple", """
(component
  (type (tuple))
)"""),
    bad("types-too-many-flags", """
(component
  (type (flags {}))
)""".format(" ".join(f'"f{n}"' for n in range(33)))),
    ok("types-thirty-two-flags", """
(component
  (type (flags {}))
)""".format(" ".join(f'"f{n}"' for n in range(32)))),
    bad("types-fixed-length-list-gated", """
(component
  (type (list u8 4))
)"""),
    bad("types-error-context-gated", """
(component
  (type (func (param "e" error-context)))
)"""),
    bad("types-duplicate-field-label", """
(component
  (type (record (field "a" u8) (field "a" u16)))
)"""),
    bad("types-stream-of-char", """
(component
  (type (stream char))
)"""),
    bad("core-module-duplicate-import", """
(component
  (core module (import "env" "f" (func)) (import "env" "f" (func)))
)"""),
    bad("component-type-alias-of-func", """
(component
  (type (component
    (import "i" (instance $i (export "f" (func))))
    (alias export $i "f" (func))))
)"""),
    ok("component-type-alias-of-type", """
(component
  (type (component
    (import "i" (instance $i (type $t (list u8)) (export "t" (type (eq $t)))))
    (alias export $i "t" (type $t))
    (import "f" (func (result $t)))))
)"""),
    bad("types-func-param-not-kebab", """
(component
  (type (func (param "camelCase" u8)))
)"""),
]

ASYNC: List[Case] = [
    ok("async-stream-and-future-types", """
(component
  (type $s (stream u8))
  (type $f (future string))
  (type (future))
  (core func (canon stream.new $s))
  (core func (canon future.new $f))
)"""),
    bad("async-stream-new-of-future", """
(component
  (type $f (future u32))
  (core func (canon stream.new $f))
)"""),
    ok("async-task-return", """
(component
  (core func (canon task.return (result u32)))
)"""),
    ok("async-lift-with-callback", f"""
(component {LIBRARY}
  (core module $cb (func (export "cb") (param i32 i32 i32) (result i32) i32.const 0))
  (core instance $c (instantiate $cb))
  (func async (param "x" u32) (canon lift (core func $i "i32-to-i32") async
    (callback (core func $c "cb"))))
)"""),
    bad("async-lift-callback-wrong-type", f"""
(component {LIBRARY}
  (core module $cb (func (export "cb") (param i32) (result i32) i32.const 0))
  (core instance $c (instantiate $cb))
  (func async (param "x" u32) (canon lift (core func $i "i32-to-i32") async
    (callback (core func $c "cb"))))
)"""),
    bad("async-callback-without-async", f"""
(component {LIBRARY}
  (core module $cb (func (export "cb") (param i32 i32 i32) (result i32) i32.const 0))
  (core instance $c (instantiate $cb))
  (func (param "x" u32) (canon lift (core func $i "i32")
    (callback (core func $c "cb"))))
)"""),
    ok("async-func-type-import", """
(component
  (type $s (stream u8))
  (import "f" (func async (param "in" $s) (result (future u32))))
)"""),
    bad("async-lower-of-sync-func", f"""
(component {LIBRARY}
  (import "f" (func $f (param "x" u32) (result u32)))
  (core func $low (canon lower (func $f) async (memory $mem)))
)"""),
    bad("async-func-for-sync-import", """
(component
  (component $callee (import "x" (func)))
  (import "f" (func $f async))
  (instance (instantiate $callee (with "x" (func $f))))
)"""),
    ok("async-lower-into-core", f"""
(component {LIBRARY}
  (import "f" (func $f async (param "x" u32) (result u32)))
  (core func $low (canon lower (func $f) async (memory $mem)))
  (core module $user (import "host" "f" (func (param i32 i32) (result i32))))
  (core instance (instantiate $user (with "host" (instance (export "f" (func $low))))))
)"""),
]

SUBTYPING: List[Case] = [
    ok("module-arg-fewer-imports", """
(component
  (component $callee (import "m" (core module
    (import "env" "a" (func))
    (import "env" "b" (func))
    (export "run" (func)))))
  (core module $m (import "env" "a" (func)) (func (export "run")))
  (instance (instantiate $callee (with "m" (core module $m))))
)"""),
    bad("module-arg-extra-import", """
(component
  (component $callee (import "m" (core module (export "run" (func)))))
  (core module $m (import "env" "a" (func)) (func (export "run")))
  (instance (instantiate $callee (with "m" (core module $m))))
)"""),
    bad("module-arg-export-type-mismatch", """
(component
  (component $callee (import "m" (core module (export "run" (func (result i32))))))
  (core module $m (func (export "run")))
  (instance (instantiate $callee (with "m" (core module $m))))
)"""),
    ok("instance-arg-with-resource", """
(component
  (component $callee
    (import "api" (instance
      (export "r" (type $r (sub resource)))
      (export "make" (func (result (own $r)))))))
  (component $provider
    (type $r (resource (rep i32)))
    (export $re "r" (type $r))
    (core module $m (func (export "make") (result i32) i32.const 0))
    (core instance $i (instantiate $m))
    (func $make (result (own $re)) (canon lift (core func $i "make")))
    (export "make" (func $make)))
  (instance $p (instantiate $provider))
  (instance (instantiate $callee (with "api" (instance $p))))
)"""),
    bad("instance-arg-resource-not-a-resource", """
(component
  (component $callee
    (import "api" (instance (export "r" (type (sub resource))))))
  (import "api" (instance $api (type $t (record (field "a" u8))) (export "r" (type (eq $t)))))
  (instance (instantiate $callee (with "api" (instance $api))))
)"""),
    bad("component-arg-needs-more-imports", """
(component
  (component $callee (import "c" (component (import "a" (func)))))
  (component $given (import "a" (func)) (import "b" (func)))
  (instance (instantiate $callee (with "c" (component $given))))
)"""),
    ok("component-arg-fewer-imports", """
(component
  (component $callee (import "c" (component (import "a" (func)) (import "b" (func)))))
  (component $given (import "a" (func)))
  (instance (instantiate $callee (with "c" (component $given))))
)"""),
    bad("eq-type-arg-mismatch", """
(component
  (component $callee (type $l (list u8)) (import "t" (type (eq $l))))
  (type $m (list s8))
  (instance (instantiate $callee (with "t" (type $m))))
)"""),
    ok("instance-type-exported-record-used", """
(component
  (import "i" (instance
    (type $p (record (field "a" u8)))
    (export "p" (type $pe (eq $p)))
    (export "f" (func (param "p" $pe)))))
)"""),
    bad("instance-type-unexported-record-used", """
(component
  (import "i" (instance
    (type $p (record (field "a" u8)))
    (export "f" (func (param "p" $p)))))
)"""),
    bad("instance-type-method-without-resource", """
(component
  (import "i" (instance
    (export "q" (type $q (sub resource)))
    (export "[method]r.go" (func (param "self" (borrow $q))))))
)"""),
    ok("instance-type-method", """
(component
  (import "i" (instance
    (export "r" (type $r (sub resource)))
    (export "[method]r.go" (func (param "self" (borrow $r))))))
)"""),
]

CASES: List[Case] = DEFINED_TYPES + ASYNC + SUBTYPING
