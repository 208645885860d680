"""The Canonical ABI's core types (:mod:`wasmport.component.abi`, :mod:`wasmport.component.builtins`).

Flattening is checked against hand-derived expectations. The core types of
``canon lift``, ``canon lower`` and the built-ins are checked against
``wasm-tools`` (default features): for each component function type and set
of options, a component lifts a core function of the type
:func:`~wasmport.component.abi.lift_type` computes (or lowers the function and
instantiates a core module importing it with
:func:`~wasmport.component.abi.lower_type`'s type), which ``wasm-tools`` must
accept -- and must reject once the core type is perturbed; options that our
functions reject must make ``wasm-tools`` reject the component too. All
components of a group go to ``wasm-tools wast`` as one script
(:class:`abi_wat.Script`).
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Callable, Dict, List, Optional, Tuple

import pytest
from abi_wat import Script, core_func_text, func_text, imported_types, perturbations
from component_tools import parse_wat, validates

from wasmport.component import abi
from wasmport.component import typesys as ts
from wasmport.component.abi import CanonOpts, flatten, flatten_at_most, lift_type, lower_type
from wasmport.component.ast import CanonOption, CanonOptionKind
from wasmport.component.ast import PrimValType as P
from wasmport.errors import ValidationError
from wasmport.syntax.types import F32, F64, I32, I64, AddrType, Limits, MemoryType, RecType, SubType
from wasmport.syntax.types import FuncType as CoreFuncType
from wasmport.syntax.types import ValType as CoreValType

R = ts.Resource("r")
MEMORY = MemoryType(Limits(1))
REALLOC = CoreFuncType((I32,) * 4, (I32,))
CALLBACK = CoreFuncType((I32, I32, I32), (I32,))


def record(*types: ts.ValType) -> ts.Record:
    return ts.Record(tuple((f"f{i}", t) for i, t in enumerate(types)))


def variant(*cases: Optional[ts.ValType]) -> ts.Variant:
    return ts.Variant(tuple((f"c{i}", t) for i, t in enumerate(cases)))


def func(*params: ts.ValType, result: Optional[ts.ValType] = None,
         is_async: bool = False) -> ts.Func:
    return ts.Func(tuple((f"p{i}", t) for i, t in enumerate(params)), result, is_async)


def flags(count: int) -> ts.Flags:
    return ts.Flags(tuple(f"f{i}" for i in range(count)))


# -- flattening --------------------------------------------------------------------------------

FLATTENINGS: List[Tuple[str, ts.ValType, List[CoreValType]]] = [
    ("bool", P.BOOL, [I32]),
    ("s8", P.S8, [I32]),
    ("u16", P.U16, [I32]),
    ("char", P.CHAR, [I32]),
    ("u64", P.U64, [I64]),
    ("s64", P.S64, [I64]),
    ("f32", P.F32, [F32]),
    ("f64", P.F64, [F64]),
    ("string", P.STRING, [I32, I32]),
    ("record", record(P.U8, P.F64, P.STRING), [I32, F64, I32, I32]),
    ("tuple", ts.Tuple_((P.U64, P.F32)), [I64, F32]),
    ("variant f32|u64", variant(P.F32, P.U64), [I32, I64]),
    ("variant f32|u32", variant(P.F32, P.U32), [I32, I32]),
    ("variant f32|f32", variant(P.F32, P.F32), [I32, F32]),
    ("variant f64|f32", variant(P.F64, P.F32), [I32, I64]),
    ("variant i32|i64", variant(P.U32, P.S64), [I32, I64]),
    ("variant without payloads", variant(None, None), [I32]),
    ("variant of tuples", variant(ts.Tuple_((P.F32, P.F32)), ts.Tuple_((P.U32,)), None),
     [I32, I32, F32]),
    ("option f64", ts.Option(P.F64), [I32, F64]),
    ("option of variant", ts.Option(variant(P.U64, P.F32)), [I32, I32, I64]),
    ("result string|f32", ts.Result(P.STRING, P.F32), [I32, I32, I32]),
    ("result", ts.Result(None, None), [I32]),
    ("result error only", ts.Result(None, P.F64), [I32, F64]),
    ("flags 1", flags(1), [I32]),
    ("flags 32", flags(32), [I32]),
    ("flags 33", flags(33), [I32, I32]),
    ("enum", ts.Enum(("a", "b")), [I32]),
    ("own", ts.Own(R), [I32]),
    ("borrow", ts.Borrow(R), [I32]),
    ("list", ts.List(P.STRING), [I32, I32]),
    ("fixed-length list", ts.List(P.U8, 3), [I32, I32, I32]),
    ("map", ts.Map(P.STRING, P.U32), [I32, I32]),
    ("stream", ts.Stream(P.U8), [I32]),
    ("future", ts.Future(None), [I32]),
]


@pytest.mark.parametrize("name,t,expected", FLATTENINGS, ids=[c[0] for c in FLATTENINGS])
def test_flatten(name: str, t: ts.ValType, expected: List[CoreValType]) -> None:
    assert flatten(t) == expected


def test_flatten_64_bit_pointers() -> None:
    assert flatten(ts.Record((("s", P.STRING), ("l", ts.List(P.U8)))), I64) == [I64] * 4
    assert flatten(ts.Option(P.STRING), I64) == [I32, I64, I64]


def test_flatten_at_most() -> None:
    assert flatten_at_most(record(*[P.U32] * 16), 16) == [I32] * 16
    assert flatten_at_most(record(*[P.U32] * 17), 16) is None
    assert flatten_at_most(variant(record(P.U32, P.U32), P.F32), 2) is None
    assert flatten_at_most(variant(P.U32, P.F32), 2) == [I32, I32]
    # A huge fixed-length list overflows without being flattened in full.
    assert flatten_at_most(ts.List(P.U8, 2 ** 32 - 1), 16) is None


def test_lift_and_lower_types() -> None:
    opts = CanonOpts(memory=MEMORY, realloc=REALLOC)
    f = func(P.U32, P.STRING, result=P.STRING)
    assert lift_type(f, opts, 0) == CoreFuncType((I32, I32, I32), (I32,))
    assert lower_type(f, opts, 0) == CoreFuncType((I32, I32, I32, I32), ())
    many = func(*[P.U32] * 17, result=P.F64)
    assert lift_type(many, opts, 0) == CoreFuncType((I32,), (F64,))
    assert lower_type(many, CanonOpts(memory=MEMORY), 0) == CoreFuncType((I32,), (F64,))
    asynchronous = func(*[P.U32] * 5, result=P.U32, is_async=True)
    assert lower_type(asynchronous, replace(opts, is_async=True), 0) == \
        CoreFuncType((I32, I32), (I32,))
    lifted = lift_type(asynchronous, replace(opts, is_async=True, callback=CALLBACK), 0)
    assert lifted == CoreFuncType((I32,) * 5, (I32,))


def test_requirements() -> None:
    with pytest.raises(ValidationError, match="`realloc` is required"):
        lift_type(func(P.STRING), CanonOpts(memory=MEMORY), 0)
    with pytest.raises(ValidationError, match="`memory` is required"):
        lower_type(func(P.STRING), CanonOpts(), 0)
    with pytest.raises(ValidationError, match="`memory` is required"):
        lift_type(func(result=ts.Tuple_((P.U8, P.U8))), CanonOpts(), 0)
    with pytest.raises(ValidationError, match="`realloc` is required"):
        lower_type(func(result=ts.List(P.U8)), CanonOpts(memory=MEMORY), 0)
    assert lower_type(func(result=ts.List(P.U8)),
                      CanonOpts(memory=MEMORY, realloc=REALLOC), 0).params == (I32,)


class OptionsEnv:
    memories = [MEMORY, MemoryType(Limits(1, 1, shared=True)),
                MemoryType(Limits(1, address=AddrType.I64))]
    funcs = [REALLOC, CALLBACK, CoreFuncType((I64,) * 4, (I64,))]

    def memory_at(self, index: int) -> MemoryType:
        return self.memories[index]

    def core_func_type_at(self, index: int) -> CoreFuncType:
        return self.funcs[index]


@pytest.mark.parametrize("spec,message", [
    ("utf8 utf16", "conflicts"),
    ("memory=0 memory=0", "more than once"),
    ("callback=1", "callback without async"),
    ("async post-return=1", "post-return function in async"),
    ("realloc=0", "requires `memory`"),
    ("memory=0 realloc=1", "incorrect signature"),
    ("memory=1", "shared"),
    ("memory=2 realloc=2", "cm64"),
])
def test_option_errors(spec: str, message: str) -> None:
    options = []
    for word in spec.split():
        name, _, index = word.partition("=")
        kind = CanonOptionKind[name.upper().replace("-", "_")]
        options.append(CanonOption(kind, int(index) if index else None))
    with pytest.raises(ValidationError, match=message):
        abi.resolve_options(options, OptionsEnv(), 7)


# -- differential: lift and lower ------------------------------------------------------------

#: Component function types (sync unless the name says async).
FUNCS: Dict[str, ts.Func] = {
    "empty": func(),
    "u32 -> u32": func(P.U32, result=P.U32),
    "primitives": func(P.BOOL, P.S8, P.U8, P.S16, P.U16, P.S32, P.U32, P.S64, P.U64, P.F32,
                       P.F64, P.CHAR, result=P.F64),
    "string -> string": func(P.STRING, result=P.STRING),
    "record": func(record(P.U8, P.F64, P.STRING), result=record(P.U32)),
    "record result of 2": func(result=record(P.U32, P.U32)),
    "variant f32|u64": func(variant(P.F32, P.U64), result=variant(None, None)),
    "variant f64|f32 result": func(result=variant(P.F64, P.F32)),
    "variant of tuples": func(variant(ts.Tuple_((P.F32, P.F32)), ts.Tuple_((P.U32,)), None)),
    "option": func(ts.Option(P.F64), ts.Option(P.STRING), result=ts.Option(P.U8)),
    "result string|f32": func(ts.Result(P.STRING, P.F32), result=ts.Result(None, None)),
    "result ok only": func(ts.Result(P.U64, None), result=ts.Result(P.F32, None)),
    "flags": func(flags(1), flags(32), result=flags(32)),
    "enum": func(ts.Enum(("a", "b", "c")), result=ts.Enum(("x",))),
    "own and borrow": func(ts.Own(R), ts.Borrow(R), result=ts.Own(R)),
    "tuple": func(ts.Tuple_((P.U64, P.F32, P.STRING)), result=ts.Tuple_((P.F32,))),
    "lists": func(ts.List(P.U8), ts.List(P.STRING), result=ts.List(P.U32)),
    "map": func(ts.Map(P.STRING, P.U32), result=ts.Map(P.U32, P.U32)),
    "stream and future": func(ts.Stream(P.U8), ts.Future(None), result=ts.Stream(None)),
    "16 params": func(*[P.U32] * 16, result=P.U64),
    "17 params": func(*[P.U32] * 17),
    "15 params and a string": func(*[P.U32] * 15, P.STRING),
    "record of 16": func(record(*[P.F32] * 16)),
    "record of 17": func(record(*[P.F32] * 17), result=P.F32),
    "nested option variant": func(ts.Option(variant(P.U64, P.F32)), result=P.CHAR),
    "list in variant": func(variant(ts.List(P.U8), P.U32)),
    "async empty": func(is_async=True),
    "async u32 -> u32": func(P.U32, result=P.U32, is_async=True),
    "async 5 params": func(*[P.U32] * 5, result=P.U64, is_async=True),
    "async 4 params": func(P.U32, P.F64, P.U8, P.S64, is_async=True),
    "async string -> string": func(P.STRING, result=P.STRING, is_async=True),
    "async 17 params": func(*[P.U32] * 17, result=record(P.U8, P.U8), is_async=True),
    "async big result": func(P.U32, result=record(*[P.U32] * 17), is_async=True),
}

SYNC_OPTIONS: Dict[str, CanonOpts] = {
    "": CanonOpts(),
    "(memory $mem)": CanonOpts(memory=MEMORY),
    "(memory $mem) (realloc $realloc)": CanonOpts(memory=MEMORY, realloc=REALLOC),
    "string-encoding=utf16 (memory $mem) (realloc $realloc)":
        CanonOpts(abi.StringEncoding.UTF16, MEMORY, REALLOC),
}


def async_options(lift: bool) -> Dict[str, CanonOpts]:
    extra = " (callback $cb)" if lift else ""
    callback = CALLBACK if lift else None
    found = {f"async{extra} {text}": replace(opts, is_async=True, callback=callback)
             for text, opts in SYNC_OPTIONS.items()}
    if lift:
        found["async"] = CanonOpts(is_async=True)
        found["async (callback $cb) (post-return $pr)"] = CanonOpts(
            is_async=True, callback=CALLBACK, post_return=CoreFuncType((I32,)))
    else:
        found["async (callback $cb) (memory $mem)"] = CanonOpts(
            memory=MEMORY, is_async=True, callback=CALLBACK)
    return found


PRELUDE = """(component
  (import "r" (type $r (sub resource)))"""

CORE_MODULE = """  (core module $m
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable)
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable)
    (func (export "pr") {post_return})
    (func (export "f") {core} unreachable))
  (core instance $i (instantiate $m))
  (alias core export $i "mem" (core memory $mem))
  (alias core export $i "realloc" (core func $realloc))
  (alias core export $i "cb" (core func $cb))
  (alias core export $i "pr" (core func $pr))
  (alias core export $i "f" (core func $f))"""


def lift_component(f: ts.Func, options: str, core: CoreFuncType,
                   post_return: Optional[CoreFuncType] = None) -> str:
    module = CORE_MODULE.format(core=core_func_text(core),
                                post_return=core_func_text(post_return or CoreFuncType()))
    return (f"{PRELUDE}\n{module}\n  (func {func_text(f)} (canon lift (core func $f) {options}))"
            "\n)")


def lower_component(f: ts.Func, options: str, core: Optional[CoreFuncType]) -> str:
    module = CORE_MODULE.format(core="", post_return="(param i32)")
    decls, names = imported_types(f)
    types = "".join(decl + "\n" for decl in decls)
    text = (f"{PRELUDE}\n{types}  (import \"f\" (func $g {func_text(f, names)}))\n{module}\n"
            f"  (core func $low (canon lower (func $g) {options}))")
    if core is not None:
        text += (f"\n  (core module $u (import \"x\" \"f\" (func {core_func_text(core)})))\n"
                 "  (core instance (instantiate $u (with \"x\" (instance (export \"f\" "
                 "(func $low))))))")
    return text + "\n)"


def lift_cases(script: Script, name: str, f: ts.Func) -> None:
    options = dict(SYNC_OPTIONS)
    if f.is_async:
        options.update(async_options(lift=True))
    for text, opts in options.items():
        full = replace(opts, memory=MEMORY, realloc=REALLOC)
        try:
            abi.check_lift(f, opts, lift_type(f, full, 0), 0)
        except ValidationError:
            script.add(name, lift_component(f, text, lift_type(f, full, 0)), valid=False)
            continue
        core = lift_type(f, opts, 0)
        script.add(name, lift_component(f, text, core), valid=True)
        for wrong in perturbations(core):
            script.add(name, lift_component(f, text, wrong), valid=False)
        if not opts.is_async:
            _post_return_cases(script, name, f, text, core)


def _post_return_cases(script: Script, name: str, f: ts.Func, text: str,
                       core: CoreFuncType) -> None:
    """``post-return`` of the lifted function's results, and of other types."""
    options = text + " (post-return $pr)"
    for params in (core.results, core.results + (I32,)):
        post_return = CoreFuncType(params)
        opts = replace(SYNC_OPTIONS[text], post_return=post_return)
        try:
            abi.check_lift(f, opts, core, 0)
            valid = True
        except ValidationError:
            valid = False
        script.add(name, lift_component(f, options, core, post_return), valid)


