"""Unit tests of the validator on small hand-built ASTs."""

from __future__ import annotations

from typing import Optional, Sequence, Tuple

import pytest

from wasmport.errors import ValidationError
from wasmport.features import Feature, Features, feature_message
from wasmport.syntax import opcodes as ops
from wasmport.syntax.ast import (
    Elem,
    Export,
    ExternKind,
    Func,
    Global,
    Instr,
    MemArg,
    Memory,
    Module,
    SegmentMode,
)
from wasmport.syntax.types import (
    F32,
    FUNCREF,
    I32,
    I64,
    V128,
    AbsHeapType,
    AddrType,
    ArrayType,
    FieldType,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    RecType,
    RefType,
    StructType,
    SubType,
    ValType,
)
from wasmport.valid import validate
from wasmport.valid.canon import canonicalize


def i(op: ops.Op, *args: object) -> Instr:
    return Instr(op, tuple(args))


def single(*subs: SubType) -> Tuple[RecType, ...]:
    return tuple(RecType((sub,), explicit=False) for sub in subs)


def func_module(
    body: Sequence[Instr],
    params: Sequence[ValType] = (),
    results: Sequence[ValType] = (),
    locals_: Sequence[ValType] = (),
    memories: Sequence[Memory] = (),
    types: Tuple[RecType, ...] = (),
) -> Module:
    """A module whose last type is the function's type and whose one function has ``body``."""
    all_types = types + single(SubType(FuncType(tuple(params), tuple(results))))
    return Module(
        types=all_types,
        funcs=(Func(len(all_types) - 1, tuple(locals_), tuple(body)),),
        memories=tuple(memories),
    )


def invalid(module: Module, message: str, features: Optional[Features] = None) -> None:
    with pytest.raises(ValidationError) as info:
        validate(module, features or Features())
    assert info.value.message.startswith(message), info.value.message


MEMORY = Memory(MemoryType(Limits(1)))


def test_empty_module_is_valid() -> None:
    validate(Module())


def test_generic_rule_and_result_check() -> None:
    validate(func_module([i(ops.I32_CONST, 1), i(ops.I32_CONST, 2), i(ops.I32_ADD)], results=[I32]))
    invalid(func_module([i(ops.I64_CONST, 1), i(ops.I32_CONST, 2), i(ops.I32_ADD)], results=[I32]),
            "type mismatch")
    invalid(func_module([i(ops.I32_CONST, 1)]), "type mismatch: block requires [] but stack has [i32]")
    invalid(func_module([], results=[I32]), "type mismatch: instruction requires [i32] but stack has []")


def test_unreachable_makes_the_stack_polymorphic() -> None:
    validate(func_module([i(ops.UNREACHABLE), i(ops.I32_ADD)], results=[I32]))
    invalid(
        func_module([i(ops.UNREACHABLE), i(ops.I64_CONST, 0), i(ops.I32_ADD)], results=[I32]),
        "type mismatch",
    )


def test_locals_and_globals() -> None:
    validate(func_module([i(ops.LOCAL_GET, 0), i(ops.LOCAL_SET, 1)], params=[I32], locals_=[I32]))
    invalid(func_module([i(ops.LOCAL_GET, 2), i(ops.DROP)], params=[I32]), "unknown local 2")
    module = Module(
        types=single(SubType(FuncType())),
        globals=(Global(GlobalType(I32), (i(ops.I32_CONST, 0),)),),
        funcs=(Func(0, (), (i(ops.I32_CONST, 1), i(ops.GLOBAL_SET, 0))),),
    )
    invalid(module, "immutable global")


def test_non_defaultable_local_must_be_initialised() -> None:
    ref = RefType(False, AbsHeapType.FUNC)
    body = [i(ops.LOCAL_GET, 0), i(ops.DROP)]
    invalid(func_module(body, locals_=[ref]), "uninitialized local")
    set_then_get = [i(ops.REF_FUNC, 0), i(ops.LOCAL_SET, 0)] + body
    module = func_module(set_then_get, locals_=[ref])
    module = Module(
        types=module.types,
        funcs=module.funcs,
        elems=(Elem(SegmentMode.DECLARATIVE, FUNCREF, ((i(ops.REF_FUNC, 0),),)),),
    )
    validate(module)
    # Initialisation inside a block does not outlive the block.
    in_block = [i(ops.BLOCK, None, tuple(set_then_get[:2]))] + body
    module = Module(types=module.types, funcs=(Func(0, (ref,), tuple(in_block)),),
                    elems=module.elems)
    invalid(module, "uninitialized local")


