"""``Config``: write-only settings for an :class:`~wasmport.api.Engine`.

The ``wasm_*`` flags choose the features validation accepts (defaults as in
wasmtime-py 46); ``consume_fuel``, ``epoch_interruption`` and
``max_wasm_stack`` are honoured; compiler, profiler and memory tuning
settings are checked and accepted (the portable engine has nothing to tune).
"""

from __future__ import annotations

import os
import platform
from typing import Any, Callable, Dict, FrozenSet, Set, Union

from ..features import WASM3, Feature, Features
from ._error import WasmtimeError
from ._managed import Managed, setter_property

#: What a default Engine accepts (wasmtime 46: exceptions, GC, function
#: references, wide arithmetic and custom page sizes are off).
DEFAULT_FEATURES: FrozenSet[Feature] = (WASM3 | {Feature.THREADS}) - {
    Feature.EXCEPTIONS, Feature.GC, Feature.FUNCTION_REFERENCES,
}

_FLAG_FEATURES: Dict[str, FrozenSet[Feature]] = {
    "wasm_threads": frozenset({Feature.THREADS}),
    "wasm_tail_call": frozenset({Feature.TAIL_CALL}),
    "wasm_reference_types": frozenset({Feature.REFERENCE_TYPES}),
    "wasm_simd": frozenset({Feature.SIMD}),
    "wasm_bulk_memory": frozenset({Feature.BULK_MEMORY}),
    "wasm_multi_value": frozenset({Feature.MULTI_VALUE}),
    "wasm_multi_memory": frozenset({Feature.MULTI_MEMORY}),
    "wasm_memory64": frozenset({Feature.MEMORY64}),
    "wasm_relaxed_simd": frozenset({Feature.RELAXED_SIMD}),
    "wasm_exceptions": frozenset({Feature.EXCEPTIONS, Feature.LEGACY_EXCEPTIONS}),
    "wasm_function_references": frozenset({Feature.FUNCTION_REFERENCES}),
    "wasm_gc": frozenset({Feature.GC}),
    "wasm_wide_arithmetic": frozenset({Feature.WIDE_ARITHMETIC}),
    "wasm_custom_page_sizes": frozenset({Feature.CUSTOM_PAGE_SIZES}),
}

#: Flags accepted without effect on the portable engine.
_INERT_FLAGS = (
    "debug_info", "wasm_relaxed_simd_deterministic", "wasm_stack_switching",
    "wasm_component_model", "wasm_component_model_map", "wasm_component_model_implements",
    "cranelift_debug_verifier", "cranelift_nan_canonicalization", "parallel_compilation",
    "shared_memory", "gc_support", "native_unwind_info", "macos_use_mach_ports",
    "signals_based_traps", "memory_may_move", "memory_init_cow",
)
_INT_SETTINGS = ("memory_reservation", "memory_guard_size", "memory_reservation_for_growth")

_STRATEGIES = ("auto", "cranelift")
_OPT_LEVELS = ("none", "speed", "speed_and_size")
_PROFILERS = ("none", "jitdump", "vtune", "perfmap")
_ARCHES = ("x86_64", "aarch64", "riscv64", "s390x", "pulley32", "pulley64",
           "pulley32be", "pulley64be", "i686", "arm64")

#: Bytes of ``max_wasm_stack`` per Wasm frame when mapping it to a call depth.
STACK_BYTES_PER_FRAME = 32


def _check_bool(value: Any, message: str = "expected a bool") -> bool:
    if not isinstance(value, bool):
        raise TypeError(message)
    return value


def _check_int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("expected an int")
    return value


def _choice(name: str, choices: Any) -> Callable[[Any, Any], None]:
    def setter(self: Config, value: Any) -> None:
        if not isinstance(value, str):
            raise TypeError("expected a str")
        if value not in choices:
            raise WasmtimeError(f"unknown {name.replace('_', ' ')}: {value}")
        self._set(name, value)

    setter.__doc__ = f"One of {', '.join(choices)}."
    return setter


def _flag(name: str) -> Callable[[Any, Any], None]:
    def setter(self: Config, value: Any) -> None:
        self._set(name, _check_bool(value))

    setter.__doc__ = f"Enable or disable ``{name}`` (a bool)."
    return setter


