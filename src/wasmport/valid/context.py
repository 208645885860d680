"""The validation context (spec "Contexts"): what a module defines, as the
instruction rules look it up, plus the checks of types written inside code."""

from __future__ import annotations

from typing import Dict, FrozenSet, List, Optional, Tuple

from ..errors import ValidationError
from ..features import Feature, Features, feature_message
from ..syntax.ast import BlockType
from ..syntax.types import (
    AbsHeapType,
    ArrayType,
    FuncType,
    GlobalType,
    HeapType,
    MemoryType,
    NumType,
    RefType,
    StructType,
    TableType,
    ValType,
)
from .matching import TypeSpace

H = AbsHeapType

#: The feature that introduced each abstract heap type.
HEAP_FEATURE: Dict[AbsHeapType, Feature] = {
    H.FUNC: Feature.MVP,
    H.EXTERN: Feature.REFERENCE_TYPES,
    H.ANY: Feature.GC,
    H.EQ: Feature.GC,
    H.I31: Feature.GC,
    H.STRUCT: Feature.GC,
    H.ARRAY: Feature.GC,
    H.NONE: Feature.GC,
    H.NOFUNC: Feature.GC,
    H.NOEXTERN: Feature.GC,
    H.EXN: Feature.EXCEPTIONS,
    H.NOEXN: Feature.EXCEPTIONS,
}

BlockSig = Tuple[Tuple[ValType, ...], Tuple[ValType, ...]]
_NO_TYPES: BlockSig = ((), ())


def require_feature(features: Features, feature: Feature, what: str, offset: int) -> None:
    """Fail with ``what`` and the feature message unless ``feature`` is enabled."""
    if feature not in features:
        raise ValidationError(f"{what}: {feature_message(feature)}", offset)


class Context:
    """Everything a module makes available to its code and constant expressions."""

    def __init__(self, types: TypeSpace, features: Features) -> None:
        self.types = types
        self.features = features
        #: Type index of every function (imports first).
        self.funcs: List[int] = []
        #: Whether a reference to each function is exact (imports may be inexact).
        self.exact_funcs: List[bool] = []
        self.tables: List[TableType] = []
        self.memories: List[MemoryType] = []
        self.globals: List[GlobalType] = []
        #: How many of the globals are imported.
        self.imported_globals = 0
        self.elems: List[RefType] = []
        self.datas = 0
        #: Type index of every tag.
        self.tags: List[int] = []
        #: Functions that may be referenced with ``ref.func`` in code.
        self.refs: FrozenSet[int] = frozenset()
        self._block_types: Dict[int, Tuple[BlockType, BlockSig]] = {}
        #: The field being checked, ``(kind, index)``, for error locations.
        self.where: Optional[Tuple[str, int]] = None

    # -- look-ups ("unknown ..." errors) ----------------------------------

    def type_index(self, index: int, offset: int) -> int:
        if not 0 <= index < len(self.types):
            raise ValidationError(f"unknown type {index}", offset)
        return index

    def func_type(self, index: int, offset: int) -> FuncType:
        composite = self.types.defined[self.type_index(index, offset)].composite
        if not isinstance(composite, FuncType):
            raise ValidationError(f"type mismatch: non-function type {index}", offset)
        return composite

    def struct_type(self, index: int, offset: int) -> StructType:
        composite = self.types.defined[self.type_index(index, offset)].composite
        if not isinstance(composite, StructType):
            raise ValidationError(f"type mismatch: non-structure type {index}", offset)
        return composite

    def array_type(self, index: int, offset: int) -> ArrayType:
        composite = self.types.defined[self.type_index(index, offset)].composite
        if not isinstance(composite, ArrayType):
            raise ValidationError(f"type mismatch: non-array type {index}", offset)
        return composite

    def func(self, index: int, offset: int) -> int:
        """The type index of function ``index``."""
        if not 0 <= index < len(self.funcs):
            raise ValidationError(f"unknown function {index}", offset)
        return self.funcs[index]

    def func_ref(self, index: int, offset: int) -> RefType:
        """The type of ``ref.func index``."""
        type_index = self.func(index, offset)
        exact = Feature.CUSTOM_DESCRIPTORS in self.features and self.exact_funcs[index]
        return RefType(False, type_index, exact)

    def table(self, index: int, offset: int) -> TableType:
        if not 0 <= index < len(self.tables):
            raise ValidationError(f"unknown table {index}", offset)
        return self.tables[index]

    def memory(self, index: int, offset: int) -> MemoryType:
        if not 0 <= index < len(self.memories):
            raise ValidationError(f"unknown memory {index}", offset)
        return self.memories[index]

    def global_(self, index: int, offset: int) -> GlobalType:
        if not 0 <= index < len(self.globals):
            raise ValidationError(f"unknown global {index}", offset)
        return self.globals[index]

    def elem(self, index: int, offset: int) -> RefType:
        if not 0 <= index < len(self.elems):
            raise ValidationError(f"unknown elem segment {index}", offset)
        return self.elems[index]

    def data(self, index: int, offset: int) -> None:
        if not 0 <= index < self.datas:
            raise ValidationError(f"unknown data segment {index}", offset)

    def tag(self, index: int, offset: int) -> FuncType:
        if not 0 <= index < len(self.tags):
            raise ValidationError(f"unknown tag {index}", offset)
        return self.func_type(self.tags[index], offset)

    # -- types written in the module --------------------------------------

    def check_heap_type(self, heap: HeapType, offset: int) -> None:
        if isinstance(heap, AbsHeapType):
            require_feature(self.features, HEAP_FEATURE[heap], "heap type", offset)
        else:
            self.type_index(heap, offset)
            require_feature(
                self.features, Feature.FUNCTION_REFERENCES, "typed reference", offset
            )

    def check_ref_type(self, t: RefType, offset: int) -> None:
        self.check_heap_type(t.heap, offset)
        if not t.nullable:
            require_feature(
                self.features, Feature.FUNCTION_REFERENCES, "non-null reference", offset
            )
        if t.exact:
            require_feature(
                self.features, Feature.CUSTOM_DESCRIPTORS, "exact reference", offset
            )
            if isinstance(t.heap, AbsHeapType):
                raise ValidationError("exact reference to an abstract heap type", offset)

    def check_val_type(self, t: ValType, offset: int) -> None:
        if isinstance(t, NumType):
            if t is NumType.V128:
                require_feature(self.features, Feature.SIMD, "v128 type", offset)
        else:
            require_feature(self.features, Feature.REFERENCE_TYPES, "reference type", offset)
            self.check_ref_type(t, offset)

    def block_type(self, bt: BlockType, offset: int) -> BlockSig:
        """The ``[params] -> [results]`` of a block type (cached per module)."""
        if bt is None:
            return _NO_TYPES
        # Keyed by identity: enum members hash slowly, and the block types
        # all live in the module being validated (kept alive by the entry).
        cached = self._block_types.get(id(bt))
        if cached is not None and cached[0] is bt:
            return cached[1]
        sig: BlockSig
        if isinstance(bt, int):
            ft = self.func_type(bt, offset)
            if ft.params or len(ft.results) > 1:
                require_feature(
                    self.features, Feature.MULTI_VALUE, "invalid result arity", offset
                )
            sig = (ft.params, ft.results)
        else:
            self.check_val_type(bt, offset)
            sig = ((), (bt,))
        self._block_types[id(bt)] = (bt, sig)
        return sig


__all__ = ["HEAP_FEATURE", "BlockSig", "Context", "require_feature"]
