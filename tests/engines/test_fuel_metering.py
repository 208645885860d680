"""Fuel charges and epoch checks in the portable engine's generated code
(both translation strategies)."""

from __future__ import annotations

import threading
from typing import Any, List, Sequence, Tuple

import pytest

from wasmport.engines.portable.compiled import PortableModule, function_source, translate_function
from wasmport.engines.portable.metering import cost, expand_runs
from wasmport.errors import Trap, TrapCode
from wasmport.features import Features
from wasmport.runtime.config import Config
from wasmport.runtime.instances import ModuleInstance
from wasmport.runtime.metering import OUT_OF_FUEL_MESSAGE, EpochCounter
from wasmport.runtime.store import Store
from wasmport.syntax import opcodes
from wasmport.syntax.ast import Module
from wasmport.text import parse_module
from wasmport.valid import validate

ENGINES = ["portable", "portable-flat"]
PLENTY = 10**12

#: Five charged instructions, a nop, a drop and a return: 1 (entry) + 5 + 1 (i32.const
#: before drop) = 7 units.
STRAIGHT = """(module (func (export "f") (param i32) (result i32)
    local.get 0 i32.const 2 i32.mul nop i32.const 9 drop i32.const 3 i32.add return))"""

COUNT = """(module (func (export "count") (param i32) (result i32) (local i32)
    (block $done
      (loop $top
        (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br $top)))
    (local.get 1)))"""

SPIN = """(module (func (export "spin") (loop $l (br $l))))"""

#: Control flow of every kind; Wasmtime's fuel for each call is known (see below).
CONTROL = """(module
  (import "host" "note" (func $note (param i32)))
  (table 2 funcref) (elem (i32.const 0) $sq $fib)
  (type $unary (func (param i32) (result i32)))
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "pick") (param i32) (result i32)
    (block $c (block $b (block $a (br_table $a $b $c (local.get 0)))
      (return (i32.const 10))) (return (i32.const 20))) (i32.const 30))
  (func (export "mixed") (param i32) (result i32) (local i32)
    (loop $l
      (call $note (local.get 1))
      (local.set 1 (i32.add (i32.add (local.get 1) (i32.const 1))
        (call_indirect (type $unary) (local.get 1) (i32.rem_u (local.get 1) (i32.const 2)))))
      (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
    (if (i32.eqz (local.get 0)) (then (local.set 1 (i32.const 7))))
    (local.get 1))
  (func $down (export "down") (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then (return (i32.const 0))))
    (return_call $down (i32.sub (local.get 0) (i32.const 1)))))"""

#: (export, arguments, Wasmtime 50's fuel for the call).
CONTROL_CALLS: List[Tuple[str, Tuple[int, ...], int]] = [
    ("fib", (0,), 6), ("fib", (10,), 1766), ("pick", (0,), 4), ("pick", (1,), 4),
    ("pick", (7,), 4), ("mixed", (0,), 27), ("mixed", (9,), 129), ("down", (5,), 45),
]


#: Every bulk instruction, each call on a fresh instance (Wasmtime charges one
#: more unit per byte, element or page; see wasmport.engines.portable.metering).
BULK = """(module
  (memory 1 3) (memory $m64 i64 1)
  (table $t 10 20 funcref) (table $u 4 6 funcref)
  (data $d "0123456789abcdefghijklmnopqrstuvwxyz")
  (elem $e func $nop $nop $nop $nop $nop $nop $nop $nop)
  (func $nop)
  (func (export "fill") (param i32 i32) (memory.fill (local.get 0) (i32.const 7) (local.get 1)))
  (func (export "fill64") (param i64) (memory.fill $m64 (i64.const 0) (i32.const 7) (local.get 0)))
  (func (export "copy") (param i32 i32) (memory.copy (local.get 0) (i32.const 0) (local.get 1)))
  (func (export "copy_between") (param i32) (memory.copy 0 $m64 (i32.const 0) (i64.const 5) (local.get 0)))
  (func (export "init") (param i32 i32) (memory.init $d (local.get 0) (i32.const 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "table_fill") (param i32 i32) (table.fill $t (local.get 0) (ref.null func) (local.get 1)))
  (func (export "table_copy") (param i32 i32) (table.copy $t $t (local.get 0) (i32.const 0) (local.get 1)))
  (func (export "table_init") (param i32 i32) (table.init $t $e (local.get 0) (i32.const 0) (local.get 1)))
  (func (export "table_grow") (param i32) (result i32) (table.grow $u (ref.null func) (local.get 0)))
  (func (export "loop") (param i32) (result i32) (local i32)
    (loop $l
      (memory.fill (i32.const 0) (local.get 1) (local.get 1))
      (table.copy $t $t (i32.const 1) (i32.const 0) (i32.rem_u (local.get 1) (i32.const 9)))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
    (i32.add (memory.grow (i32.const 0)) (table.grow $u (ref.null func) (i32.const 2)))))"""

