"""The type classes: ValType, FuncType, GlobalType, Limits, TableType,
MemoryType, TagType, ImportType and ExportType.

Each wraps the front end's type (:mod:`wasmport.syntax.types`); ``_raw``
gives it back and ``_wrap_*`` build a facade type from one.
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Union

from ..syntax import types as st
from ..syntax.ast import ExternKind, FuncImportType
from ..syntax.ast import Module as AstModule
from ._error import WasmtimeError
from ._managed import Managed

_NAMES = {
    st.NumType.I32: "i32", st.NumType.I64: "i64", st.NumType.F32: "f32",
    st.NumType.F64: "f64", st.NumType.V128: "v128",
}
_HEAP_NAMES = {st.AbsHeapType.EXTERN: "anyref", st.AbsHeapType.FUNC: "funcref"}


class ValType(Managed[Any]):
    """A value type: ``ValType.i32()``, ``i64``, ``f32``, ``f64``, ``externref``, ``funcref``."""

    def __init__(self) -> None:
        raise WasmtimeError("cannot construct directly")

    @classmethod
    def _of(cls, raw: st.ValType) -> ValType:
        self = cls.__new__(cls)
        self._set_inner(raw)
        return self

    @classmethod
    def i32(cls) -> ValType:
        """The 32-bit integer type."""
        return cls._of(st.NumType.I32)

    @classmethod
    def i64(cls) -> ValType:
        """The 64-bit integer type."""
        return cls._of(st.NumType.I64)

    @classmethod
    def f32(cls) -> ValType:
        """The 32-bit float type."""
        return cls._of(st.NumType.F32)

    @classmethod
    def f64(cls) -> ValType:
        """The 64-bit float type."""
        return cls._of(st.NumType.F64)

    @classmethod
    def externref(cls) -> ValType:
        """The nullable external reference type."""
        return cls._of(st.EXTERNREF)

    @classmethod
    def funcref(cls) -> ValType:
        """The nullable function reference type."""
        return cls._of(st.FUNCREF)

    @property
    def _raw(self) -> st.ValType:
        return self.ptr()  # type: ignore[no-any-return]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ValType) and other._raw == self._raw

    def __hash__(self) -> int:
        return hash(self._raw)

    def __str__(self) -> str:
        raw = self._raw
        if isinstance(raw, st.RefType):
            heap = raw.heap
            if isinstance(heap, st.AbsHeapType) and heap in _HEAP_NAMES:
                return _HEAP_NAMES[heap]
            return "ref"
        return _NAMES.get(raw, "unknown")

    def __repr__(self) -> str:
        return f"ValType.{self}()"


def _valtypes(items: Sequence[Any]) -> List[st.ValType]:
    out = []
    for item in items:
        if not isinstance(item, ValType):
            raise TypeError("expected ValType")
        out.append(item._raw)
    return out


class FuncType(Managed[st.FuncType]):
    """A function type: ``FuncType(params, results)`` (lists of :class:`ValType`)."""

    def __init__(self, params: Sequence[ValType], results: Sequence[ValType]) -> None:
        self._set_inner(st.FuncType(tuple(_valtypes(params)), tuple(_valtypes(results))))

    @classmethod
    def _of(cls, raw: st.FuncType) -> FuncType:
        self = cls.__new__(cls)
        self._set_inner(raw)
        return self

    @property
    def params(self) -> List[ValType]:
        """The parameter types."""
        return [ValType._of(t) for t in self.ptr().params]

    @property
    def results(self) -> List[ValType]:
        """The result types."""
        return [ValType._of(t) for t in self.ptr().results]

    def __repr__(self) -> str:
        params = ", ".join(map(str, self.params))
        results = ", ".join(map(str, self.results))
        return f"FuncType([{params}], [{results}])"


class GlobalType(Managed[st.GlobalType]):
    """A global's type: ``GlobalType(valtype, mutable)``."""

    def __init__(self, valtype: ValType, mutable: bool) -> None:
        if not isinstance(valtype, ValType):
            raise TypeError("expected valtype")
        self._set_inner(st.GlobalType(valtype._raw, bool(mutable)))

    @classmethod
    def _of(cls, raw: st.GlobalType) -> GlobalType:
        self = cls.__new__(cls)
        self._set_inner(raw)
        return self

    @property
    def content(self) -> ValType:
        """The value type."""
        return ValType._of(self.ptr().value)

    @property
    def mutable(self) -> bool:
        """Whether the global may be set."""
        return self.ptr().mutable


class Limits:
    """Size limits: ``min`` and ``max`` (None means unbounded)."""

    def __init__(self, min: int, max: Optional[int]) -> None:
        self.min = min
        self.max = max

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Limits) and (self.min, self.max) == (other.min, other.max)

    def __hash__(self) -> int:
        return hash((self.min, self.max))

    def __repr__(self) -> str:
        return f"Limits({self.min}, {self.max})"


