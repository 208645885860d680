"""The table of WASI functions: name, parameter types, and handler.

Handlers are plain functions ``handler(ctx, memory, *args)`` that return
None on success and raise :class:`~.errno.WasiErrno` on failure; the host
layer (:mod:`.host`) turns that into the ``errno`` result. Each function
family module registers its handlers with :func:`wasi_function`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, Tuple

from ..syntax.types import FuncType, NumType

Handler = Callable[..., Any]

_TYPES = {"i32": NumType.I32, "i64": NumType.I64}


@dataclass(frozen=True)
class WasiFunction:
    name: str
    params: Tuple[NumType, ...]
    returns_errno: bool
    handler: Handler

    @property
    def func_type(self) -> FuncType:
        results = (NumType.I32,) if self.returns_errno else ()
        return FuncType(self.params, results)


#: ``wasi_snapshot_preview1`` functions by name.
PREVIEW1: Dict[str, WasiFunction] = {}

#: ``wasi_unstable`` handlers that differ from preview1 (layouts, whence values).
UNSTABLE_OVERRIDES: Dict[str, Handler] = {}


def wasi_function(name: str, params: str = "", returns_errno: bool = True
                  ) -> Callable[[Handler], Handler]:
    """Register the decorated handler as the preview1 function ``name``."""

    def register(handler: Handler) -> Handler:
        types = tuple(_TYPES[word] for word in params.split())
        PREVIEW1[name] = WasiFunction(name, types, returns_errno, handler)
        return handler

    return register


def unstable_variant(name: str) -> Callable[[Handler], Handler]:
    """Register the decorated handler as ``wasi_unstable``'s version of ``name``."""

    def register(handler: Handler) -> Handler:
        UNSTABLE_OVERRIDES[name] = handler
        return handler

    return register


__all__ = ["PREVIEW1", "UNSTABLE_OVERRIDES", "WasiFunction", "unstable_variant", "wasi_function"]
