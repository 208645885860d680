"""Config: write-only setters, checked values, feature flags reach validation."""

from __future__ import annotations

import pytest

import wasmport as wasmtime
from wasmport import Config, Engine, Module, WasmtimeError


def test_setters_are_write_only() -> None:
    config = Config()
    config.wasm_simd = True
    with pytest.raises(AttributeError, match="has no getter"):
        config.wasm_simd  # noqa: B018


def test_bad_values() -> None:
    config = Config()
    with pytest.raises(TypeError):
        config.wasm_gc = 1  # type: ignore[assignment]
    with pytest.raises(TypeError, match="expected an bool"):
        config.consume_fuel = "yes"  # type: ignore[assignment]
    with pytest.raises(WasmtimeError, match="unknown strategy"):
        config.strategy = "interpreter"
    with pytest.raises(WasmtimeError, match="cannot be explicitly disabled"):
        config.cache = False
    with pytest.raises(WasmtimeError):
        config.target = "not-a-real-target"
    config.target = "x86_64-unknown-linux-gnu"
    config.max_wasm_stack = 512 * 1024


def test_features_gate_validation() -> None:
    wat = "(module (func (param exnref)))"
    with pytest.raises(WasmtimeError):
        Module(Engine(), wat)
    config = Config()
    config.wasm_exceptions = True
    Module(Engine(config), wat)
    config = Config()
    config.wasm_simd = False
    with pytest.raises(WasmtimeError):
        Module(Engine(config), "(module (func (result v128) v128.const i64x2 0 0))")


def test_consumed_by_engine() -> None:
    config = Config()
    Engine(config)
    with pytest.raises(ValueError, match="already closed"):
        Engine(config)
    with pytest.raises(ValueError):
        config.wasm_simd = True


def test_every_public_name_exported() -> None:
    for name in wasmtime.__all__:
        assert getattr(wasmtime, name) is not None