def lower_cases(script: Script, name: str, f: ts.Func) -> None:
    options = dict(SYNC_OPTIONS)
    options.update(async_options(lift=False))
    options["(memory $mem) (post-return $pr)"] = CanonOpts(
        memory=MEMORY, post_return=CoreFuncType((I32,)))
    for text, opts in options.items():
        try:
            core = lower_type(f, opts, 0)
        except ValidationError:
            script.add(name, lower_component(f, text, None), valid=False)
            continue
        script.add(name, lower_component(f, text, core), valid=True)
        for wrong in perturbations(core):
            script.add(name, lower_component(f, text, wrong), valid=False)


#: Function types with fixed-length lists, checked with that feature enabled.
FIXED_FUNCS: Dict[str, ts.Func] = {
    "fixed list of 4": func(ts.List(P.U8, 4), result=ts.List(P.F32, 1)),
    "fixed list of 17": func(ts.List(P.U32, 17), result=ts.List(P.U8, 2)),
    "fixed list of strings": func(ts.List(P.STRING, 2), result=ts.List(P.STRING, 1)),
    "fixed list in variant": func(variant(ts.List(P.F32, 3), ts.List(P.U64, 2))),
}
FIXED_FEATURE = "cm-fixed-length-lists"


def random_type(rng: random.Random, depth: int) -> ts.ValType:
    """A value type drawn at random (compound types down to ``depth`` levels)."""
    leaves: List[ts.ValType] = [*PRIMITIVES, ts.Own(R), ts.Enum(("a", "b")),
                                flags(rng.randint(1, 32)), ts.Stream(P.U8), ts.Future(None)]
    if depth == 0 or rng.random() < 0.4:
        return rng.choice(leaves)
    def inner() -> ts.ValType:
        return random_type(rng, depth - 1)
    def payload() -> ts.ValType:
        # wasm-tools 1.262 fails to parse a stream or future as a variant case's or
        # a result's payload (`(case "c" (stream u8))`): wrap it in a tuple.
        t = inner()
        return ts.Tuple_((t,)) if isinstance(t, (ts.Stream, ts.Future)) else t
    def many() -> List[ts.ValType]:
        return [inner() for _ in range(rng.randint(1, 4))]
    makers: List[Callable[[], ts.ValType]] = [
        lambda: record(*many()), lambda: ts.Tuple_(tuple(many())),
        lambda: variant(*[rng.choice([None, payload()]) for _ in range(rng.randint(1, 4))]),
        lambda: ts.Option(inner()), lambda: ts.Result(payload(), rng.choice([None, inner()])),
        lambda: ts.List(inner()), lambda: ts.Map(P.STRING, inner()),
    ]
    return rng.choice(makers)()