#: (export, arguments, Wasmtime 50's fuel for the call on a fresh instance).
BULK_CALLS: List[Tuple[str, Tuple[int, ...], int]] = [
    ("fill", (0, 0), 5), ("fill", (0, 1), 6), ("fill", (100, 4096), 4101),
    ("fill64", (0,), 5), ("fill64", (65536,), 65541), ("copy", (3, 0), 5),
    ("copy", (3, 1000), 1005), ("copy_between", (17,), 22), ("init", (0, 36), 41),
    ("init", (9, 5), 10), ("grow", (0,), 3), ("grow", (2,), 5), ("grow", (3,), 3),
    ("table_fill", (0, 10), 15), ("table_fill", (3, 4), 9), ("table_copy", (2, 8), 13),
    ("table_copy", (0, 0), 5), ("table_init", (2, 8), 13), ("table_init", (0, 1), 6),
    ("table_grow", (0,), 4), ("table_grow", (2,), 6), ("table_grow", (7,), 4),
    ("loop", (1,), 27), ("loop", (40,), 1659),
]

@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def parsed(text: str) -> Module:
    module = parse_module(text)
    validate(module, Features.all())
    return module


def make_store(engine: str, fuel: bool = True, epochs: bool = False,
               epoch: Any = None) -> Store:
    config = Config(engine=engine, features=Features.all(), consume_fuel=fuel,
                    epoch_interruption=epochs)
    if epoch is not None:
        config = Config(engine=engine, features=Features.all(), consume_fuel=fuel,
                        epoch_interruption=epochs, epoch=epoch)
    return Store(config)


def instantiate(store: Store, text: str, imports: Sequence[Any] = ()) -> ModuleInstance:
    return store.instantiate(parsed(text), list(imports))


def call(instance: ModuleInstance, name: str, *args: int) -> Tuple[Any, ...]:
    return tuple(instance.exports[name].invoke(list(args)))  # type: ignore[union-attr]


def fuel_of(store: Store, instance: ModuleInstance, name: str, *args: int) -> int:
    store.set_fuel(PLENTY)
    call(instance, name, *args)
    return PLENTY - store.get_fuel()


def note_type(module: Module) -> Any:
    """The type of the module's first imported function."""
    return module.func_type(module.func_type_indices[0])


def control_instance(store: Store, notes: List[int]) -> ModuleInstance:
    note = store.host_function(note_type(parsed(CONTROL)), notes.append)
    return instantiate(store, CONTROL, [note])


# ------------------------------------------------------------------ fuel


def test_the_charging_rule() -> None:
    assert cost(opcodes.I32_ADD) == 1 and cost(opcodes.CALL) == 1 and cost(opcodes.BR_IF) == 1
    assert cost(opcodes.IF) == 1 and cost(opcodes.TRY_TABLE) == 1
    for free in (opcodes.NOP, opcodes.DROP, opcodes.BLOCK, opcodes.LOOP, opcodes.RETURN,
                 opcodes.UNREACHABLE):
        assert cost(free) == 0


