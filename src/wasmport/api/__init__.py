"""The embedding API: a drop-in for the ``wasmtime`` Python package.

``import wasmport as wasmtime`` gives every public name of wasmtime-py
(see ``docs/EMBEDDING.md``). One private module per public class, as in
wasmtime-py; this package re-exports them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Dict

if TYPE_CHECKING:
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

#: Which private module defines each public name (imported on first use, so
#: ``wasmport.api.shim`` and the CLI do not load the runtime).
_HOMES: Dict[str, str] = {
    "Config": "_config", "Engine": "_engine", "ExitTrap": "_error",
    "WasmtimeError": "_error", "Caller": "_func", "Func": "_func", "Global": "_globals",
    "Instance": "_instance", "InstancePre": "_instance_pre", "Linker": "_linker",
    "Managed": "_managed", "Memory": "_memory", "Module": "_module",
    "SharedMemory": "_sharedmemory", "Store": "_store", "StoreContext": "_store",
    "Storelike": "_store", "Table": "_table", "Tag": "_tag", "Frame": "_trap",
    "Trap": "_trap", "TrapCode": "_trap", "ExportType": "_types", "FuncType": "_types",
    "GlobalType": "_types", "ImportType": "_types", "Limits": "_types",
    "MemoryType": "_types", "TableType": "_types", "TagType": "_types",
    "ValType": "_types", "Val": "_value", "DirPerms": "_wasi", "FilePerms": "_wasi",
    "WasiConfig": "_wasi", "wat2wasm": "_wat2wasm",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'wasmport.api' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


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