PRIMITIVES = [P.BOOL, P.S8, P.U8, P.S16, P.U16, P.S32, P.U32, P.S64, P.U64, P.F32, P.F64,
              P.CHAR, P.STRING]


def random_funcs(count: int, seed: int = 2026) -> Dict[str, ts.Func]:
    rng = random.Random(seed)
    found: Dict[str, ts.Func] = {}
    for number in range(count):
        params = [random_type(rng, 3) for _ in range(rng.randint(0, 6))]
        result = rng.choice([None, random_type(rng, 3)])
        found[f"random {number}"] = func(*params, result=result, is_async=rng.random() < 0.3)
    return found


FUNCS.update(random_funcs(60))

Outcome = Tuple[Dict[str, List[str]], Dict[str, int]]
_RESULTS: Dict[str, Outcome] = {}


def _failures(wasm_tools: str, kind: str, fixed: bool = False) -> Outcome:
    """The failures and directive counts of the lift or lower script."""
    key = f"{kind} {fixed}"
    if key not in _RESULTS:
        script = Script()
        for name, f in (FIXED_FUNCS if fixed else FUNCS).items():
            (lift_cases if kind == "lift" else lower_cases)(script, name, f)
        try:
            failures = script.run(wasm_tools, FIXED_FEATURE if fixed else "")
        except AssertionError as error:  # the whole script failed: every case with it
            failures = {name: [str(error)] for name in script.counts}
        _RESULTS[key] = (failures, script.counts)
    return _RESULTS[key]


