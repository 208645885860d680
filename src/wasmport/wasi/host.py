"""Turning the WASI handlers into importable host functions.

:class:`WasiImports` creates the host functions for one importing module:
each is bound to the shared :class:`~.context.WasiContext` and to a
:class:`~.guest_memory.GuestMemory` that :meth:`WasiImports.bind` points at
the module's exported ``memory`` once the instance exists. Host functions
do not receive their caller, so :meth:`WasiImports.instantiate` runs a
module's start function itself, after binding, so that WASI calls made from
it already see the memory.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, Dict

from ..runtime.instances import HostFunction, ModuleInstance
from ..runtime.linker import Linker
from ..runtime.memory import MemoryInstance
from ..runtime.store import Store
from ..syntax.ast import Module
from . import args_environ, fd_io, fd_meta, paths, poll, process, sockets  # noqa: F401
from .context import WasiContext
from .errno import Errno, WasiErrno, from_oserror
from .guest_memory import GuestMemory
from .registry import PREVIEW1, UNSTABLE_OVERRIDES, Handler, WasiFunction

PREVIEW1_MODULE = "wasi_snapshot_preview1"
UNSTABLE_MODULE = "wasi_unstable"

#: Functions ``wasi_unstable`` does not have (added in preview1).
_NOT_IN_UNSTABLE = frozenset({"sock_accept"})


def _errno_call(handler: Handler, ctx: WasiContext, memory: GuestMemory) -> Callable[..., int]:
    def call(*args: Any) -> int:
        try:
            handler(ctx, memory, *args)
        except WasiErrno as error:
            return int(error.errno)
        except OSError as error:
            return int(from_oserror(error))
        except OverflowError:
            # A 64-bit argument the host call cannot represent (offsets, sizes).
            return int(Errno.OVERFLOW)
        return 0

    return call


def _plain_call(handler: Handler, ctx: WasiContext, memory: GuestMemory) -> Callable[..., None]:
    def call(*args: Any) -> None:
        handler(ctx, memory, *args)

    return call


class WasiImports:
    """The WASI functions for one module instance."""

    def __init__(self, store: Store, ctx: WasiContext) -> None:
        self.store = store
        self.ctx = ctx
        self.memory = GuestMemory()
        self.preview1 = self._functions(PREVIEW1_MODULE, {})
        self.unstable = self._functions(UNSTABLE_MODULE, UNSTABLE_OVERRIDES)

    def _functions(self, namespace: str, overrides: Dict[str, Handler]
                   ) -> Dict[str, HostFunction]:
        functions: Dict[str, HostFunction] = {}
        for name, spec in PREVIEW1.items():
            if namespace == UNSTABLE_MODULE and name in _NOT_IN_UNSTABLE:
                continue
            functions[name] = self._host_function(namespace, spec, overrides.get(name))
        return functions

    def _host_function(self, namespace: str, spec: WasiFunction,
                       override: Handler | None) -> HostFunction:
        handler = override if override is not None else spec.handler
        wrap = _errno_call if spec.returns_errno else _plain_call
        return self.store.host_function(spec.func_type, wrap(handler, self.ctx, self.memory),
                                        f"{namespace}!{spec.name}")

    def define(self, linker: Linker) -> None:
        """Make both namespaces importable through ``linker``."""
        linker.define_module(PREVIEW1_MODULE, dict(self.preview1))
        linker.define_module(UNSTABLE_MODULE, dict(self.unstable))

    def bind(self, instance: ModuleInstance) -> None:
        """Use ``instance``'s exported ``memory`` for every call from now on."""
        memory = instance.exports.get("memory")
        if isinstance(memory, MemoryInstance):
            self.memory.bind(memory)

    def bind_memory(self, memory: MemoryInstance) -> None:
        self.memory.bind(memory)

    def instantiate(self, module: Module, linker: Linker, name: str = "") -> ModuleInstance:
        """Define the WASI functions, instantiate ``module`` against ``linker``
        and bind its memory; the start function (if any) runs after binding.

        Raises :class:`~wasmport.errors.LinkError` and
        :class:`~wasmport.errors.Trap` as ``Store.instantiate`` does.
        """
        self.define(linker)
        imports = linker.resolve(module)
        if module.start is None:
            instance = self.store.instantiate(module, imports, name)
            self.bind(instance)
            return instance
        deferred = dataclasses.replace(module, start=None)
        instance = self.store.instantiate(deferred, imports, name)
        self.bind(instance)
        instance.funcs[module.start].invoke(())
        return instance


__all__ = ["PREVIEW1_MODULE", "UNSTABLE_MODULE", "WasiImports"]
