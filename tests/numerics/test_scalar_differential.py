"""Differential tests: every scalar numeric row against the real ``wasmtime``.

One module exports a function per row of :data:`wasmport.numerics.IMPLEMENTATIONS`;
floats cross the boundary as raw bits through ``reinterpret`` so NaN payloads
are exact. Results must agree bit for bit, traps by trap code. A NaN result of
an arithmetic instruction is only checked for the class the spec allows
(canonical when every NaN operand is canonical, else arithmetic): hardware
NaN payloads are not part of the semantics.

Three sources of operands: products of hand-picked special values (rounding
boundaries, truncation limits, NaNs with payloads), a seeded pseudo-random
batch per row, and hypothesis (which shrinks a failure to a small case).
``WASMPORT_DIFFERENTIAL_SCALE`` multiplies the random batch and hypothesis
example counts (default 1).

Skipped when ``wasmtime`` (or ``hypothesis``) is not importable.
"""

from __future__ import annotations

import os
import random
import struct
from typing import Any, Dict, List, Sequence, Tuple

import pytest
from numerics_support import MASKS, is_nan_bits, nan_kind, to_bits, to_runtime

from wasmport.errors import Trap
from wasmport.numerics import IMPLEMENTATIONS
from wasmport.syntax import opcodes
from wasmport.syntax.opcodes import Op
from wasmport.syntax.types import NumType

wasmtime = pytest.importorskip("wasmtime")
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

#: Rows whose NaN results are bit operations (payload and sign exact).
BITWISE = frozenset(
    {
        opcodes.F32_ABS,
        opcodes.F32_NEG,
        opcodes.F32_COPYSIGN,
        opcodes.F64_ABS,
        opcodes.F64_NEG,
        opcodes.F64_COPYSIGN,
        opcodes.F32_REINTERPRET_I32,
        opcodes.F64_REINTERPRET_I64,
        opcodes.I32_REINTERPRET_F32,
        opcodes.I64_REINTERPRET_F64,
    }
)

#: The integer type that carries each type's bits across the boundary.
CARRIER = {
    NumType.I32: NumType.I32,
    NumType.I64: NumType.I64,
    NumType.F32: NumType.I32,
    NumType.F64: NumType.I64,
}

OPS: List[Op] = sorted(IMPLEMENTATIONS, key=lambda op: op.mnemonic)


def _f32(value: float) -> int:
    return int(struct.unpack("<I", struct.pack("<f", value))[0])


def _f64(value: float) -> int:
    return int(struct.unpack("<Q", struct.pack("<d", value))[0])


