"""The runtime model every engine tier shares (see ``docs/RUNTIME.md``)."""

from __future__ import annotations

from .config import Config
from .instances import (
    ExternValue,
    FuncInstance,
    GlobalInstance,
    HostFunction,
    ModuleInstance,
    TableInstance,
    TagInstance,
    WasmFunction,
)
from .linker import Linker
from .memory import BytearrayAllocator, LinearBuffer, MemoryAllocator, MemoryInstance, MmapAllocator
from .store import Store
from .values import ExceptionInstance, ExternRef

__all__ = [
    "BytearrayAllocator",
    "Config",
    "ExceptionInstance",
    "ExternRef",
    "ExternValue",
    "FuncInstance",
    "GlobalInstance",
    "HostFunction",
    "LinearBuffer",
    "Linker",
    "MemoryAllocator",
    "MemoryInstance",
    "MmapAllocator",
    "ModuleInstance",
    "Store",
    "TableInstance",
    "TagInstance",
    "WasmFunction",
]
