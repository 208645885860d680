"""Rules of the cast instructions (``ref.test``, ``ref.cast``, ``br_on_cast*``,
the extern/any conversions) and of the custom-descriptors instructions."""

from __future__ import annotations

from typing import Any, Dict, Sequence, Tuple

from ...features import Feature
from ...syntax import opcodes as ops
from ...syntax.ast import Instr
from ...syntax.opcodes import Op
from ...syntax.types import I32, AbsHeapType, HeapType, RefType, ValType, unpacked
from ..code import CodeValidator, Rule
from ..matching import BOT_HEAP, type_text, types_text
from .aggregate import allocated
from .helpers import Nested, heap_immediate

H = AbsHeapType
EXTERNREF = RefType(True, H.EXTERN)
ANYREF = RefType(True, H.ANY)


def target(v: CodeValidator, arg: Any, nullable: bool) -> RefType:
    heap, exact = heap_immediate(arg)
    rt = RefType(nullable, heap, exact)
    v.context.check_ref_type(rt, v.offset)
    return rt


def _pop_castable(v: CodeValidator, rt: RefType) -> RefType:
    """Pop the operand of a cast to ``rt``: any reference of the same hierarchy."""
    return _as_ref(v.pop_val(RefType(True, v.types.top_of(rt.heap))))


def _as_ref(t: object) -> RefType:
    return t if isinstance(t, RefType) else RefType(False, BOT_HEAP)


def ref_test(v: CodeValidator, instr: Instr) -> Nested:
    rt = target(v, instr.args[0], instr.op is ops.REF_TEST_NULL)
    _pop_castable(v, rt)
    v.vals.append(I32)
    return None


def ref_cast(v: CodeValidator, instr: Instr) -> Nested:
    rt = target(v, instr.args[0], instr.op is ops.REF_CAST_NULL)
    _pop_castable(v, rt)
    v.vals.append(rt)
    return None


def _cast_types(v: CodeValidator, instr: Instr) -> Tuple[int, RefType, RefType]:
    flags, label_index, source_heap, target_heap = instr.args
    rt1 = target(v, source_heap, flags.source_nullable)
    rt2 = target(v, target_heap, flags.target_nullable)
    if Feature.CUSTOM_DESCRIPTORS in v.context.features:
        # The proposal relaxes the rule: the target need only share the hierarchy.
        related = v.types.top_of(rt1.heap) is v.types.top_of(rt2.heap)
    else:
        related = v.types.ref_matches(rt2, rt1)
    if not related:
        raise v.error(
            f"type mismatch: cast target {type_text(rt2)} does not match"
            f" source {type_text(rt1)}"
        )
    return label_index, rt1, rt2


def _difference(rt1: RefType, rt2: RefType) -> RefType:
    """``rt1 \\ rt2``: what remains of rt1 after the values of rt2 are taken out."""
    return RefType(rt1.nullable and not rt2.nullable, rt1.heap, rt1.exact)


def _branch(v: CodeValidator, label_index: int, operand: RefType, sent: RefType,
            kept: RefType) -> None:
    label = v.label_types(label_index)
    if not label or not v.types.matches(sent, label[-1]):
        raise v.error(
            f"type mismatch: instruction requires type {type_text(sent)}"
            f" but label has {types_text(label)}"
        )
    v.pop_val(operand)
    rest: Sequence[ValType] = label[:-1]
    v.pop_vals(rest)
    v.vals.extend(rest)
    v.vals.append(kept)


def br_on_cast(v: CodeValidator, instr: Instr) -> Nested:
    label_index, rt1, rt2 = _cast_types(v, instr)
    _branch(v, label_index, rt1, rt2, _difference(rt1, rt2))
    return None


def br_on_cast_fail(v: CodeValidator, instr: Instr) -> Nested:
    label_index, rt1, rt2 = _cast_types(v, instr)
    _branch(v, label_index, rt1, _difference(rt1, rt2), rt2)
    return None


def any_convert_extern(v: CodeValidator, instr: Instr) -> Nested:
    rt = _as_ref(v.pop_val(EXTERNREF))
    v.vals.append(RefType(rt.nullable, H.ANY))
    return None


def extern_convert_any(v: CodeValidator, instr: Instr) -> Nested:
    rt = _as_ref(v.pop_val(ANYREF))
    v.vals.append(RefType(rt.nullable, H.EXTERN))
    return None


# -- custom descriptors ------------------------------------------------------


