"""WasiConfig: files, custom streams, preopens (both perms forms), set_wasi."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasmport import DirPerms, Engine, FilePerms, Linker, Module, Store, WasiConfig, WasmtimeError

HELLO = """(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 5))
    (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"""


def run_hello(config: WasiConfig) -> None:
    linker = Linker(Engine())
    linker.define_wasi()
    store = Store(linker.engine)
    store.set_wasi(config)
    instance = linker.instantiate(store, Module(linker.engine, HELLO))
    instance.exports(store)["_start"](store)


def test_stdout_custom_and_file(tmp_path: Path) -> None:
    chunks = []
    config = WasiConfig()
    config.stdout_custom = chunks.append
    run_hello(config)
    assert chunks == [b"hello"]
    out = tmp_path / "out.txt"
    config = WasiConfig()
    config.stdout_file = str(out)
    run_hello(config)
    assert out.read_bytes() == b"hello"


def test_config_checks(tmp_path: Path) -> None:
    config = WasiConfig()
    with pytest.raises(WasmtimeError):
        config.stdin_file = str(tmp_path / "missing")
    with pytest.raises(WasmtimeError):
        config.stdout_file = str(tmp_path / "no" / "dir")
    with pytest.raises(WasmtimeError, match="failed to add preopen dir"):
        config.preopen_dir(str(tmp_path / "missing"), "/")
    config.preopen_dir(str(tmp_path), "/a", DirPerms.READ_ONLY, FilePerms.READ_ONLY)
    config.preopen_dir(str(tmp_path), "/b", False)
    config.preopen_dir(str(tmp_path), "/c", fs_mutable=True)
    with pytest.raises(AttributeError):
        config.argv  # noqa: B018
    store = Store()
    store.set_wasi(config)
    with pytest.raises(ValueError):
        config.argv = ["x"]
