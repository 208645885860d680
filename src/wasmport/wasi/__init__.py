"""WASI preview1 (``wasi_snapshot_preview1`` and ``wasi_unstable``) for wasmport.

* :class:`WasiConfig` -- arguments, environment, preopened directories and
  sockets, standard streams;
* :class:`WasiContext` -- the running guest's descriptors;
* :class:`WasiImports` -- the host functions for one module, defined into a
  :class:`~wasmport.runtime.Linker` and bound to the instance's memory;
* :class:`WasiExit` -- raised by ``proc_exit`` (``.code``).

One module per function family: :mod:`.args_environ`, :mod:`.process`
(clocks, random, sched_yield, proc_*), :mod:`.fd_io`, :mod:`.fd_meta`,
:mod:`.paths`, :mod:`.poll`, :mod:`.sockets`; the sandboxed host filesystem
layer is :mod:`.hostfs`.
"""

from __future__ import annotations

from .context import WasiConfig, WasiContext, WasiExit, inherited_environment
from .errno import Errno, WasiErrno
from .host import PREVIEW1_MODULE, UNSTABLE_MODULE, WasiImports

__all__ = [
    "PREVIEW1_MODULE",
    "UNSTABLE_MODULE",
    "Errno",
    "WasiConfig",
    "WasiContext",
    "WasiErrno",
    "WasiExit",
    "WasiImports",
    "inherited_environment",
]