def test_a_straight_line_function_costs_the_documented_count(engine: str) -> None:
    store = make_store(engine)
    instance = instantiate(store, STRAIGHT)
    assert fuel_of(store, instance, "f", 4) == 7
    store.set_fuel(7)
    assert call(instance, "f", 4) == (11,)
    assert store.get_fuel() == 0


def test_one_unit_short_traps_before_running(engine: str) -> None:
    store = make_store(engine)
    instance = instantiate(store, STRAIGHT)
    store.set_fuel(6)
    with pytest.raises(Trap) as caught:
        call(instance, "f", 4)
    assert caught.value.code is TrapCode.OUT_OF_FUEL
    assert caught.value.message == OUT_OF_FUEL_MESSAGE
    assert store.get_fuel() == 0


def test_a_loop_runs_out_of_fuel(engine: str) -> None:
    store = make_store(engine)
    instance = instantiate(store, COUNT)
    # Entry 1; each iteration 4 (br_if run) + 5 (increment run) ... see the rule.
    used = fuel_of(store, instance, "count", 10)
    assert used == fuel_of(store, instance, "count", 10)
    assert fuel_of(store, instance, "count", 20) - used == 10 * 9
    store.set_fuel(1000)
    with pytest.raises(Trap) as caught:
        call(instance, "count", 10**9)
    assert caught.value.code is TrapCode.OUT_OF_FUEL
    assert store.get_fuel() == 0
    with pytest.raises(Trap):
        call(instance, "count", 1)


def test_an_infinite_loop_runs_out_of_fuel(engine: str) -> None:
    store = make_store(engine)
    instance = instantiate(store, SPIN)
    store.set_fuel(10_000)
    with pytest.raises(Trap) as caught:
        call(instance, "spin")
    assert caught.value.code is TrapCode.OUT_OF_FUEL


@pytest.mark.parametrize(("name", "args", "expected"), CONTROL_CALLS)
def test_totals_match_wasmtime(engine: str, name: str, args: Tuple[int, ...],
                               expected: int) -> None:
    store = make_store(engine)
    instance = control_instance(store, [])
    assert fuel_of(store, instance, name, *args) == expected


def test_totals_match_the_installed_wasmtime() -> None:
    wasmtime = pytest.importorskip("wasmtime")
    from wasmport.binary import encode_module

    config = wasmtime.Config()
    config.consume_fuel = True
    theirs = wasmtime.Store(wasmtime.Engine(config))
    note = wasmtime.Func(theirs, wasmtime.FuncType([wasmtime.ValType.i32()], []),
                         lambda value: None)
    module = wasmtime.Module(theirs.engine, bytes(encode_module(parsed(CONTROL))))
    exports = wasmtime.Instance(theirs, module, [note]).exports(theirs)
    for name, args, expected in CONTROL_CALLS:
        theirs.set_fuel(PLENTY)
        exports[name](theirs, *args)
        assert PLENTY - theirs.get_fuel() == expected, name


def test_host_calls_are_not_charged(engine: str) -> None:
    store = make_store(engine)
    slow: List[int] = []

    def note(value: int) -> None:
        slow.extend(range(1000))

    instance = instantiate(store, CONTROL, [store.host_function(
        note_type(parsed(CONTROL)), note)])
    assert fuel_of(store, instance, "mixed", 9) == 129


def test_a_host_function_sees_and_sets_the_fuel(engine: str) -> None:
    store = make_store(engine)
    seen: List[int] = []

    def note(value: int) -> None:
        seen.append(store.get_fuel())
        store.set_fuel(1000)

    instance = instantiate(store, CONTROL, [store.host_function(
        note_type(parsed(CONTROL)), note)])
    store.set_fuel(100)
    call(instance, "mixed", 9)
    assert len(seen) == 4 and 0 < seen[0] < 100
    assert all(900 < fuel < 1000 for fuel in seen[1:])
    assert 900 < store.get_fuel() < 1000


# ------------------------------------------------------------------ epochs