_FLOATS = [
    0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999997, 3.5,
    2.0**23, 2.0**23 + 1, 2.0**24, 2.0**31, -(2.0**31), 2.0**31 - 128, 2.0**32,
    -(2.0**31) - 256, 2.0**63, -(2.0**63), 2.0**64, 2.0**52, -(2.0**52) - 1, 4294967295.5,
    -0.99999994, 1e38, 3.4028234663852886e38, -3.4028234663852886e38, 1e-45, 1.1754944e-38,
    float("inf"), float("-inf"), 0.1, 2.0**-126, 123456.789,
]  # fmt: skip
_F32_SPECIAL = sorted(
    {_f32(x) for x in _FLOATS}
    | {0x7FC00000, 0xFFC00000, 0x7FA00000, 0xFF800001, 0x7FC00001, 0x7F800001, 0x00000001,
       0x807FFFFF, 0x7F7FFFFF, 0x4EFFFFFF, 0x4F7FFFFF, 0x5EFFFFFF, 0x5F7FFFFF}
)  # fmt: skip
_F64_SPECIAL = sorted(
    {_f64(x) for x in _FLOATS}
    | {0x7FF8000000000000, 0xFFF8000000000000, 0x7FF4000000000000, 0x7FF0000000000001,
       0xFFF0000000000001, 0x7FF8000000000001, 0x0000000000000001, 0x000FFFFFFFFFFFFF,
       0x7FEFFFFFFFFFFFFF, 0x41DFFFFFFFFFFFFF, 0x41EFFFFFFFFFFFFF, 0xC1E0000000200000,
       0xC1E00000001FFFFF, 0x43DFFFFFFFFFFFFF, 0x43EFFFFFFFFFFFFF, 0x432FFFFFFFFFFFFF,
       0x3FDFFFFFFFFFFFFF, 0x4170000010000000, 0x47EFFFFFF0000000, 0x47EFFFFFEFFFFFFF,
       0x36A0000000000000, 0x36A0000000000001, 0xBFEFFFFFFFFFFFFF, 0x3FE0000000000001}
)  # fmt: skip
_I32_SPECIAL = [
    0, 1, 2, 3, 7, 31, 32, 33, 0x7F, 0x80, 0xFF, 0x8000, 0xFFFF, 0x01000001, 0x12345678,
    0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFE, 0xFFFFFFFF, 0xFEFFFFFF, 0x7FFFFF80,
]  # fmt: skip
_I64_SPECIAL = sorted(
    set(_I32_SPECIAL)
    | {63, 64, 65, 0x20000000000001, 0x1000001000000001, 0x7FFFFFFFFFFFFC00,
       0x7FFFFFFFFFFFFFFF, 0x8000000000000000, 0x8000000000000001, 0xFFFFFFFFFFFFFFFF,
       0xFFFFFFFF7FFFFFFF, 0xFFFFFFFF80000000, 0xFFFFFFFFFFFFFFFE, 0xEFFFFFEFFFFFFFFF,
       0x0000000100000000, 0x00000000FFFFFFFF, 0xFFDFFFFFFFFFFFFF}
)  # fmt: skip
SPECIAL: Dict[NumType, Sequence[int]] = {
    NumType.I32: _I32_SPECIAL,
    NumType.I64: _I64_SPECIAL,
    NumType.F32: _F32_SPECIAL,
    NumType.F64: _F64_SPECIAL,
}


#: Batches: operand ``j`` of element ``i`` is the 8 bytes at ``i * 32 + j * 8``,
#: result ``k`` is stored at ``OUTPUT + i * 16 + k * 8`` (little endian, i32
#: values in the low 4 bytes).
BATCH = 4096
OUTPUT = BATCH * 32
_ELEMENT = struct.Struct("<4Q")
_RESULT = struct.Struct("<2Q")


def _batch_function(op: Op) -> str:
    """``(func (export op) (param $start i32) (param $end i32))`` applying ``op`` to
    elements ``start .. end`` of the batch in memory."""
    params = op.params or ()
    results = op.results or ()
    compute: List[str] = []
    for index, type_ in enumerate(params):
        compute.append(
            f"(i32.mul (local.get $i) (i32.const 32)) {CARRIER[type_].text}.load offset={index * 8}"
        )
        if type_ in (NumType.F32, NumType.F64):
            compute.append(f"{type_.text}.reinterpret_{CARRIER[type_].text}")
    compute.append(op.mnemonic)
    for index in reversed(range(len(results))):
        type_ = results[index]
        if type_ in (NumType.F32, NumType.F64):
            compute.append(f"{CARRIER[type_].text}.reinterpret_{type_.text}")
        compute.append(f"local.set $r{index}")
    stores = [
        f"(i32.mul (local.get $i) (i32.const 16)) (local.get $r{index}) "
        f"{CARRIER[type_].text}.store offset={OUTPUT + index * 8}"
        for index, type_ in enumerate(results)
    ]
    local_text = " ".join(f"(local $r{i} {CARRIER[t].text})" for i, t in enumerate(results))
    return (
        f'(func (export "{op.mnemonic}") (param $start i32) (param $end i32) (local $i i32) {local_text}\n'
        f"  (local.set $i (local.get $start))\n"
        f"  (block $done (loop $next\n"
        f"    (br_if $done (i32.ge_u (local.get $i) (local.get $end)))\n"
        f"    {' '.join(compute)}\n"
        f"    {' '.join(stores)}\n"
        f"    (local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
        f"    (br $next))))"
    )


