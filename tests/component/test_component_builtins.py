"""The core types of the canonical built-ins (:mod:`wasmport.component.builtins`),
against ``wasm-tools``.

Each case defines one built-in in a component whose index spaces
:class:`Env` describes. When :func:`~wasmport.component.builtins.builtin_type`
gives a type, a core module importing a function of that type is
instantiated with the built-in, which ``wasm-tools`` must accept, and must
reject once the type is perturbed; when it raises, ``wasm-tools`` must reject
the built-in. The cases run twice: with the default features, and with the
features of the threading, error-context, further async built-ins and
``forward`` built-ins enabled.
"""

from __future__ import annotations

from typing import AbstractSet, Dict, List, Optional, Tuple

import pytest
from abi_wat import Script, core_func_text, perturbations

from wasmport.component import typesys as ts
from wasmport.component.ast import CanonBuiltin, CanonOption, CanonOptionKind
from wasmport.component.ast import PrimValType as P
from wasmport.component.builtins import builtin_names, builtin_type
from wasmport.component.canon import BUILTINS
from wasmport.component.gates import ComponentFeature, builtin_feature
from wasmport.errors import ValidationError
from wasmport.syntax.types import (
    EXTERNREF,
    FUNCREF,
    I32,
    I64,
    AddrType,
    Limits,
    MemoryType,
    SubType,
    TableType,
)
from wasmport.syntax.types import FuncType as CoreFuncType

#: The component's definitions before the built-in; the comments give the indices.
PRELUDE = """(component
  (import "ri" (type (sub resource)))              ;; type 0: imported resource
  (type (resource (rep i32)))                      ;; 1: local resource
  (type (stream u8))                               ;; 2
  (type (stream string))                           ;; 3
  (type (stream))                                  ;; 4
  (type (future u8))                               ;; 5
  (type (list u8))                                 ;; 6
  (type (future 6))                                ;; 7
  (type (future))                                  ;; 8
  (type (record (field "a" u32) (field "b" f64)))  ;; 9
  (type (func))                                    ;; 10
  (type (list string))                             ;; 11
  (type (tuple u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32 u32))  ;; 12
  (core type (func (param i32)))                   ;; core type 0
  (core type (func (param i32) (result i32)))      ;; core type 1
  (core module $m
    (memory (export "mem") 1)
    (memory (export "smem") 1 1 shared)
    (table (export "tab") 1 funcref)
    (table (export "etab") 1 externref)
    (table (export "tab64") i64 1 funcref)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable)
    (func (export "pr") (param i32))
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
  (core instance $i (instantiate $m))
  (alias core export $i "mem" (core memory))      ;; memory 0
  (alias core export $i "smem" (core memory))     ;; memory 1
  (alias core export $i "tab" (core table))       ;; table 0
  (alias core export $i "etab" (core table))      ;; table 1
  (alias core export $i "tab64" (core table))     ;; table 2
  (alias core export $i "realloc" (core func))    ;; core func 0
  (alias core export $i "pr" (core func))         ;; core func 1
  (alias core export $i "cb" (core func))         ;; core func 2
"""

FEATURES = "cm-threading,cm-error-context,cm-more-async-builtins,cm-forward"
ENABLED = frozenset({ComponentFeature.THREADING, ComponentFeature.ERROR_CONTEXT,
                     ComponentFeature.MORE_ASYNC_BUILTINS, ComponentFeature.FORWARD})


class Env:
    """The index spaces of :data:`PRELUDE`."""

    types: List[ts.AnyType] = [
        ts.Resource("ri"), ts.Resource("rl", I32, local=True),
        ts.Stream(P.U8), ts.Stream(P.STRING), ts.Stream(None),
        ts.Future(P.U8), ts.List(P.U8), ts.Future(ts.List(P.U8)), ts.Future(None),
        ts.Record((("a", P.U32), ("b", P.F64))), ts.Func((), None), ts.List(P.STRING),
        ts.Tuple_((P.U32,) * 17),
    ]
    core_types = [SubType(CoreFuncType((I32,))), SubType(CoreFuncType((I32,), (I32,)))]
    memories = [MemoryType(Limits(1)), MemoryType(Limits(1, 1, shared=True))]
    tables = [TableType(Limits(1), FUNCREF), TableType(Limits(1), EXTERNREF),
              TableType(Limits(1, address=AddrType.I64), FUNCREF)]
    funcs = [CoreFuncType((I32,) * 4, (I32,)), CoreFuncType((I32,)),
             CoreFuncType((I32,) * 3, (I32,))]

    def __init__(self, features: AbstractSet[ComponentFeature]) -> None:
        self._features = features

    @property
    def features(self) -> AbstractSet[ComponentFeature]:
        return self._features

    def type_at(self, index: int) -> ts.AnyType:
        return self.types[index]

    def core_type_at(self, index: int) -> object:
        return self.core_types[index]

    def memory_at(self, index: int) -> MemoryType:
        return self.memories[index]

    def table_at(self, index: int) -> TableType:
        return self.tables[index]

    def core_func_type_at(self, index: int) -> CoreFuncType:
        return self.funcs[index]


