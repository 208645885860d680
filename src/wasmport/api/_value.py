"""``Val`` and the conversion rules between Python values and Wasm values.

Out of Wasm: i32/i64 as signed ints, f32/f64 as floats, externref as the
original Python object (or None), funcref as a :class:`Func` (or None).
Into Wasm: ints wrap modulo 2**32 / 2**64 (bool counts as int), floats only
for f32/f64 (f32 rounded through a C float), any object for externref, a
``Func`` or None for funcref, and a ``Val`` only of exactly the parameter type.
"""

from __future__ import annotations

import ctypes
from typing import TYPE_CHECKING, Any, Callable, Dict, Optional

from ..runtime import ExternRef, FuncInstance
from ..syntax import types as st
from ._error import WasmtimeError
from ._types import ValType

if TYPE_CHECKING:
    from ._func import Func
    from ._store import Store

_MASK32 = 0xFFFFFFFF
_MASK64 = 0xFFFFFFFFFFFFFFFF
_MASK128 = (1 << 128) - 1


def _signed(value: int, bits: int) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def f32_round(value: float) -> float:
    """``value`` rounded to the nearest f32, as a C float conversion does."""
    return float(ctypes.c_float(value).value)


def _is_int(value: object) -> bool:
    return isinstance(value, int)


def _is_float(value: object) -> bool:
    return isinstance(value, float)


class Val:
    """A typed Wasm value. Build one with ``Val.i32(...)``, ``Val.f64(...)``,
    ``Val.externref(...)``, ``Val.funcref(...)`` or ``Val.ref_null(ty)``."""

    def __init__(self, ty: st.ValType, value: Any) -> None:
        self._ty = ty
        self._value = value

    @classmethod
    def i32(cls, val: int) -> Val:
        """An i32, wrapped to the signed 32-bit range."""
        if not _is_int(val):
            raise TypeError("expected an integer")
        return cls(st.NumType.I32, _signed(val, 32))

    @classmethod
    def i64(cls, val: int) -> Val:
        """An i64, wrapped to the signed 64-bit range."""
        if not _is_int(val):
            raise TypeError("expected an integer")
        return cls(st.NumType.I64, _signed(val, 64))

    @classmethod
    def f32(cls, val: float) -> Val:
        """An f32 (rounded through a C float; ints are rejected)."""
        if not _is_float(val):
            raise TypeError("expected a float")
        return cls(st.NumType.F32, f32_round(val))

    @classmethod
    def f64(cls, val: float) -> Val:
        """An f64 (ints are rejected)."""
        if not _is_float(val):
            raise TypeError("expected a float")
        return cls(st.NumType.F64, float(val))

    @classmethod
    def externref(cls, extern: Optional[Any]) -> Val:
        """An externref holding any Python object (None is the null reference)."""
        return cls(st.EXTERNREF, extern)

    @classmethod
    def funcref(cls, f: Optional[Func]) -> Val:
        """A funcref to ``f`` (None is the null reference)."""
        return cls(st.FUNCREF, f)

    @classmethod
    def ref_null(cls, ty: ValType) -> Val:
        """The null reference of reference type ``ty``."""
        if not isinstance(ty._raw, st.RefType):
            raise WasmtimeError(f"Invalid reference type for `ref_null`: {ty}")
        return cls(ty._raw, None)

    @property
    def value(self) -> Any:
        """The Python value."""
        return self._value

    @property
    def type(self) -> ValType:
        """The value's type."""
        return ValType._of(self._ty)

    def _as(self, ty: st.ValType) -> Any:
        return self._value if self._ty == ty else None

    def as_i32(self) -> Optional[int]:
        """The value if this is an i32, else None."""
        return self._as(st.NumType.I32)  # type: ignore[no-any-return]

    def as_i64(self) -> Optional[int]:
        """The value if this is an i64, else None."""
        return self._as(st.NumType.I64)  # type: ignore[no-any-return]

    def as_f32(self) -> Optional[float]:
        """The value if this is an f32, else None."""
        return self._as(st.NumType.F32)  # type: ignore[no-any-return]

    def as_f64(self) -> Optional[float]:
        """The value if this is an f64, else None."""
        return self._as(st.NumType.F64)  # type: ignore[no-any-return]

    def as_externref(self) -> Optional[Any]:
        """The object if this is an externref, else None."""
        return self._as(st.EXTERNREF)

    def as_funcref(self) -> Optional[Func]:
        """The function if this is a funcref, else None."""
        return self._as(st.FUNCREF)  # type: ignore[no-any-return]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Val):
            return bool(self._ty == other._ty and self._value == other._value)
        return bool(self._value == other)

    def __hash__(self) -> int:
        return hash((self._ty, id(self._value)))

    def __repr__(self) -> str:
        return f"Val({ValType._of(self._ty)}, {self._value!r})"