class TableType(Managed[st.TableType]):
    """A table's type: ``TableType(element_valtype, limits)``."""

    def __init__(self, valtype: ValType, limits: Limits) -> None:
        if not isinstance(valtype, ValType):
            raise TypeError("expected ValType")
        if not isinstance(limits, Limits):
            raise TypeError("expected Limits")
        element = valtype._raw
        if not isinstance(element, st.RefType):
            raise WasmtimeError("table element type must be a reference type")
        self._set_inner(st.TableType(st.Limits(limits.min, limits.max), element))

    @classmethod
    def _of(cls, raw: st.TableType) -> TableType:
        self = cls.__new__(cls)
        self._set_inner(raw)
        return self

    @property
    def element(self) -> ValType:
        """The element type."""
        return ValType._of(self.ptr().element)

    @property
    def limits(self) -> Limits:
        """The size limits in elements."""
        raw = self.ptr().limits
        return Limits(raw.minimum, raw.maximum)


class MemoryType(Managed[st.MemoryType]):
    """A memory's type: limits in pages, ``is_64``, ``shared``, ``page_size_log2``."""

    def __init__(self, limits: Limits, is_64: bool = False, shared: bool = False,
                 page_size_log2: int = 16) -> None:
        if not isinstance(limits, Limits):
            raise TypeError("expected Limits")
        bound = 1 << 64 if is_64 else 1 << 32
        if limits.min >= bound:
            raise WasmtimeError("minimum size too large")
        if limits.max is not None and limits.max >= bound:
            raise WasmtimeError("maximum size too large")
        if shared and limits.max is None:
            raise WasmtimeError("shared memories must have a maximum size")
        if page_size_log2 not in (0, 16):
            raise WasmtimeError("invalid custom page size")
        if not is_64 and limits.min > (1 << 32) >> page_size_log2:
            raise WasmtimeError("minimum size too large")
        address = st.AddrType.I64 if is_64 else st.AddrType.I32
        raw_limits = st.Limits(limits.min, limits.max, address, bool(shared))
        log2 = None if page_size_log2 == 16 else page_size_log2
        self._set_inner(st.MemoryType(raw_limits, log2))

    @classmethod
    def _of(cls, raw: st.MemoryType) -> MemoryType:
        self = cls.__new__(cls)
        self._set_inner(raw)
        return self

    @property
    def limits(self) -> Limits:
        """The size limits in pages."""
        raw = self.ptr().limits
        return Limits(raw.minimum, raw.maximum)

    @property
    def is_64(self) -> bool:
        """Whether addresses are 64-bit (memory64)."""
        return self.ptr().limits.address is st.AddrType.I64

    @property
    def is_shared(self) -> bool:
        """Whether the memory is shared between threads."""
        return self.ptr().limits.shared

    @property
    def page_size(self) -> int:
        """The page size in bytes."""
        return self.ptr().page_size

    @property
    def page_size_log2(self) -> int:
        """log2 of the page size."""
        log2 = self.ptr().page_size_log2
        return 16 if log2 is None else log2


class TagType(Managed[st.FuncType]):
    """An exception tag's type: ``TagType(functype)`` (consumes the FuncType)."""

    def __init__(self, functype: FuncType) -> None:
        if not isinstance(functype, FuncType):
            raise TypeError("expected FuncType")
        self._set_inner(functype._consume())

    @classmethod
    def _of(cls, raw: st.FuncType) -> TagType:
        self = cls.__new__(cls)
        self._set_inner(raw)
        return self

    @property
    def functype(self) -> FuncType:
        """The payload's function type (its params are the payload)."""
        return FuncType._of(self.ptr())


AsExternType = Union[FuncType, TableType, MemoryType, GlobalType, TagType]


def extern_type(module: AstModule, kind: ExternKind, raw: Any) -> AsExternType:
    """The facade type of an import or export described by ``raw``."""
    if kind is ExternKind.FUNC:
        index = raw.type_index if isinstance(raw, FuncImportType) else raw
        return FuncType._of(module.func_type(index))
    if kind is ExternKind.TAG:
        return TagType._of(module.func_type(raw.type_index))
    if kind is ExternKind.TABLE:
        return TableType._of(raw)
    if kind is ExternKind.MEMORY:
        return MemoryType._of(raw)
    return GlobalType._of(raw)


class ImportType(Managed[Any]):
    """One import of a module: ``module``, ``name`` and ``type``."""

    def __init__(self, module: str, name: Optional[str], ty: AsExternType) -> None:
        self._set_inner((module, name, ty))

    @property
    def module(self) -> str:
        """The module name."""
        return self.ptr()[0]  # type: ignore[no-any-return]

    @property
    def name(self) -> Optional[str]:
        """The item name."""
        return self.ptr()[1]  # type: ignore[no-any-return]

    @property
    def type(self) -> AsExternType:
        """The imported item's type."""
        return self.ptr()[2]  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"ImportType({self.module!r}, {self.name!r}, {self.type!r})"


class ExportType(Managed[Any]):
    """One export of a module: ``name`` and ``type``."""

    def __init__(self, name: str, ty: AsExternType) -> None:
        self._set_inner((name, ty))

    @property
    def name(self) -> str:
        """The export name."""
        return self.ptr()[0]  # type: ignore[no-any-return]

    @property
    def type(self) -> AsExternType:
        """The exported item's type."""
        return self.ptr()[1]  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"ExportType({self.name!r}, {self.type!r})"


__all__ = [
    "AsExternType",
    "ExportType",
    "FuncType",
    "GlobalType",
    "ImportType",
    "Limits",
    "MemoryType",
    "TableType",
    "TagType",
    "ValType",
    "extern_type",
]