OPCODES: Dict[str, int] = {name: opcode for opcode, (name, _) in BUILTINS.items()}
OPTION_WORDS: Dict[str, CanonOptionKind] = {
    "async": CanonOptionKind.ASYNC, "utf16": CanonOptionKind.UTF16,
    "memory": CanonOptionKind.MEMORY, "realloc": CanonOptionKind.REALLOC,
    "post-return": CanonOptionKind.POST_RETURN, "callback": CanonOptionKind.CALLBACK,
}


def builtin(text: str) -> CanonBuiltin:
    """A built-in from the text after ``canon``, as this test writes it:
    ``name type? option*`` with ``result=T``, ``ctx=TYPE:INDEX``,
    ``memory=N``, ``table=N``, ``core-type=N``, ``flag`` among the options."""
    name, *words = text.split()
    fields: Dict[str, object] = {}
    options: List[CanonOption] = []
    for word in words:
        key, _, value = word.partition("=")
        if key.isdigit():
            fields["core_type_index" if name.startswith("thread.") else "type_index"] = int(key)
        elif key == "result":
            fields["result"] = int(value) if value.isdigit() else P[value.upper()]
        elif key == "ctx":
            kind, index = value.split(":")
            fields["core_valtype"] = {"i32": I32, "i64": I64}.get(kind, kind)
            fields["context_index"] = int(index)
        elif key == "flag":
            fields["flag"] = True
        elif key == "waitmem":
            fields["memory"] = int(value)
        elif key == "table":
            fields["table"] = int(value)
        else:
            options.append(CanonOption(OPTION_WORDS[key], int(value) if value else None))
    return CanonBuiltin(name, OPCODES[name], options=tuple(options), **fields)  # type: ignore[arg-type]


def canon_text(item: CanonBuiltin) -> str:
    """The text of ``item`` after ``canon``."""
    parts = [item.name]
    if item.name == "task.return":
        if item.result is not None:
            result = item.result if isinstance(item.result, int) else item.result.name.lower()
            parts.append(f"(result {result})")
    elif item.type_index is not None:
        parts.append(str(item.type_index))
    if item.core_type_index is not None:
        parts.append(str(item.core_type_index))
    if item.core_valtype is not None:
        parts.append(f"{item.core_valtype!r} {item.context_index}")
    if item.flag and item.name in ("subtask.cancel",) or item.flag and "cancel-" in item.name:
        parts.append("async")
    if item.memory is not None:
        parts.append(f"(memory {item.memory})")
    if item.table is not None:
        parts.append(f"(core table {item.table})")
    for option in item.options:
        word = {v: k for k, v in OPTION_WORDS.items()}[option.kind]
        if word == "utf16":
            parts.append("string-encoding=utf16")
        else:
            parts.append(word if option.index is None else f"({word} {option.index})")
    return " ".join(parts)


CASES: List[str] = [
    "resource.new 1", "resource.new 0", "resource.new 2", "resource.rep 1", "resource.rep 0",
    "resource.drop 0", "resource.drop 1", "resource.drop 9",
    "task.cancel", "subtask.drop", "subtask.cancel", "subtask.cancel flag", "thread.yield",
    "waitable-set.new", "waitable-set.drop", "waitable.join", "backpressure.inc",
    "backpressure.dec",
    "task.return", "task.return result=u32", "task.return result=string",
    "task.return result=string memory=0", "task.return result=9", "task.return result=11",
    "task.return result=11 memory=0", "task.return result=12", "task.return result=12 memory=0",
    "task.return result=u32 memory=0 realloc=0", "task.return result=u32 post-return=1",
    "task.return result=u32 async", "task.return result=10", "task.return result=0",
    "task.return result=u32 async callback=2", "task.return result=string memory=1",
    "task.return result=6", "task.return result=6 memory=0", "stream.new 6",
    "context.get ctx=i32:0", "context.set ctx=i32:0", "context.get ctx=i32:1",
    "context.set ctx=i32:2", "context.get ctx=i64:0",
    "stream.new 2", "stream.new 5", "stream.new 10",
    "stream.read 2 async memory=0", "stream.read 2 async", "stream.read 3 async memory=0",
    "stream.read 3 async memory=0 realloc=0", "stream.read 4 async", "stream.read 2 memory=0",
    "stream.read 2 async memory=0 callback=2", "stream.read 2 async memory=0 post-return=1",
    "stream.write 3 async memory=0", "stream.write 2 async", "stream.write 4 async utf16",
    "stream.write 2 memory=0 post-return=1", "stream.write 5 async memory=0",
    "stream.cancel-read 2", "stream.cancel-write 3", "stream.cancel-read 2 flag",
    "stream.cancel-write 8", "stream.drop-readable 2", "stream.drop-writable 4",
    "stream.drop-readable 7",
    "future.new 5", "future.new 2", "future.read 5 async memory=0", "future.read 5 async",
    "future.read 7 async memory=0", "future.read 7 async memory=0 realloc=0",
    "future.read 8 async", "future.read 5 memory=0", "future.write 7 async memory=0",
    "future.write 5 async", "future.write 8 async", "future.write 5 async memory=0 callback=2",
    "future.write 5 memory=0 post-return=1", "future.write 2 async memory=0",
    "future.cancel-read 5", "future.cancel-write 7 flag", "future.cancel-read 3",
    "future.drop-readable 8", "future.drop-writable 5", "future.drop-writable 4",
    "stream.forward 2", "stream.forward 5", "future.forward 7", "future.forward 3",
    "error-context.new memory=0", "error-context.new", "error-context.new memory=0 async",
    "error-context.debug-message memory=0 realloc=0", "error-context.debug-message memory=0",
    "error-context.drop",
    "waitable-set.wait waitmem=0", "waitable-set.poll waitmem=0", "waitable-set.wait waitmem=1",
    "thread.yield flag",
    "thread.index", "thread.new-indirect 0 table=0", "thread.new-indirect 1 table=0",
    "thread.new-indirect 0 table=1", "thread.new-indirect 0 table=2", "thread.resume-later",
    "thread.suspend", "thread.suspend-then-resume", "thread.yield-then-resume",
    "thread.suspend-then-promote", "thread.yield-then-promote", "thread.suspend flag",
]