def test_no_deadline_set_traps_at_entry(engine: str) -> None:
    store = make_store(engine, fuel=False, epochs=True)
    instance = instantiate(store, STRAIGHT)
    with pytest.raises(Trap) as caught:
        call(instance, "f", 1)
    assert caught.value.code is TrapCode.INTERRUPT
    store.set_epoch_deadline(1)
    assert call(instance, "f", 1) == (5,)


def test_epoch_interrupts_an_infinite_loop(engine: str) -> None:
    epoch = EpochCounter()
    store = make_store(engine, fuel=False, epochs=True, epoch=epoch)
    notes: List[int] = []
    started = threading.Event()

    def note(value: int) -> None:
        notes.append(value)
        started.set()

    module = parsed("""(module (import "host" "note" (func $note (param i32)))
        (func (export "spin") (call $note (i32.const 1)) (loop $l (br $l))))""")
    instance = store.instantiate(module, [store.host_function(note_type(module), note)])
    store.set_epoch_deadline(1)
    ticker = threading.Thread(target=lambda: (started.wait(), epoch.increment()))
    ticker.start()
    with pytest.raises(Trap) as caught:
        call(instance, "spin")
    ticker.join()
    assert caught.value.code is TrapCode.INTERRUPT and notes == [1]


def test_epoch_interrupts_self_tail_calls(engine: str) -> None:
    epoch = EpochCounter()
    store = make_store(engine, fuel=False, epochs=True, epoch=epoch)
    instance = instantiate(store, """(module
        (func $f (export "f") (param i32) (return_call $f (local.get 0))))""")
    store.set_epoch_deadline(0)
    with pytest.raises(Trap) as caught:
        call(instance, "f", 1)
    assert caught.value.code is TrapCode.INTERRUPT


def test_the_deadline_is_relative_to_the_shared_epoch(engine: str) -> None:
    epoch = EpochCounter()
    first = make_store(engine, fuel=False, epochs=True, epoch=epoch)
    second = make_store(engine, fuel=False, epochs=True, epoch=epoch)
    instances = [instantiate(store, STRAIGHT) for store in (first, second)]
    first.set_epoch_deadline(1)
    second.set_epoch_deadline(2)
    epoch.increment()
    with pytest.raises(Trap):
        call(instances[0], "f", 1)
    assert call(instances[1], "f", 1) == (5,)


# ------------------------------------------------------------------ flags off


def test_flags_off_generate_no_checks() -> None:
    module = parsed(CONTROL)
    for flat in (False, True):
        for index in range(1, len(module.funcs) + 1):
            plain = function_source(translate_function(module, index, flat))
            assert "FU[" not in plain and "EP[" not in plain
            metered = function_source(translate_function(module, index, flat, True, True))
            assert "FU[0] -=" in metered and "if EP[0] >= DL[0]: INTERRUPT()" in metered


def test_compiled_code_is_cached_per_flags() -> None:
    compiled = PortableModule(parsed(STRAIGHT), Features.all())
    plain = compiled.code_for(0)
    assert compiled.code_for(0) is plain
    assert compiled.code_for(0, True, False) is not plain
    assert compiled.code_for(0, False, True) is not compiled.code_for(0, True, False)


def test_flags_off_and_on_give_the_same_results(engine: str) -> None:
    results = []
    for metered in (False, True):
        store = make_store(engine, fuel=metered, epochs=metered)
        store.set_fuel(PLENTY)
        store.set_epoch_deadline(5)
        notes: List[int] = []
        instance = control_instance(store, notes)
        outcome = [call(instance, name, *args) for name, args, _ in CONTROL_CALLS]
        results.append((outcome, notes))
    assert results[0] == results[1]


def test_expansion_keeps_suites_valid() -> None:
    lines = ["if x:", "    #RUN 0", "else:", "    #RUN 1", "    y = 1", "#RUN 2", "z = 2",
             "#RUN 3"]
    expand_runs(lines, [0, 3, 0, 2], [False, True, False, False])
    assert lines == ["if x:", "    pass", "else:", "    FU[0] -= 3",
                     "    if FU[0] < 0: OUT_OF_FUEL()", "    y = 1", "z = 2", "FU[0] -= 2"]


