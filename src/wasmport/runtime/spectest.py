"""The ``spectest`` host module the spec test suite imports.

Its ``print*`` functions write their arguments to ``output`` (stdout by
default) like the reference interpreter; the globals hold 666 (666.6 for
floats); ``table`` is a funcref table of 10 to 20 entries (``table64`` its
64-bit twin); ``memory`` is 1 to 2 pages (``shared_memory`` shared).
"""

from __future__ import annotations

import sys
from typing import Any, Dict, Optional, TextIO, Tuple

from ..numerics import f32_from_bits
from ..syntax.types import (
    F32,
    F64,
    FUNCREF,
    I32,
    I64,
    AddrType,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    TableType,
    ValType,
)
from .instances import ExternValue, GlobalInstance, TableInstance
from .memory import MemoryInstance
from .store import Store

_PRINTS: Dict[str, Tuple[ValType, ...]] = {
    "print": (),
    "print_i32": (I32,),
    "print_i64": (I64,),
    "print_f32": (F32,),
    "print_f64": (F64,),
    "print_i32_f32": (I32, F32),
    "print_f64_f64": (F64, F64),
}


def spectest_exports(store: Store, output: Optional[TextIO] = None) -> Dict[str, ExternValue]:
    """Fresh instances of everything the ``spectest`` module exports."""
    exports: Dict[str, ExternValue] = {}
    for name, params in _PRINTS.items():
        def printer(*args: Any, _name: str = name) -> None:
            stream = output if output is not None else sys.stdout
            print(_name, *args, file=stream)

        exports[name] = store.host_function(FuncType(params, ()), printer, f"spectest.{name}")
    exports["global_i32"] = GlobalInstance(GlobalType(I32), 666)
    exports["global_i64"] = GlobalInstance(GlobalType(I64), 666)
    exports["global_f32"] = GlobalInstance(GlobalType(F32), f32_from_bits(0x4426A666))
    exports["global_f64"] = GlobalInstance(GlobalType(F64), 666.6)
    exports["table"] = TableInstance(TableType(Limits(10, 20), FUNCREF))
    exports["table64"] = TableInstance(TableType(Limits(10, 20, AddrType.I64), FUNCREF))
    exports["memory"] = MemoryInstance(MemoryType(Limits(1, 2)), store.allocator)
    exports["shared_memory"] = MemoryInstance(MemoryType(Limits(1, 2, shared=True)),
                                              store.allocator)
    return exports


__all__ = ["spectest_exports"]
