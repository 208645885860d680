"""The spec scripts' assertions on numeric functions, checked directly against
:mod:`wasmport.numerics` (see ``spec_numeric_cases.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from spec_numeric_cases import run_file

#: Scripts with straight-line numeric exports, and the least number of
#: assertions each must yield (so a parser or harness change that silently
#: drops them fails here).
SCRIPTS = {
    "conversions.wast": 590,
    "f32.wast": 2500,
    "f32_bitwise.wast": 360,
    "f32_cmp.wast": 2400,
    "f64.wast": 2500,
    "f64_bitwise.wast": 360,
    "f64_cmp.wast": 2400,
    "float_exprs.wast": 650,
    "float_literals.wast": 78,
    "float_misc.wast": 470,
    "i32.wast": 370,
    "i64.wast": 380,
    "int_exprs.wast": 89,
    "proposals/wide-arithmetic/wide-arithmetic.wast": 99,
}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_spec_script(spec_dir: Path, name: str) -> None:
    outcome = run_file(spec_dir / name)
    assert outcome.failures == []
    assert outcome.checked >= SCRIPTS[name]