def _same_kind(a: st.ValType, b: st.ValType) -> bool:
    if isinstance(a, st.RefType) and isinstance(b, st.RefType):
        return a.heap == b.heap
    return a == b


def _func_in(store: Store, value: Any) -> Optional[FuncInstance]:
    from ._func import Func

    if value is None:
        return None
    if isinstance(value, Func):
        return value._instance_in(store)
    raise TypeError(f"don't know how to convert {value!r} to funcref")


def _int_in(bits: int) -> Callable[[Store, Any], Any]:
    mask = (1 << bits) - 1
    name = f"i{bits}" if bits < 128 else "v128"

    def convert(store: Store, value: Any) -> Any:
        if _is_int(value):
            return int(value) & mask
        raise TypeError(f"don't know how to convert {value!r} to {name}")

    return convert


def _float_in(name: str, rounding: Callable[[float], float]) -> Callable[[Store, Any], Any]:
    def convert(store: Store, value: Any) -> Any:
        if _is_float(value):
            return rounding(value)
        raise TypeError(f"don't know how to convert {value!r} to {name}")

    return convert


_NUM_IN: Dict[st.NumType, Callable[[Store, Any], Any]] = {
    st.NumType.I32: _int_in(32),
    st.NumType.I64: _int_in(64),
    st.NumType.F32: _float_in("f32", f32_round),
    st.NumType.F64: _float_in("f64", float),
    st.NumType.V128: _int_in(128),
}


def to_runtime(store: Store, ty: st.ValType, value: Any) -> Any:
    """Convert a Python value (or ``Val``) into the runtime form of type ``ty``."""
    if isinstance(value, Val):
        if not _same_kind(value._ty, ty):
            raise TypeError("wrong type of `Val` provided")
        value = value._value
    if isinstance(ty, st.RefType):
        heap = ty.heap
        if heap is st.AbsHeapType.FUNC or isinstance(heap, int):
            return _func_in(store, value)
        if value is None:
            return None
        if isinstance(value, (ExternRef, FuncInstance)):
            return value
        return ExternRef(value)
    return _NUM_IN[ty](store, value)


def _func_out(store: Store, value: Any) -> Any:
    from ._func import Func

    if isinstance(value, FuncInstance):
        return Func._wrap(store, value)
    return value


_NUM_OUT: Dict[st.NumType, Callable[[Any], Any]] = {
    st.NumType.I32: lambda v: _signed(v, 32),
    st.NumType.I64: lambda v: _signed(v, 64),
    st.NumType.F32: float,
    st.NumType.F64: float,
    st.NumType.V128: lambda v: v,
}


def from_runtime(store: Store, ty: st.ValType, value: Any) -> Any:
    """Convert a runtime value of type ``ty`` into its Python form."""
    if isinstance(ty, st.RefType):
        if value is None:
            return None
        if isinstance(value, ExternRef):
            return value.value
        return _func_out(store, value)
    return _NUM_OUT[ty](value)


__all__ = ["Val", "f32_round", "from_runtime", "to_runtime"]