def test_undeclared_function_reference() -> None:
    invalid(func_module([i(ops.REF_FUNC, 0), i(ops.DROP)]), "undeclared function reference")
    module = func_module([i(ops.REF_FUNC, 0), i(ops.DROP)])
    validate(Module(types=module.types, funcs=module.funcs,
                    exports=(Export("f", ExternKind.FUNC, 0),)))


def test_ten_thousand_nested_blocks() -> None:
    body: Tuple[Instr, ...] = (i(ops.I32_CONST, 7),)
    for _ in range(10_000):
        body = (i(ops.BLOCK, I32, body),)
    validate(func_module(body, results=[I32]))
    bad: Tuple[Instr, ...] = (i(ops.I64_CONST, 7),)
    for _ in range(10_000):
        bad = (i(ops.BLOCK, I32, bad),)
    invalid(func_module(bad, results=[I32]), "type mismatch")


def test_branches_and_labels() -> None:
    body = [i(ops.BLOCK, I32, (i(ops.I32_CONST, 1), i(ops.BR, 0)))]
    validate(func_module(body, results=[I32]))
    invalid(func_module([i(ops.BR, 1)]), "unknown label")
    table = [i(ops.BLOCK, None, (i(ops.BLOCK, I32, (
        i(ops.I32_CONST, 0), i(ops.I32_CONST, 0), i(ops.BR_TABLE, ((1,), 0)))),
        i(ops.DROP)))]
    invalid(func_module(table), "type mismatch")


def test_if_without_else_needs_matching_types() -> None:
    body = [i(ops.I32_CONST, 1), i(ops.IF, I32, (i(ops.I32_CONST, 1),), None)]
    invalid(func_module(body, results=[I32]), "type mismatch")
    body = [i(ops.I32_CONST, 1), i(ops.IF, I32, (i(ops.I32_CONST, 1),), (i(ops.I32_CONST, 2),))]
    validate(func_module(body, results=[I32]))


def test_memory_access_rules() -> None:
    load = [i(ops.I32_CONST, 0), i(ops.I32_LOAD, MemArg(2, 0)), i(ops.DROP)]
    validate(func_module(load, memories=[MEMORY]))
    invalid(func_module(load), "unknown memory 0")
    too_aligned = [i(ops.I32_CONST, 0), i(ops.I32_LOAD, MemArg(3, 0)), i(ops.DROP)]
    invalid(func_module(too_aligned, memories=[MEMORY]), "alignment must not be larger than natural")
    far = [i(ops.I32_CONST, 0), i(ops.I32_LOAD, MemArg(2, 1 << 32)), i(ops.DROP)]
    invalid(func_module(far, memories=[MEMORY]), "offset out of range")
    memory64 = Memory(MemoryType(Limits(1, address=AddrType.I64)))
    validate(func_module([i(ops.I64_CONST, 0)] + far[1:], memories=[memory64]))
    invalid(func_module(load, memories=[memory64]), "type mismatch")


def test_atomics_require_natural_alignment() -> None:
    shared = Memory(MemoryType(Limits(1, 1, shared=True)))
    good = [i(ops.I32_CONST, 0), i(ops.I32_ATOMIC_LOAD, MemArg(2, 0)), i(ops.DROP)]
    validate(func_module(good, memories=[shared]))
    bad = [i(ops.I32_CONST, 0), i(ops.I32_ATOMIC_LOAD, MemArg(1, 0)), i(ops.DROP)]
    invalid(func_module(bad, memories=[shared]), "atomic alignment must be natural")


def test_lane_indices() -> None:
    zero = bytes(16)
    extract = [i(ops.V128_CONST, zero), i(ops.I32X4_EXTRACT_LANE, 4), i(ops.DROP)]
    invalid(func_module(extract), "invalid lane index")
    shuffle = [i(ops.V128_CONST, zero), i(ops.V128_CONST, zero),
               i(ops.I8X16_SHUFFLE, tuple([32] + [0] * 15)), i(ops.DROP)]
    invalid(func_module(shuffle), "invalid lane index")
    lane_load = [i(ops.I32_CONST, 0), i(ops.V128_CONST, zero),
                 i(ops.V128_LOAD32_LANE, MemArg(2, 0), 4), i(ops.DROP)]
    invalid(func_module(lane_load, memories=[MEMORY]), "invalid lane index")


def test_module_level_rules() -> None:
    invalid(Module(memories=(Memory(MemoryType(Limits(2, 1))),)),
            "size minimum must not be greater than maximum")
    invalid(Module(memories=(Memory(MemoryType(Limits(65537))),)),
            "memory size must be at most 65536 pages (4GiB)")
    invalid(Module(memories=(Memory(MemoryType(Limits(1, shared=True))),)),
            "shared memory must have maximum")
    invalid(Module(memories=(MEMORY, MEMORY)), "multiple memories",
            Features().without(Feature.MULTI_MEMORY))
    validate(Module(memories=(MEMORY, MEMORY)))
    exports = (Export("m", ExternKind.MEMORY, 0), Export("m", ExternKind.MEMORY, 0))
    invalid(Module(memories=(MEMORY,), exports=exports), "duplicate export name")
    invalid(Module(exports=(Export("f", ExternKind.FUNC, 0),)), "unknown function 0")
    start = func_module([], params=[I32])
    invalid(Module(types=start.types, funcs=start.funcs, start=0), "start function")