def _check(wasm_tools: str, kind: str, name: str) -> None:
    failures, counts = _failures(wasm_tools, kind, name in FIXED_FUNCS)
    assert counts[name] >= 4
    problems = failures.get(name, [])
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("name", list(FUNCS) + list(FIXED_FUNCS))
def test_lift_agrees_with_wasm_tools(wasm_tools: str, name: str) -> None:
    _check(wasm_tools, "lift", name)


@pytest.mark.parametrize("name", list(FUNCS) + list(FIXED_FUNCS))
def test_lower_agrees_with_wasm_tools(wasm_tools: str, name: str) -> None:
    _check(wasm_tools, "lower", name)


def test_parse_and_validate(wasm_tools: str) -> None:
    """One lift through ``wasm-tools parse`` and ``validate``, as the
    script's verdicts stand for."""
    f = FUNCS["string -> string"]
    opts = SYNC_OPTIONS["(memory $mem) (realloc $realloc)"]
    core = lift_type(f, opts, 0)
    text = "(memory $mem) (realloc $realloc)"
    assert validates(wasm_tools, parse_wat(wasm_tools, lift_component(f, text, core)))
    wrong = perturbations(core)[0]
    assert not validates(wasm_tools, parse_wat(wasm_tools, lift_component(f, text, wrong)))


