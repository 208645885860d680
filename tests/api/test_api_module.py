"""Module: binary or text, validation, imports/exports, artifacts."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasmport import Engine, FuncType, GlobalType, Module, TagType, WasmtimeError

WAT = """(module
  (import "env" "f" (func (param i32) (result i64)))
  (global (export "g") (mut f32) (f32.const 0))
  (func (export "run")))"""


def test_text_and_binary() -> None:
    engine = Engine()
    Module(engine, WAT)
    Module(engine, WAT.encode())
    Module(engine, b"\0asm\x01\0\0\0")
    with pytest.raises(TypeError, match="expected wasm bytes"):
        Module(engine, 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected an Engine"):
        Module(3, b"")  # type: ignore[arg-type]
    for bad in (b"", b"\0", b"\0asm\x02\0\0\0", "(module (func (result i32)))"):
        with pytest.raises(WasmtimeError):
            Module(engine, bad)


def test_from_file(tmp_path: Path) -> None:
    path = tmp_path / "m.wat"
    path.write_text(WAT)
    assert len(Module.from_file(Engine(), str(path)).exports) == 2


def test_validate() -> None:
    Module.validate(Engine(), b"\0asm\x01\0\0\0")
    with pytest.raises(WasmtimeError):
        Module.validate(Engine(), b"\0asm")
    with pytest.raises(TypeError):
        Module.validate(Engine(), "text")  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        Module.validate(1, b"")  # type: ignore[arg-type]


def test_imports_exports() -> None:
    module = Module(Engine(), WAT)
    (imp,) = module.imports
    assert (imp.module, imp.name) == ("env", "f")
    assert isinstance(imp.type, FuncType)
    assert [str(t) for t in imp.type.params] == ["i32"]
    assert [e.name for e in module.exports] == ["g", "run"]
    glob = module.exports[0].type
    assert isinstance(glob, GlobalType) and glob.mutable and str(glob.content) == "f32"


def test_tag_export_type() -> None:
    from wasmport import Config

    config = Config()
    config.wasm_exceptions = True
    module = Module(Engine(config), '(module (tag (export "t") (param i64)))')
    ty = module.exports[0].type
    assert isinstance(ty, TagType)
    assert [str(t) for t in ty.functype.params] == ["i64"]


def test_serialize_round_trip(tmp_path: Path) -> None:
    engine = Engine()
    blob = Module(engine, WAT).serialize()
    assert len(Module.deserialize(engine, blob).exports) == 2
    path = tmp_path / "m.cwasm"
    path.write_bytes(blob)
    assert len(Module.deserialize_file(engine, str(path)).imports) == 1


def test_deserialize_rejects_foreign_artifacts() -> None:
    engine = Engine()
    elf = b"\x7fELF\x02\x01\x01" + bytes(64)
    for data in (elf, b"garbage", b"\0asm\x01\0\0\0"):
        with pytest.raises(WasmtimeError):
            Module.deserialize(engine, data)
    blob = Module(engine, WAT).serialize()
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(WasmtimeError):
        Module.deserialize(engine, tampered)
    from wasmport import Config

    config = Config()
    config.wasm_simd = False
    with pytest.raises(WasmtimeError, match="different features"):
        Module.deserialize(Engine(config), blob)