def test_constant_expressions() -> None:
    def global_module(*init: Instr, t: ValType = I32) -> Module:
        return Module(globals=(Global(GlobalType(t), tuple(init)),))

    validate(global_module(i(ops.I32_CONST, 1), i(ops.I32_CONST, 2), i(ops.I32_ADD)))
    invalid(global_module(i(ops.I32_CONST, 1), i(ops.I32_CLZ)), "constant expression required")
    invalid(global_module(i(ops.I32_CONST, 1), i(ops.I32_CONST, 2), i(ops.I32_ADD)),
            "constant expression required", Features().without(Feature.EXTENDED_CONST))
    invalid(global_module(i(ops.F32_CONST, 0)), "type mismatch")
    invalid(global_module(i(ops.GLOBAL_GET, 0)), "unknown global 0")
    validate(global_module(i(ops.F32_CONST, 0), t=F32))


def test_disabled_features_name_the_feature() -> None:
    no_simd = Features().without(Feature.SIMD)
    module = func_module([i(ops.V128_CONST, bytes(16)), i(ops.DROP)])
    invalid(module, f"v128.const: {feature_message(Feature.SIMD)}", no_simd)
    invalid(func_module([], params=[V128]), "v128 type", no_simd)
    two = func_module([i(ops.I32_CONST, 1), i(ops.I64_CONST, 2)], results=[I32, I64])
    with pytest.raises(ValidationError) as info:
        validate(two, Features().without(Feature.MULTI_VALUE))
    assert feature_message(Feature.MULTI_VALUE) in info.value.message


def test_subtyping_and_final_types() -> None:
    base = SubType(StructType((FieldType(I32),)), final=False)
    sub = SubType(StructType((FieldType(I32), FieldType(I64))), final=True, supertypes=(0,))
    validate(Module(types=single(base, sub)))
    final_base = SubType(StructType((FieldType(I32),)), final=True)
    invalid(Module(types=single(final_base, sub)), "sub type")
    mutable_sub = SubType(StructType((FieldType(I32, mutable=True),)), supertypes=(0,))
    invalid(Module(types=single(base, mutable_sub)), "sub type 1 does not match super type 0")
    invalid(Module(types=single(SubType(StructType(), supertypes=(1,)), base)), "unknown type")


def test_reference_subtyping_through_concrete_types() -> None:
    struct = SubType(StructType(()), final=False)
    types = single(struct)
    ref_struct = RefType(False, 0)
    eqref = RefType(True, AbsHeapType.EQ)
    body = [i(ops.LOCAL_GET, 0)]
    validate(func_module(body, params=[ref_struct], results=[eqref], types=types))
    invalid(func_module(body, params=[eqref], results=[ref_struct], types=types), "type mismatch")
    funcref_result = [FUNCREF]
    invalid(func_module(body, params=[ref_struct], results=funcref_result, types=types),
            "type mismatch")


def test_iso_recursive_canonicalisation_is_global() -> None:
    node = StructType((FieldType(RefType(True, 0)),))
    group_a = (RecType((SubType(node),)),)
    group_b = (RecType((SubType(StructType(())),)), RecType((SubType(
        StructType((FieldType(RefType(True, 1)),))),)))
    ids_a = canonicalize(group_a)
    ids_b = canonicalize(group_b)
    # The self-referential struct is the same type in both modules.
    assert ids_a[0] == ids_b[1]
    assert ids_b[0] != ids_b[1]
    # Equivalent types in one module are interchangeable.
    same_again = (RecType((SubType(StructType((FieldType(RefType(True, 2)),))),)),)
    types = group_b + same_again
    assert canonicalize(types)[2] == ids_a[0]
    ref_1 = RefType(False, 1)
    ref_2 = RefType(False, 2)
    validate(func_module([i(ops.LOCAL_GET, 0)], params=[ref_1], results=[ref_2], types=types))


def test_array_rules() -> None:
    types = single(SubType(ArrayType(FieldType(I32))))
    body = [i(ops.I32_CONST, 0), i(ops.I32_CONST, 1), i(ops.ARRAY_NEW, 0),
            i(ops.I32_CONST, 0), i(ops.I32_CONST, 5), i(ops.ARRAY_SET, 0)]
    invalid(func_module(body, types=types), "immutable array")
