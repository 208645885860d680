"""The embedding API: a drop-in for the ``wasmtime`` Python package.

``import wasmport as wasmtime`` gives every public name of wasmtime-py
(see ``docs/EMBEDDING.md``). One private module per public class, as in
wasmtime-py; this package re-exports them.
"""

from __future__ import annotations

from ._config import Config
from ._engine import Engine
from ._error import ExitTrap, WasmtimeError
from ._func import Caller, Func
from ._globals import Global
from ._instance import Instance
from ._instance_pre import InstancePre
from ._linker import Linker
from ._managed import Managed
from ._memory import Memory
from ._module import Module
from ._sharedmemory import SharedMemory
from ._store import Store, StoreContext, Storelike
from ._table import Table
from ._tag import Tag
from ._trap import Frame, Trap, TrapCode
from ._types import (
    ExportType,
    FuncType,
    GlobalType,
    ImportType,
    Limits,
    MemoryType,
    TableType,
    TagType,
    ValType,
)
from ._value import Val
from ._wasi import DirPerms, FilePerms, WasiConfig
from ._wat2wasm import wat2wasm

__all__ = [
    "wat2wasm",
    "Config",
    "Engine",
    "Store",
    "FuncType",
    "GlobalType",
    "MemoryType",
    "TableType",
    "ValType",
    "Limits",
    "ImportType",
    "ExportType",
    "Val",
    "Func",
    "Caller",
    "Table",
    "Memory",
    "SharedMemory",
    "Global",
    "Trap",
    "TrapCode",
    "ExitTrap",
    "Frame",
    "Module",
    "Instance",
    "WasiConfig",
    "FilePerms",
    "DirPerms",
    "Linker",
    "WasmtimeError",
    "StoreContext",
    "TagType",
    "Tag",
    "InstancePre",
    "Managed",
    "Storelike",
]