CANCELLABLE = frozenset({"thread.yield", "thread.suspend", "thread.suspend-then-resume",
                         "thread.yield-then-resume", "thread.suspend-then-promote",
                         "thread.yield-then-promote"})


def test_cancellable_is_rejected() -> None:
    """``wasm-tools`` 1.262 rejects a set ``cancellable`` immediate."""
    item = builtin("waitable-set.wait waitmem=0 flag")
    with pytest.raises(ValidationError, match="cancellable"):
        builtin_type(item, Env(frozenset()), 0)


def test_every_builtin_has_a_case() -> None:
    named = {text.split()[0] for text in CASES}
    spawn = {"thread.spawn-ref", "thread.spawn-indirect", "thread.available_parallelism"}
    assert set(builtin_names()) - named == spawn


def add_case(script: Script, text: str, features: AbstractSet[ComponentFeature]) -> None:
    item = builtin(text)
    canon = canon_text(item)
    gated = builtin_feature(item)
    core: Optional[CoreFuncType]
    try:
        if gated is not None and gated not in features:
            raise ValidationError(f"needs {gated.value}", 0)
        core = builtin_type(item, Env(features), 0)
    except ValidationError:
        core = None
    definition = f"{PRELUDE}  (core func $b (canon {canon}))\n"
    directive = "assert_invalid"
    if item.flag and not item.memory and item.name in CANCELLABLE:
        directive = "assert_malformed"
        # The text format no longer has a `cancellable` immediate: the binary of a
        # component defining just the built-in, its immediate set.
        definition = ('(component binary "\\00asm\\0d\\00\\01\\00'
                      f'\\08\\03\\01\\{item.opcode:02x}\\01"')
    if core is None:
        script.add(text, definition + ")", False, directive)
        return
    for wanted, valid in [(core, True)] + [(t, False) for t in perturbations(core)]:
        use = (f'  (core module $u (import "x" "f" (func {core_func_text(wanted)})))\n'
               '  (core instance (instantiate $u (with "x" (instance (export "f" '
               "(func $b))))))\n)")
        script.add(text, definition + use, valid)


_RESULTS: Dict[str, Tuple[Dict[str, List[str]], Dict[str, int]]] = {}


def _failures(wasm_tools: str, features: str) -> Tuple[Dict[str, List[str]], Dict[str, int]]:
    if features not in _RESULTS:
        script = Script()
        enabled = ENABLED if features else frozenset()
        for text in CASES:
            add_case(script, text, enabled)
        _RESULTS[features] = (script.run(wasm_tools, features), script.counts)
    return _RESULTS[features]


@pytest.mark.parametrize("features", ["", FEATURES], ids=["default", "more features"])
@pytest.mark.parametrize("text", CASES)
def test_builtin_agrees_with_wasm_tools(wasm_tools: str, text: str, features: str) -> None:
    failures, counts = _failures(wasm_tools, features)
    assert counts[text] >= 1
    problems = failures.get(text, [])
    assert not problems, "\n\n".join(problems)


def test_spawn_needs_shared_types() -> None:
    env = Env(frozenset({ComponentFeature.SHARED_EVERYTHING_THREADS}))
    for name in ("thread.spawn-ref", "thread.spawn-indirect"):
        with pytest.raises(ValidationError, match="shared"):
            builtin_type(CanonBuiltin(name, OPCODES[name], core_type_index=0, table=0), env, 0)
    parallelism = CanonBuiltin("thread.available_parallelism", 0x42)
    assert builtin_type(parallelism, env, 0) == CoreFuncType((), (I32,))