def _integer(name: str) -> Callable[[Any, Any], None]:
    def setter(self: Config, value: Any) -> None:
        self._set(name, _check_int(value))

    setter.__doc__ = f"Set ``{name}`` (an int, accepted and ignored by the portable engine)."
    return setter


def host_triple_ok(triple: str) -> bool:
    """Whether ``triple`` names a target architecture Wasmtime knows."""
    parts = triple.split("-")
    return len(parts) >= 2 and parts[0] in _ARCHES and all(parts)


class Config(Managed[Dict[str, Any]]):
    """Settings for an :class:`~wasmport.api.Engine`; every property is write-only.

    An ``Engine(config)`` consumes the config: using it again raises ``ValueError``.
    """

    def __init__(self) -> None:
        self._set_inner({})

    def _set(self, name: str, value: Any) -> None:
        self.ptr()[name] = value

    def _settings(self) -> Dict[str, Any]:
        return self.ptr()

    for _name in _FLAG_FEATURES:
        locals()[_name] = setter_property(_flag(_name))
    for _name in _INERT_FLAGS:
        locals()[_name] = setter_property(_flag(_name))
    for _name in _INT_SETTINGS:
        locals()[_name] = setter_property(_integer(_name))
    del _name

    strategy = setter_property(_choice("strategy", _STRATEGIES))
    cranelift_opt_level = setter_property(_choice("cranelift_opt_level", _OPT_LEVELS))
    profiler = setter_property(_choice("profiler", _PROFILERS))

    @setter_property
    def consume_fuel(self, value: bool) -> None:
        """Meter execution with fuel; stores start with 0 fuel (``Store.set_fuel``)."""
        self._set("consume_fuel", _check_bool(value, "expected an bool"))

    @setter_property
    def epoch_interruption(self, value: bool) -> None:
        """Interrupt Wasm at the store's epoch deadline (``Engine.increment_epoch``)."""
        self._set("epoch_interruption", bool(value))

    @setter_property
    def max_wasm_stack(self, value: int) -> None:
        """The Wasm stack size in bytes (mapped to a maximum call depth)."""
        self._set("max_wasm_stack", _check_int(value))

    @setter_property
    def cache(self, value: Union[bool, str]) -> None:
        """``True`` (default cache) or the path of a cache config file."""
        if isinstance(value, bool):
            if not value:
                raise WasmtimeError("caching cannot be explicitly disabled")
            self._set("cache", True)
            return
        if not isinstance(value, str):
            raise TypeError("expected string or bool")
        if not os.path.isfile(value):
            raise WasmtimeError(f"failed to read cache config file {value}")
        self._set("cache", value)

    @setter_property
    def target(self, value: str) -> None:
        """The target triple to compile for (the host's, or a known architecture)."""
        if not isinstance(value, str):
            raise TypeError("expected a str")
        if not host_triple_ok(value):
            raise WasmtimeError(f"failed to parse target triple: {value}")
        self._set("target", value)

    def cranelift_flag_enable(self, flag: str) -> None:
        """Enable a Cranelift flag (accepted; no effect on the portable engine)."""
        if not isinstance(flag, str):
            raise TypeError("expected a str")
        self.ptr().setdefault("cranelift_flags", {})[flag] = "true"

    def cranelift_flag_set(self, key: str, value: str) -> None:
        """Set a Cranelift flag (accepted; no effect on the portable engine)."""
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError("expected a str")
        self.ptr().setdefault("cranelift_flags", {})[key] = value


def features_of(settings: Dict[str, Any]) -> Features:
    """The features a config's ``wasm_*`` flags enable."""
    enabled: Set[Feature] = set(DEFAULT_FEATURES)
    for name, features in _FLAG_FEATURES.items():
        if name in settings:
            if settings[name]:
                enabled |= features
            else:
                enabled -= features
    return Features.of(enabled)


def machine() -> str:
    """The host architecture as Wasmtime names it."""
    name = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(name, name)


__all__ = ["DEFAULT_FEATURES", "STACK_BYTES_PER_FRAME", "Config", "features_of"]