def test_running_out_between_checks_traps_at_the_next_check(engine: str) -> None:
    # Entry run: 1 + local.get + if = 3; the then-arm run costs 5 more but has no
    # check, so 3 units let the call finish; the fuel is then spent.
    store = make_store(engine)
    instance = instantiate(store, """(module (func (export "g") (param i32) (result i32)
        (if (result i32) (local.get 0)
          (then (i32.add (i32.add (local.get 0) (i32.const 1)) (i32.const 2)))
          (else (i32.const 0)))))""")
    assert fuel_of(store, instance, "g", 1) == 8
    store.set_fuel(3)
    assert call(instance, "g", 1) == (4,)
    assert store.get_fuel() == 0
    with pytest.raises(Trap) as caught:
        call(instance, "g", 0)
    assert caught.value.code is TrapCode.OUT_OF_FUEL


# ------------------------------------------------------------------ bulk instructions


@pytest.mark.parametrize(("name", "args", "expected"), BULK_CALLS)
def test_bulk_totals_match_wasmtime(engine: str, name: str, args: Tuple[int, ...],
                                    expected: int) -> None:
    store = make_store(engine)
    instance = instantiate(store, BULK)
    assert fuel_of(store, instance, name, *args) == expected


def test_bulk_totals_match_the_installed_wasmtime() -> None:
    wasmtime = pytest.importorskip("wasmtime")
    from wasmport.binary import encode_module

    binary = bytes(encode_module(parsed(BULK)))
    for name, args, expected in BULK_CALLS:
        config = wasmtime.Config()
        config.consume_fuel = True
        config.wasm_memory64 = True
        config.wasm_multi_memory = True
        theirs = wasmtime.Store(wasmtime.Engine(config))
        theirs.set_fuel(PLENTY)
        exports = wasmtime.Instance(theirs, wasmtime.Module(theirs.engine, binary),
                                    []).exports(theirs)
        theirs.set_fuel(PLENTY)
        exports[name](theirs, *args)
        assert PLENTY - theirs.get_fuel() == expected, (name, args)


def test_a_bulk_instruction_traps_right_after_it_runs_out(engine: str) -> None:
    # The fill's run costs 5; its 100 bytes are charged once they are written.
    store = make_store(engine)
    instance = instantiate(store, BULK)
    store.set_fuel(104)
    with pytest.raises(Trap) as caught:
        call(instance, "fill", 0, 100)
    assert caught.value.code is TrapCode.OUT_OF_FUEL and store.get_fuel() == 0
    assert bytes(instance.memories[0].buffer[:101]) == b"\x07" * 100 + b"\x00"
    store.set_fuel(105)
    assert call(instance, "fill", 0, 100) == () and store.get_fuel() == 0


def test_failed_bulk_instructions_cost_only_their_unit(engine: str) -> None:
    store = make_store(engine)
    instance = instantiate(store, BULK)
    # Out of bounds: the run (5 units) was charged, the 100 bytes are not.
    store.set_fuel(1000)
    with pytest.raises(Trap) as caught:
        call(instance, "fill", 65500, 100)
    assert caught.value.code is TrapCode.MEMORY_OUT_OF_BOUNDS and store.get_fuel() == 995
    store.set_fuel(1000)
    with pytest.raises(Trap):
        call(instance, "table_init", 5, 8)
    assert store.get_fuel() == 995
    assert fuel_of(store, instance, "grow", 1000) == 3
    assert fuel_of(store, instance, "table_grow", 1000) == 4


def test_flags_off_bulk_code_has_no_charges() -> None:
    module = parsed(BULK)
    for flat in (False, True):
        for index in range(1, len(module.funcs)):
            plain = function_source(translate_function(module, index, flat))
            assert "FU[" not in plain and "_fc" not in plain
            metered = function_source(translate_function(module, index, flat, True, False))
            assert metered.count("if FU[0] < 0: OUT_OF_FUEL()") >= 2