class Oracle:
    """A wasmtime instance with one batch function per row (see :data:`BATCH`)."""

    def __init__(self) -> None:
        config = wasmtime.Config()
        config.wasm_wide_arithmetic = True
        self.store = wasmtime.Store(wasmtime.Engine(config))
        pages = (OUTPUT + BATCH * 16) // 65536 + 1
        source = (
            f'(module (memory (export "memory") {pages})\n'
            + "\n".join(_batch_function(op) for op in OPS)
            + ")"
        )
        module = wasmtime.Module(self.store.engine, wasmtime.wat2wasm(source))
        instance = wasmtime.Instance(self.store, module, [])
        exports = instance.exports(self.store)
        self.memory = exports["memory"]
        self.functions = {op: exports[op.mnemonic] for op in OPS}

    def check_all(self, op: Op, elements: Sequence[Sequence[int]]) -> None:
        """Check our result against wasmtime's for every element."""
        actual = [ours(op, bits) for bits in elements]
        for bits, mine, expected in zip(elements, actual, self.batch(op, elements, actual)):
            check(op, bits, mine, expected)

    def batch(
        self, op: Op, elements: Sequence[Sequence[int]], ours: Sequence[Tuple[Any, ...]]
    ) -> List[Tuple[Any, ...]]:
        """The results (or ``("trap", code name)``) of ``op`` on each element.

        A trap stops a whole batch and costs as much as a batch: the elements
        for which ``ours`` (our results) is a trap go last and run one by one.
        Only the schedule depends on our answers, never wasmtime's results.
        """
        order = sorted(range(len(elements)), key=lambda i: ours[i][0] == "trap")
        singles = sum(1 for result in ours if result[0] != "trap")
        results: List[Tuple[Any, ...]] = [()] * len(elements)
        for first in range(0, len(order), BATCH):
            chunk = order[first : first + BATCH]
            data = b"".join(
                _ELEMENT.pack(*(tuple(elements[i]) + (0,) * (4 - len(elements[i])))) for i in chunk
            )
            self.memory.write(self.store, data, 0)
            outcome: List[Tuple[Any, ...]] = [()] * len(chunk)
            split = max(0, min(len(chunk), singles - first))
            self._run(op, [(0, split)] + [(i, i + 1) for i in range(split, len(chunk))], outcome)
            for index, result in zip(chunk, outcome):
                results[index] = result
        return results

    def _run(self, op: Op, ranges: List[Tuple[int, int]], outcome: List[Tuple[Any, ...]]) -> None:
        # A trap stops the whole range: split it until the trapping elements
        # are found one by one.
        pending = [(low, high) for low, high in ranges if high > low]
        while pending:
            low, high = pending.pop()
            try:
                self.functions[op](self.store, low, high)
            except wasmtime.Trap as trap:
                if high - low == 1:
                    outcome[low] = ("trap", trap.trap_code.name)
                else:
                    middle = (low + high) // 2
                    pending.extend([(low, middle), (middle, high)])
                continue
            raw = self.memory.read(self.store, OUTPUT + low * 16, OUTPUT + high * 16)
            for index in range(low, high):
                values = _RESULT.unpack_from(raw, (index - low) * 16)
                outcome[index] = tuple(
                    values[k] & MASKS[CARRIER[t]] for k, t in enumerate(op.results or ())
                )


def ours(op: Op, bits: Sequence[int]) -> Tuple[Any, ...]:
    args = [to_runtime(t, b) for t, b in zip(op.params or (), bits)]
    try:
        result = IMPLEMENTATIONS[op](*args)
    except Trap as trap:
        return ("trap", trap.code.name)
    results = result if isinstance(result, tuple) else (result,)
    return tuple(to_bits(t, r) for t, r in zip(op.results or (), results))


def _nan_class_required(op: Op, bits: Sequence[int]) -> str:
    inputs = [(t, b) for t, b in zip(op.params or (), bits) if is_nan_bits(t, b)]
    if all(nan_kind(t, b) == "canonical" for t, b in inputs):
        return "canonical"
    return "arithmetic"


