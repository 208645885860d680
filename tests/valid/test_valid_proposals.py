"""Unit tests of proposal-specific rules: exceptions, tail calls, table64 and
memory64 bulk operations, GC casts, and feature gating of types."""

from __future__ import annotations

from typing import Optional, Sequence, Tuple

import pytest

from wasmport.errors import ValidationError
from wasmport.features import Feature, Features, feature_message
from wasmport.syntax import opcodes as ops
from wasmport.syntax.ast import (
    CastFlags,
    Catch,
    CatchKind,
    Func,
    Instr,
    LegacyCatch,
    Memory,
    Module,
    Table,
    Tag,
)
from wasmport.syntax.types import (
    FUNCREF,
    I32,
    I64,
    AbsHeapType,
    AddrType,
    FuncType,
    Limits,
    MemoryType,
    RecType,
    RefType,
    StructType,
    SubType,
    TableType,
    TagType,
    ValType,
)
from wasmport.valid import validate


def i(op: ops.Op, *args: object) -> Instr:
    return Instr(op, tuple(args))


def types_of(*funcs: FuncType) -> Tuple[RecType, ...]:
    return tuple(RecType((SubType(f),), explicit=False) for f in funcs)


def module(
    body: Sequence[Instr],
    params: Sequence[ValType] = (),
    results: Sequence[ValType] = (),
    extra: Sequence[FuncType] = (),
    **fields: object,
) -> Module:
    """One function (type 0) with ``body``; ``extra`` types follow it."""
    types = types_of(FuncType(tuple(params), tuple(results)), *extra)
    return Module(types=types, funcs=(Func(0, (), tuple(body)),), **fields)  # type: ignore[arg-type]


def invalid(m: Module, message: str, features: Optional[Features] = None) -> None:
    with pytest.raises(ValidationError) as info:
        validate(m, features or Features())
    assert info.value.message.startswith(message), info.value.message


TAG_I32 = Tag(TagType(1))
I32_TO_NOTHING = FuncType((I32,), ())


def test_throw_checks_the_tag_parameters() -> None:
    good = module([i(ops.I32_CONST, 1), i(ops.THROW, 0)], extra=[I32_TO_NOTHING], tags=(TAG_I32,))
    validate(good)
    invalid(module([i(ops.THROW, 0)], extra=[I32_TO_NOTHING], tags=(TAG_I32,)),
            "type mismatch: instruction requires [i32] but stack has []")
    invalid(module([i(ops.THROW, 0)]), "unknown tag 0")
    invalid(Module(types=types_of(FuncType((), (I32,))), tags=(Tag(TagType(0)),)),
            "non-empty tag result type")


def test_try_table_catch_clauses_match_their_labels() -> None:
    catch_i32 = Catch(CatchKind.CATCH, 0, 0)
    body = [i(ops.BLOCK, I32, (i(ops.TRY_TABLE, None, (catch_i32,), ()), i(ops.I32_CONST, 0)))]
    validate(module(body, results=[I32], extra=[I32_TO_NOTHING], tags=(Tag(TagType(1)),)))
    catch_ref = Catch(CatchKind.CATCH_ALL_REF, None, 0)
    wrong = [i(ops.BLOCK, I32, (i(ops.TRY_TABLE, None, (catch_ref,), ()), i(ops.I32_CONST, 0)))]
    invalid(module(wrong, results=[I32]), "type mismatch")
    right = [i(ops.BLOCK, RefType(False, AbsHeapType.EXN),
               (i(ops.TRY_TABLE, None, (catch_ref,), ()), i(ops.UNREACHABLE))),
             i(ops.THROW_REF)]
    validate(module(right))
    validate(module([i(ops.REF_NULL, AbsHeapType.EXN), i(ops.THROW_REF)]))
    invalid(module([i(ops.REF_NULL, AbsHeapType.EXN), i(ops.THROW_REF)]),
            f"heap type: {feature_message(Feature.EXCEPTIONS)}",
            Features().without(Feature.EXCEPTIONS))


