"""``Module``: a compiled (validated) WebAssembly module."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import struct
from typing import Any, Dict, List, Union

from .. import __version__ as WASMPORT_VERSION
from ..binary import decode_module
from ..errors import WasmError
from ..syntax.ast import ExternKind
from ..syntax.ast import Module as AstModule
from ..valid import validate
from ._engine import Engine
from ._error import WasmtimeError
from ._managed import Managed
from ._types import AsExternType, ExportType, ImportType, extern_type
from ._wat2wasm import wat2wasm

#: The first bytes of a serialized wasmport module (Wasmtime's are ELF files).
ARTIFACT_MAGIC = b"\x00wasmport-module\x00"
_HEADER = struct.Struct("<I")


def _binary(wasm: Any) -> bytes:
    """The binary form of ``wasm`` (text is converted)."""
    if isinstance(wasm, str):
        if wasm.startswith("\0"):
            raise TypeError("expected wasm bytes or a WAT string, got a str starting with NUL")
        return bytes(wat2wasm(wasm))
    if isinstance(wasm, (bytes, bytearray)):
        if wasm[:1] not in (b"", b"\0"):
            return bytes(wat2wasm(wasm))
        return bytes(wasm)
    raise TypeError("expected wasm bytes")


def _compile(engine: Engine, binary: bytes) -> AstModule:
    try:
        module = decode_module(binary)
        validate(module, engine._features)
    except WasmError as error:
        raise WasmtimeError(f"failed to compile WebAssembly module\n\nCaused by:\n    {error}"
                            ) from None
    except RecursionError:
        raise WasmtimeError("module is nested too deeply") from None
    return module


def _fingerprint(engine: Engine) -> Dict[str, Any]:
    return {
        "producer": "wasmport",
        "version": WASMPORT_VERSION,
        "features": sorted(f.value for f in engine._features.enabled),
    }


def _index_spaces(module: AstModule) -> Dict[ExternKind, List[Any]]:
    spaces: Dict[ExternKind, List[Any]] = {kind: [] for kind in ExternKind}
    for imp in module.imports:
        spaces[imp.kind].append(imp.type)
    spaces[ExternKind.FUNC].extend(func.type_index for func in module.funcs)
    spaces[ExternKind.TABLE].extend(table.type for table in module.tables)
    spaces[ExternKind.MEMORY].extend(memory.type for memory in module.memories)
    spaces[ExternKind.GLOBAL].extend(glob.type for glob in module.globals)
    spaces[ExternKind.TAG].extend(tag.type for tag in module.tags)
    return spaces


class Module(Managed[AstModule]):
    """A compiled module: ``Module(engine, wasm_bytes_or_wat_text)``."""

    def __init__(self, engine: Engine, wasm: Union[str, bytes, bytearray]) -> None:
        if not isinstance(engine, Engine):
            raise TypeError("expected an Engine")
        binary = _binary(wasm)
        self._init(engine, binary, _compile(engine, binary))

    def _init(self, engine: Engine, binary: bytes, module: AstModule) -> None:
        self.engine = engine
        self._binary = binary
        self._set_inner(module)
        #: The module without its start function (the facade runs start itself,
        #: once a host function can see the new instance through its Caller).
        self._startless = dataclasses.replace(module, start=None)

    @property
    def _ast(self) -> AstModule:
        return self.ptr()

    @classmethod
    def from_file(cls, engine: Engine, path: Union[str, os.PathLike[str]]) -> Module:
        """Compile the file at ``path`` (binary or text)."""
        with open(path, "rb") as f:
            contents = f.read()
        return cls(engine, contents)

    @staticmethod
    def validate(engine: Engine, wasm: Union[bytes, bytearray]) -> None:
        """Validate binary ``wasm`` with ``engine``'s features (``WasmtimeError`` if invalid)."""
        if not isinstance(wasm, (bytes, bytearray)):
            raise TypeError("expected wasm bytes")
        features = engine._features
        try:
            validate(decode_module(bytes(wasm)), features)
        except WasmError as error:
            raise WasmtimeError(str(error)) from None
        except RecursionError:
            raise WasmtimeError("module is nested too deeply") from None

    @property
    def imports(self) -> List[ImportType]:
        """The imports, in order."""
        module = self._ast
        return [ImportType(imp.module, imp.name, extern_type(module, imp.kind, imp.type))
                for imp in module.imports]

    @property
    def exports(self) -> List[ExportType]:
        """The exports, in order."""
        module = self._ast
        spaces = _index_spaces(module)
        return [ExportType(exp.name, extern_type(module, exp.kind, spaces[exp.kind][exp.index]))
                for exp in module.exports]

    def _export_type(self, name: str) -> AsExternType:
        for export in self.exports:
            if export.name == name:
                return export.type
        raise KeyError(name)

    def serialize(self) -> bytearray:
        """A wasmport artifact of this module (loadable by ``Module.deserialize``
        with an engine of the same wasmport version and features)."""
        header = json.dumps({**_fingerprint(self.engine),
                             "sha256": hashlib.sha256(self._binary).hexdigest()}).encode()
        return bytearray(ARTIFACT_MAGIC + _HEADER.pack(len(header)) + header + self._binary)

    @classmethod
    def deserialize(cls, engine: Engine, encoded: Union[bytes, bytearray]) -> Module:
        """Load an artifact made by :meth:`serialize`. Anything else (including
        Wasmtime's own artifacts) raises ``WasmtimeError``."""
        if not isinstance(encoded, (bytes, bytearray)):
            raise TypeError("expected bytes")
        if not isinstance(engine, Engine):
            raise TypeError("expected an Engine")
        binary = _artifact_binary(engine, bytes(encoded))
        module = cls.__new__(cls)
        module._init(engine, binary, _compile(engine, binary))
        return module

    @classmethod
    def deserialize_file(cls, engine: Engine, path: str) -> Module:
        """Load an artifact made by :meth:`serialize` from a file."""
        with open(path, "rb") as f:
            return cls.deserialize(engine, f.read())


def _artifact_binary(engine: Engine, data: bytes) -> bytes:
    start = len(ARTIFACT_MAGIC) + _HEADER.size
    if not data.startswith(ARTIFACT_MAGIC) or len(data) < start:
        raise WasmtimeError("failed to parse precompiled artifact: not a wasmport artifact "
                            "(Wasmtime's native artifacts cannot be loaded)")
    (length,) = _HEADER.unpack_from(data, len(ARTIFACT_MAGIC))
    try:
        header = json.loads(data[start:start + length].decode())
    except ValueError:
        raise WasmtimeError("failed to parse precompiled artifact header") from None
    binary = data[start + length:]
    if not isinstance(header, dict):
        raise WasmtimeError("failed to parse precompiled artifact header")
    expected = _fingerprint(engine)
    for key in ("producer", "version", "features"):
        if header.get(key) != expected[key]:
            raise WasmtimeError(f"Module was compiled with a different {key}: "
                                f"{header.get(key)!r} (this engine: {expected[key]!r})")
    if header.get("sha256") != hashlib.sha256(binary).hexdigest():
        raise WasmtimeError("precompiled artifact is corrupt (checksum mismatch)")
    return binary


__all__ = ["ARTIFACT_MAGIC", "Module"]