def check(op: Op, bits: Sequence[int], actual: Tuple[Any, ...], expected: Tuple[Any, ...]) -> None:
    """Compare our result ``actual`` for ``op(*bits)`` with wasmtime's ``expected``."""
    where = f"{op.mnemonic}({', '.join(hex(b) for b in bits)})"
    results = op.results or ()
    if (
        op not in BITWISE
        and len(results) == 1
        and expected[0] != "trap"
        and is_nan_bits(results[0], expected[0])
    ):
        assert actual[0] != "trap" and is_nan_bits(results[0], actual[0]), where
        kind = nan_kind(results[0], actual[0])
        required = _nan_class_required(op, bits)
        assert kind == "canonical" or (required == "arithmetic" and kind == "arithmetic"), (
            f"{where}: {actual[0]:#x} is not {required}"
        )
        return
    assert actual == expected, where


@pytest.fixture(scope="module")
def oracle() -> Oracle:
    if not hasattr(wasmtime.Config, "wasm_wide_arithmetic"):
        pytest.skip("this wasmtime has no wide-arithmetic support")
    return Oracle()


def _special_arguments(op: Op) -> List[Tuple[int, ...]]:
    params = op.params or ()
    if len(params) == 1:
        return [(a,) for a in SPECIAL[params[0]]]
    if len(params) == 2:
        return [(a, b) for a in SPECIAL[params[0]] for b in SPECIAL[params[1]]]
    # add128/sub128: pair the specials as (low, high) halves.
    halves = SPECIAL[NumType.I64]
    return [(a, b, b, a) for a in halves for b in halves]


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.mnemonic)
def test_special_values(oracle: Oracle, op: Op) -> None:
    oracle.check_all(op, _special_arguments(op))


def _bits(type_: NumType) -> Any:
    mask = MASKS[CARRIER[type_]]
    choices = [st.sampled_from(list(SPECIAL[type_])), st.integers(0, mask)]
    if type_ is NumType.F32:
        choices.append(st.floats(width=32).map(_f32))
        choices.append(st.integers(0, 0x1FF).map(lambda e: (e << 23) | 0x400001))
    elif type_ is NumType.F64:
        choices.append(st.floats().map(_f64))
        choices.append(st.floats(-(2.0**65), 2.0**65).map(_f64))
    else:
        choices.append(st.integers(-(2**20), 2**20).map(lambda v: v & mask))
    return st.one_of(choices)


def _arguments(op: Op) -> Any:
    return st.tuples(*(_bits(t) for t in op.params or ()))


SCALE = max(1, int(os.environ.get("WASMPORT_DIFFERENTIAL_SCALE", "1")))


def _random_bits(rng: random.Random, type_: NumType) -> int:
    mask = MASKS[CARRIER[type_]]
    choice = rng.randrange(4)
    if choice == 0:
        return rng.choice(SPECIAL[type_])
    if choice == 1 or type_ in (NumType.I32, NumType.I64):
        # Uniform bits, or (for floats) uniform bits near a special value.
        value = rng.getrandbits(mask.bit_length())
        return value if choice == 1 else (rng.choice(SPECIAL[type_]) + rng.randint(-4, 4)) & mask
    # Log-uniform magnitudes, mostly where integer conversions do not trap.
    exponent = rng.randint(-40, 70) if choice == 2 else rng.randint(-1100, 1030)
    value = rng.uniform(-2.0, 2.0) * 2.0 ** min(exponent, 1023)
    if type_ is NumType.F32:
        return _f32(max(-3.4e38, min(3.4e38, value)))
    return _f64(value)


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.mnemonic)
def test_random_values(oracle: Oracle, op: Op) -> None:
    rng = random.Random(op.mnemonic)
    elements = [tuple(_random_bits(rng, t) for t in op.params or ()) for _ in range(5000 * SCALE)]
    oracle.check_all(op, elements)


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.mnemonic)
def test_hypothesis_values(oracle: Oracle, op: Op) -> None:
    @settings(max_examples=15 * SCALE, deadline=None, database=None)
    @given(_arguments(op))
    def run(arguments: Tuple[int, ...]) -> None:
        oracle.check_all(op, [arguments])

    run()