def test_legacy_try_rethrow_and_delegate() -> None:
    legacy = Features.all()
    handler = LegacyCatch(None, (i(ops.RETHROW, 0),))
    validate(module([i(ops.TRY, None, (), (handler,), None)]), legacy)
    outside = [i(ops.TRY, None, (i(ops.RETHROW, 0),), (), None)]
    invalid(module(outside), "invalid rethrow label", legacy)
    delegate_out = [i(ops.TRY, None, (), (), 1)]
    invalid(module(delegate_out), "unknown label", legacy)
    validate(module([i(ops.TRY, None, (), (), 0)]), legacy)
    invalid(module([i(ops.TRY, None, (), (handler,), None)]),
            f"try: {feature_message(Feature.LEGACY_EXCEPTIONS)}")


def test_return_call_results_must_match_the_caller() -> None:
    callee = FuncType((), (I32,))
    m = Module(
        types=types_of(FuncType((), (I64,)), callee),
        funcs=(Func(0, (), (i(ops.RETURN_CALL, 1),)), Func(1, (), (i(ops.I32_CONST, 0),))),
    )
    invalid(m, "type mismatch: current function requires result type")
    ok = Module(
        types=types_of(callee),
        funcs=(Func(0, (), (i(ops.RETURN_CALL, 1),)), Func(0, (), (i(ops.I32_CONST, 0),))),
    )
    validate(ok)


def test_table64_and_memory64_address_types() -> None:
    table64 = Table(TableType(Limits(1, address=AddrType.I64), FUNCREF))
    get = [i(ops.I64_CONST, 0), i(ops.TABLE_GET, 0), i(ops.DROP)]
    validate(module(get, tables=(table64,)))
    invalid(module([i(ops.I32_CONST, 0)] + get[1:], tables=(table64,)), "type mismatch")
    invalid(module(get, tables=(table64,)), "i64 table",
            Features().without(Feature.MEMORY64))
    memory32 = Memory(MemoryType(Limits(1)))
    memory64 = Memory(MemoryType(Limits(1, address=AddrType.I64)))
    copy = [i(ops.I64_CONST, 0), i(ops.I32_CONST, 0), i(ops.I32_CONST, 0),
            i(ops.MEMORY_COPY, 1, 0)]
    validate(module(copy, memories=(memory32, memory64)))
    invalid(module(copy, memories=(memory64, memory32)), "type mismatch")


def test_casts_stay_in_their_hierarchy() -> None:
    test = [i(ops.REF_NULL, AbsHeapType.ANY), i(ops.REF_TEST, AbsHeapType.STRUCT)]
    validate(module(test, results=[I32]))
    wrong = [i(ops.REF_NULL, AbsHeapType.FUNC), i(ops.REF_TEST, AbsHeapType.STRUCT)]
    invalid(module(wrong, results=[I32]), "type mismatch")
    flags = CastFlags(True, False)
    br = [i(ops.BLOCK, RefType(False, AbsHeapType.STRUCT), (
        i(ops.REF_NULL, AbsHeapType.ANY),
        i(ops.BR_ON_CAST, flags, 0, AbsHeapType.ANY, AbsHeapType.STRUCT),
        i(ops.DROP), i(ops.UNREACHABLE))), i(ops.DROP)]
    validate(module(br))
    unrelated = [i(ops.BLOCK, RefType(False, AbsHeapType.ARRAY), (
        i(ops.REF_NULL, AbsHeapType.STRUCT),
        i(ops.BR_ON_CAST, flags, 0, AbsHeapType.STRUCT, AbsHeapType.ARRAY),
        i(ops.DROP), i(ops.UNREACHABLE))), i(ops.DROP)]
    invalid(module(unrelated), "type mismatch")


def test_type_section_features() -> None:
    rec = Module(types=(RecType((SubType(FuncType()), SubType(FuncType()))),))
    validate(rec)
    invalid(rec, "recursion group", Features().without(Feature.GC))
    struct = Module(types=(RecType((SubType(StructType()),), explicit=False),))
    invalid(struct, "struct or array type", Features().without(Feature.GC))
    shared = Module(memories=(Memory(MemoryType(Limits(1, 2, shared=True))),))
    invalid(shared, "shared memory", Features().without(Feature.THREADS))
    paged = Module(memories=(Memory(MemoryType(Limits(1), page_size_log2=0)),))
    invalid(paged, "custom page size")
    validate(paged, Features.all())
    odd = Module(memories=(Memory(MemoryType(Limits(1), page_size_log2=12)),))
    invalid(odd, "invalid custom page size", Features.all())
