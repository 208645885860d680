"""Rules of the GC aggregate instructions (``struct.*``, ``array.*``) and i31."""

from __future__ import annotations

from typing import Dict

from ...features import Feature
from ...syntax import opcodes as ops
from ...syntax.ast import Instr
from ...syntax.opcodes import Op
from ...syntax.types import I32, AbsHeapType, FieldType, PackedType, RefType, unpacked
from ..code import CodeValidator, Rule
from ..matching import defaultable, type_text
from .helpers import Nested

ARRAYREF = RefType(True, AbsHeapType.ARRAY)
I31REF = RefType(True, AbsHeapType.I31)
I31_NON_NULL = RefType(False, AbsHeapType.I31)


def allocated(v: CodeValidator, type_index: int) -> RefType:
    """The type an allocation of ``type_index`` pushes (exact with custom descriptors)."""
    return RefType(False, type_index, Feature.CUSTOM_DESCRIPTORS in v.context.features)


def _no_descriptor(v: CodeValidator, type_index: int) -> None:
    if v.types.defined[type_index].descriptor is not None:
        raise v.error("type with descriptor requires descriptor allocation")


def struct_new(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    st = v.context.struct_type(index, v.offset)
    _no_descriptor(v, index)
    v.pop_vals([unpacked(f.storage) for f in st.fields])
    v.vals.append(allocated(v, index))
    return None


def struct_new_default(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    st = v.context.struct_type(index, v.offset)
    _no_descriptor(v, index)
    if not all(defaultable(f.storage) for f in st.fields):
        raise v.error("field type is not defaultable")
    v.vals.append(allocated(v, index))
    return None


def _field(v: CodeValidator, instr: Instr) -> FieldType:
    index: int = instr.args[0]
    field: int = instr.args[1]
    st = v.context.struct_type(index, v.offset)
    if not 0 <= field < len(st.fields):
        raise v.error(f"unknown field {field}")
    return st.fields[field]


def _check_packing(v: CodeValidator, instr: Instr, storage: object, what: str) -> None:
    packed = isinstance(storage, PackedType)
    signed = instr.op.mnemonic.endswith(("_s", "_u"))
    if packed and not signed:
        raise v.error(f"type mismatch: {what} is packed")
    if signed and not packed:
        raise v.error(f"type mismatch: {what} is unpacked")


def struct_get(v: CodeValidator, instr: Instr) -> Nested:
    field = _field(v, instr)
    _check_packing(v, instr, field.storage, "field")
    v.pop_val(RefType(True, instr.args[0]))
    v.vals.append(unpacked(field.storage))
    return None


def struct_set(v: CodeValidator, instr: Instr) -> Nested:
    field = _field(v, instr)
    if not field.mutable:
        raise v.error("immutable field")
    v.pop_val(unpacked(field.storage))
    v.pop_val(RefType(True, instr.args[0]))
    return None


def _array_field(v: CodeValidator, index: int, mutable: bool = False) -> FieldType:
    field = v.context.array_type(index, v.offset).field
    if mutable and not field.mutable:
        raise v.error("immutable array")
    return field


def array_new(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    field = _array_field(v, index)
    v.pop_val(I32)
    v.pop_val(unpacked(field.storage))
    v.vals.append(allocated(v, index))
    return None


def array_new_default(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    if not defaultable(_array_field(v, index).storage):
        raise v.error("array type is not defaultable")
    v.pop_val(I32)
    v.vals.append(allocated(v, index))
    return None


def array_new_fixed(v: CodeValidator, instr: Instr) -> Nested:
    index, count = instr.args[0], instr.args[1]
    t = unpacked(_array_field(v, index).storage)
    available = len(v.vals) - v.frame.height
    if count > available and not v.frame.unreachable:
        raise v.mismatch([t] * min(count, available + 1), v.vals[v.frame.height :])
    v.pop_vals([t] * min(count, available))
    v.vals.append(allocated(v, index))
    return None


def _numeric_field(v: CodeValidator, field: FieldType) -> None:
    if isinstance(field.storage, RefType):
        raise v.error("array type is not numeric or vector")


def _elem_field(v: CodeValidator, field: FieldType, segment: int) -> None:
    element = v.context.elem(segment, v.offset)
    if not v.types.matches(element, unpacked(field.storage)):
        raise v.error(
            f"type mismatch: element segment's type {type_text(element)}"
            f" does not match array's field type {type_text(unpacked(field.storage))}"
        )


def array_new_data(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    _numeric_field(v, _array_field(v, index))
    v.context.data(instr.args[1], v.offset)
    v.pop_val(I32)
    v.pop_val(I32)
    v.vals.append(allocated(v, index))
    return None


def array_new_elem(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    _elem_field(v, _array_field(v, index), instr.args[1])
    v.pop_val(I32)
    v.pop_val(I32)
    v.vals.append(allocated(v, index))
    return None


def array_get(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    field = _array_field(v, index)
    _check_packing(v, instr, field.storage, "array")
    v.pop_val(I32)
    v.pop_val(RefType(True, index))
    v.vals.append(unpacked(field.storage))
    return None


def array_set(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    field = _array_field(v, index, mutable=True)
    v.pop_val(unpacked(field.storage))
    v.pop_val(I32)
    v.pop_val(RefType(True, index))
    return None


def array_len(v: CodeValidator, instr: Instr) -> Nested:
    v.pop_val(ARRAYREF)
    v.vals.append(I32)
    return None


def array_fill(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    field = _array_field(v, index, mutable=True)
    v.pop_val(I32)
    v.pop_val(unpacked(field.storage))
    v.pop_val(I32)
    v.pop_val(RefType(True, index))
    return None


def array_copy(v: CodeValidator, instr: Instr) -> Nested:
    destination, source = instr.args[0], instr.args[1]
    d_field = _array_field(v, destination, mutable=True)
    s_field = _array_field(v, source)
    if not v.types.storage_matches(s_field.storage, d_field.storage):
        raise v.error("array types do not match")
    v.pop_val(I32)
    v.pop_val(I32)
    v.pop_val(RefType(True, source))
    v.pop_val(I32)
    v.pop_val(RefType(True, destination))
    return None


def _array_init(v: CodeValidator, index: int) -> None:
    v.pop_val(I32)
    v.pop_val(I32)
    v.pop_val(I32)
    v.pop_val(RefType(True, index))


def array_init_data(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    _numeric_field(v, _array_field(v, index, mutable=True))
    v.context.data(instr.args[1], v.offset)
    _array_init(v, index)
    return None


def array_init_elem(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    _elem_field(v, _array_field(v, index, mutable=True), instr.args[1])
    _array_init(v, index)
    return None


def ref_i31(v: CodeValidator, instr: Instr) -> Nested:
    v.pop_val(I32)
    v.vals.append(I31_NON_NULL)
    return None


def i31_get(v: CodeValidator, instr: Instr) -> Nested:
    v.pop_val(I31REF)
    v.vals.append(I32)
    return None


RULES: Dict[Op, Rule] = {
    ops.STRUCT_NEW: struct_new,
    ops.STRUCT_NEW_DEFAULT: struct_new_default,
    ops.STRUCT_GET: struct_get,
    ops.STRUCT_GET_S: struct_get,
    ops.STRUCT_GET_U: struct_get,
    ops.STRUCT_SET: struct_set,
    ops.ARRAY_NEW: array_new,
    ops.ARRAY_NEW_DEFAULT: array_new_default,
    ops.ARRAY_NEW_FIXED: array_new_fixed,
    ops.ARRAY_NEW_DATA: array_new_data,
    ops.ARRAY_NEW_ELEM: array_new_elem,
    ops.ARRAY_GET: array_get,
    ops.ARRAY_GET_S: array_get,
    ops.ARRAY_GET_U: array_get,
    ops.ARRAY_SET: array_set,
    ops.ARRAY_LEN: array_len,
    ops.ARRAY_FILL: array_fill,
    ops.ARRAY_COPY: array_copy,
    ops.ARRAY_INIT_DATA: array_init_data,
    ops.ARRAY_INIT_ELEM: array_init_elem,
    ops.REF_I31: ref_i31,
    ops.I31_GET_S: i31_get,
    ops.I31_GET_U: i31_get,
}

__all__ = ["RULES", "allocated"]
