"""Behaviour of generated code under both translation strategies."""

from __future__ import annotations

import linecache
import os
import traceback

import pytest

from wasmport.errors import Exhaustion, Trap, TrapCode, WasmException
from wasmport.runtime.config import Config
from wasmport.runtime.store import Store
from wasmport.text import parse_module
from wasmport.valid import validate

ENGINES = ["portable", "portable-flat"]


def instantiate(text: str, engine: str = "portable", config=None, imports=()):
    module = parse_module(text)
    validate(module)
    store = Store(config or Config(engine=engine))
    return store.instantiate(module, list(imports))


@pytest.fixture(params=ENGINES)
def engine(request):
    return request.param


def test_loops_branches_and_multi_value(engine):
    instance = instantiate('''(module
      (func (export "divmod") (param i32 i32) (result i32 i32)
        (i32.div_u (local.get 0) (local.get 1)) (i32.rem_u (local.get 0) (local.get 1)))
      (func (export "collatz") (param i32) (result i32) (local i32)
        (block $done (loop $next
          (br_if $done (i32.eq (local.get 0) (i32.const 1)))
          (local.set 1 (i32.add (local.get 1) (i32.const 1)))
          (if (i32.and (local.get 0) (i32.const 1))
            (then (local.set 0 (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.const 1))))
            (else (local.set 0 (i32.shr_u (local.get 0) (i32.const 1)))))
          (br $next)))
        (local.get 1))
      (func (export "pick") (param i32) (result i32)
        (block $c (block $b (block $a (br_table $a $b $c (local.get 0)))
          (return (i32.const 10))) (return (i32.const 20))) (i32.const 30)))''', engine)
    assert instance.exports["divmod"].invoke((17, 5)) == (3, 2)
    assert instance.exports["collatz"].invoke((27,)) == (111,)
    assert [instance.exports["pick"].invoke((i,))[0] for i in range(5)] == [10, 20, 30, 30, 30]


def test_traps_carry_spec_messages(engine):
    instance = instantiate('''(module (memory 1) (table 2 funcref) (type $v (func))
      (func $i (result i32) (i32.const 1)) (elem (i32.const 0) $i)
      (func (export "div") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
      (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
      (func (export "call") (param i32) (call_indirect (type $v) (local.get 0))))''', engine)
    cases = [("div", (0,), TrapCode.INTEGER_DIVISION_BY_ZERO),
             ("load", (65533,), TrapCode.MEMORY_OUT_OF_BOUNDS),
             ("call", (0,), TrapCode.BAD_SIGNATURE),
             ("call", (1,), TrapCode.UNINITIALIZED_ELEMENT),
             ("call", (2,), TrapCode.UNDEFINED_ELEMENT)]
    for name, args, code in cases:
        with pytest.raises(Trap) as caught:
            instance.exports[name].invoke(args)
        assert caught.value.code is code
        assert caught.value.message == code.message
    assert instance.exports["load"].invoke((65532,)) == (0,)


def test_exceptions_catch_rethrow_and_escape(engine):
    instance = instantiate('''(module
      (tag $e (param i32))
      (func $thrower (param i32) (throw $e (local.get 0)))
      (func (export "catch") (param i32) (result i32)
        (block $h (result i32)
          (try_table (catch $e $h) (call $thrower (local.get 0)))
          (i32.const -1)))
      (func (export "rethrow") (param i32) (result i32)
        (block $h (result exnref)
          (try_table (catch_all_ref $h) (call $thrower (local.get 0)))
          (return (i32.const -1)))
        (throw_ref))
      (func (export "all") (result i32)
        (block $h
          (try_table (catch_all $h) (unreachable)))
        (i32.const 5)))''', engine)
    assert instance.exports["catch"].invoke((7,)) == (7,)
    with pytest.raises(WasmException) as caught:
        instance.exports["rethrow"].invoke((3,))
    assert caught.value.exception.payload == (3,)
    with pytest.raises(Trap):
        instance.exports["all"].invoke(())


def test_tail_calls_do_not_grow_the_stack(engine):
    instance = instantiate('''(module
      (func $even (export "even") (param i64) (result i32)
        (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
          (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
      (func $odd (param i64) (result i32)
        (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
          (else (return_call $even (i64.sub (local.get 0) (i64.const 1)))))))''',
        config=Config(engine=engine, max_call_depth=50))
    assert instance.exports["even"].invoke((20_001,)) == (0,)


def test_exhaustion_is_a_trap_not_a_recursion_error(engine):
    instance = instantiate('(module (func $f (export "f") (call $f)))', engine)
    with pytest.raises(Exhaustion):
        instance.exports["f"].invoke(())


def test_generated_code_is_in_linecache_and_tracebacks(engine):
    instance = instantiate('(module (func (export "f") (unreachable)))', engine)
    with pytest.raises(Trap) as caught:
        instance.exports["f"].invoke(())
    frames = traceback.extract_tb(caught.value.__traceback__)
    generated = [frame for frame in frames if frame.filename.startswith("<wasm")]
    assert generated
    assert linecache.getline(generated[0].filename, generated[0].lineno).strip() == "UNREACHABLE()"


def test_dump_environment_flag_writes_sources(tmp_path, monkeypatch):
    monkeypatch.setenv("WASMPORT_DUMP_PY", str(tmp_path))
    instance = instantiate('(module (func (export "f") (result i32) (i32.const 3)))')
    assert instance.exports["f"].invoke(()) == (3,)
    dumped = list(tmp_path.iterdir())
    assert len(dumped) == 1
    assert "def F0(d):" in dumped[0].read_text()
    assert os.path.getsize(dumped[0]) > 0


def test_functions_are_translated_lazily():
    instance = instantiate('''(module (func (export "a") (result i32) (i32.const 1))
                                      (func (export "b") (result i32) (i32.const 2)))''')
    a, b = instance.exports["a"], instance.exports["b"]
    first_fast = b.fast
    assert a.invoke(()) == (1,)
    assert b.fast is first_fast  # b not translated yet
    assert b.invoke(()) == (2,)
    assert b.fast is not first_fast


def test_simd_and_memory64(engine):
    instance = instantiate('''(module (memory i64 1)
      (func (export "splat") (param i32) (result v128) (i32x4.splat (local.get 0)))
      (func (export "store") (param i64 v128) (v128.store (local.get 0) (local.get 1)))
      (func (export "load") (param i64) (result i64) (i64.load offset=8 (local.get 0))))''', engine)
    vector = instance.exports["splat"].invoke((0x01020304,))[0]
    assert vector == int.from_bytes(bytes([4, 3, 2, 1] * 4), "little")
    instance.exports["store"].invoke((100, vector))
    assert instance.exports["load"].invoke((100,)) == (0x0102030401020304,)
    with pytest.raises(Trap):
        instance.exports["load"].invoke((2 ** 63,))


def test_self_tail_call_restarts_with_fresh_locals(engine):
    # $f(n, acc): the local $t must read 0 on every activation; the tail call
    # sits inside a loop and a block, so the restart leaves both.
    instance = instantiate('''(module
      (func $f (export "f") (param i32 i32) (result i32) (local $t i32)
        (local.set 1 (i32.add (local.get 1) (local.get $t)))
        (local.set $t (i32.const 1000))
        (block $out
          (loop $again
            (br_if $out (i32.eqz (local.get 0)))
            (return_call $f (i32.sub (local.get 0) (i32.const 1))
                            (i32.add (local.get 1) (i32.const 1)))))
        (local.get 1)))''', config=Config(engine=engine, max_call_depth=10))
    assert instance.exports["f"].invoke((100_000, 0)) == (100_000,)