def descriptor_of(v: CodeValidator, heap: HeapType) -> int:
    """The descriptor type index of a concrete heap type (error if it has none)."""
    if isinstance(heap, int) and heap >= 0:
        descriptor = v.types.defined[heap].descriptor
        if descriptor is not None:
            return descriptor
    name = heap.text if isinstance(heap, AbsHeapType) else str(heap)
    raise v.error(f"type {name} does not have a descriptor")


def struct_new_desc(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    st = v.context.struct_type(index, v.offset)
    descriptor = v.types.defined[index].descriptor
    if descriptor is None:
        raise v.error("type without descriptor requires non-descriptor allocation")
    v.pop_val(RefType(True, descriptor, True))
    if instr.op is ops.STRUCT_NEW_DESC:
        v.pop_vals([unpacked(f.storage) for f in st.fields])
    elif not all(not isinstance(f.storage, RefType) or f.storage.nullable for f in st.fields):
        raise v.error("field type is not defaultable")
    v.vals.append(allocated(v, index))
    return None


def ref_get_desc(v: CodeValidator, instr: Instr) -> Nested:
    index = instr.args[0]
    v.context.type_index(index, v.offset)
    descriptor = v.types.defined[index].descriptor
    if descriptor is None:
        raise v.error("type without descriptor")
    popped = v.pop_val(RefType(True, index))
    exact = _exact_descriptor(v, popped, index)
    v.vals.append(RefType(False, descriptor, exact))
    return None


def _exact_descriptor(v: CodeValidator, popped: object, index: int) -> bool:
    """Only an exact reference to exactly ``index`` (or a bottom) has an exact descriptor."""
    if not isinstance(popped, RefType):
        return True
    heap = popped.heap
    if not isinstance(heap, int) or heap == BOT_HEAP:
        return True
    return popped.exact and v.types.equivalent(heap, index)


def _pop_descriptor(v: CodeValidator, rt: RefType) -> bool:
    """Pop the descriptor operand of a descriptor cast to ``rt``; True if it is exact."""
    descriptor = descriptor_of(v, rt.heap)
    popped = v.pop_val(RefType(True, descriptor, rt.exact))
    return isinstance(popped, RefType) and popped.exact


def ref_cast_desc_eq(v: CodeValidator, instr: Instr) -> Nested:
    rt = target(v, instr.args[0], instr.op is ops.REF_CAST_DESC_EQ_NULL)
    exact = _pop_descriptor(v, rt) or rt.exact
    _pop_castable(v, rt)
    v.vals.append(RefType(rt.nullable, rt.heap, exact))
    return None


def _desc_branch(v: CodeValidator, instr: Instr, on_fail: bool) -> None:
    label_index, rt1, rt2 = _cast_types(v, instr)
    exact = _pop_descriptor(v, rt2) or rt2.exact
    rt2 = RefType(rt2.nullable, rt2.heap, exact)
    if on_fail:
        _branch(v, label_index, rt1, _difference(rt1, rt2), rt2)
    else:
        _branch(v, label_index, rt1, rt2, _difference(rt1, rt2))


def br_on_cast_desc_eq(v: CodeValidator, instr: Instr) -> Nested:
    _desc_branch(v, instr, on_fail=False)
    return None


def br_on_cast_desc_eq_fail(v: CodeValidator, instr: Instr) -> Nested:
    _desc_branch(v, instr, on_fail=True)
    return None


RULES: Dict[Op, Rule] = {
    ops.REF_TEST: ref_test,
    ops.REF_TEST_NULL: ref_test,
    ops.REF_CAST: ref_cast,
    ops.REF_CAST_NULL: ref_cast,
    ops.BR_ON_CAST: br_on_cast,
    ops.BR_ON_CAST_FAIL: br_on_cast_fail,
    ops.ANY_CONVERT_EXTERN: any_convert_extern,
    ops.EXTERN_CONVERT_ANY: extern_convert_any,
    ops.STRUCT_NEW_DESC: struct_new_desc,
    ops.STRUCT_NEW_DEFAULT_DESC: struct_new_desc,
    ops.REF_GET_DESC: ref_get_desc,
    ops.REF_CAST_DESC_EQ: ref_cast_desc_eq,
    ops.REF_CAST_DESC_EQ_NULL: ref_cast_desc_eq,
    ops.BR_ON_CAST_DESC_EQ: br_on_cast_desc_eq,
    ops.BR_ON_CAST_DESC_EQ_FAIL: br_on_cast_desc_eq_fail,
}

__all__ = ["RULES"]
