"""Tag: creation, identity, import matching."""

from __future__ import annotations

import pytest

from wasmport import (
    Config,
    Engine,
    FuncType,
    Instance,
    Module,
    Store,
    Tag,
    TagType,
    ValType,
    WasmtimeError,
)


def test_tags() -> None:
    config = Config()
    config.wasm_exceptions = True
    store = Store(Engine(config))
    tag = Tag(store, TagType(FuncType([ValType.i32()], [])))
    assert tag.eq(store, tag) and not tag.eq(store, Tag(store, TagType(FuncType([], []))))
    assert [str(t) for t in tag.type(store).functype.params] == ["i32"]
    module = Module(store.engine, '(module (import "" "" (tag (param i32))))')
    Instance(store, module, [tag])
    with pytest.raises(WasmtimeError):
        Instance(store, module, [Tag(store, TagType(FuncType([], [])))])
    with pytest.raises(TypeError):
        Tag(store, "tag")  # type: ignore[arg-type]