PLAIN_GROUPS: List[Tuple[str, RecType, bool]] = [
    ("(type $t (func (param i32)))", RecType((SubType(CoreFuncType((I32,))),), False), True),
    ("(rec (type $t (func (param i32))))", RecType((SubType(CoreFuncType((I32,))),)), True),
    ("(rec (type $t (func (param i32))) (type (func)))",
     RecType((SubType(CoreFuncType((I32,))), SubType(CoreFuncType()))), False),
    ("(type $t (sub (func (param i32))))",
     RecType((SubType(CoreFuncType((I32,)), final=False, explicit=True),), False), False),
    ("(type $t (sub final (func (param i32))))",
     RecType((SubType(CoreFuncType((I32,)), explicit=True),), False), True),
]


def test_lifted_type_must_be_plain(wasm_tools: str) -> None:
    """Only a final function type without supertypes, alone in its
    recursion group, is the type of a lifted function."""
    script = Script()
    f = func(P.U32)
    for text, group, plain in PLAIN_GROUPS:
        assert ts.is_plain(group, 0) is plain
        if not plain:
            with pytest.raises(ValidationError):
                abi.check_lift(f, CanonOpts(), CoreFuncType((I32,)), 0, plain=plain)
        component = (f'(component\n  (core module $m {text} (func (export "f") (type $t)))\n'
                     '  (core instance $i (instantiate $m))\n'
                     '  (alias core export $i "f" (core func $f))\n'
                     '  (func (param "p0" u32) (canon lift (core func $f))))')
        script.add(text, component, plain)
    assert script.run(wasm_tools) == {}
