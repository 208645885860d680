"""``WasiConfig`` (WASI preview1 settings for a store) and the binding of
``Linker.define_wasi`` functions to a store's WASI context."""

from __future__ import annotations

import enum
import os
import sys
import traceback
import weakref
from typing import TYPE_CHECKING, Any, Callable, Iterable, List, Optional, Tuple, Union

from .. import wasi
from ..runtime import FuncInstance
from ..wasi.constants import Filetype
from ..wasi.descriptors import StreamDescriptor
from ..wasi.errno import Errno, WasiErrno
from ..wasi.host import PREVIEW1_MODULE
from ..wasi.registry import PREVIEW1
from ._error import WasmtimeError
from ._managed import Managed, setter_property

if TYPE_CHECKING:
    from ._func import InstanceCell
    from ._store import Store

#: The functions ``Linker.define_wasi`` defines.
PREVIEW1_NAMES: Tuple[str, ...] = tuple(sorted(PREVIEW1))

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


class DirPerms(enum.Enum):
    """What a guest may do with a preopened directory (wasmtime-py 30 to 47)."""

    READ_ONLY = 1
    WRITE_ONLY = 2
    READ_WRITE = 3


class FilePerms(enum.Enum):
    """What a guest may do with files in a preopened directory (wasmtime-py 30 to 47)."""

    READ_ONLY = 1
    WRITE_ONLY = 2
    READ_WRITE = 3


Stream = Union[None, str, int, Callable[[bytes], Optional[int]]]


def _open(path: PathLike, flags: int) -> int:
    try:
        return os.open(os.fsdecode(path), flags, 0o666)
    except OSError as error:
        raise WasmtimeError(f"failed to open file {os.fsdecode(path)}: {error}") from None


class CustomOutput(StreamDescriptor):
    """A guest output stream whose writes call a Python callback.

    The callback returns None (everything consumed) or the number of bytes
    it took; if it raises, the exception is printed and the guest gets ``EIO``.
    """

    def __init__(self, fd: int, callback: Callable[[bytes], Optional[int]]) -> None:
        super().__init__(fd, readable=False)
        self.filetype = Filetype.CHARACTER_DEVICE
        self.callback = callback

    def write(self, data: bytes) -> int:
        try:
            taken = self.callback(bytes(data))
        except Exception:  # noqa: BLE001 - reported, and the guest sees EIO
            traceback.print_exc()
            raise WasiErrno(Errno.IO) from None
        return len(data) if taken is None else int(taken)


def _check_file(path: PathLike, flags: int) -> None:
    os.close(_open(path, flags))


def _close_all(fds: List[int]) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


class WasiConfig(Managed[dict]):  # type: ignore[type-arg]
    """WASI settings: arguments, environment, standard streams, preopened
    directories. ``Store.set_wasi(config)`` consumes it."""

    def __init__(self) -> None:
        self._set_inner({"argv": [], "env": [], "preopens": [],
                         "stdin": None, "stdout": None, "stderr": None})

    def _put(self, key: str, value: Any) -> None:
        self.ptr()[key] = value

    @setter_property
    def argv(self, argv: List[str]) -> None:
        """The guest's arguments (argv[0] first)."""
        self._put("argv", [str(arg) for arg in argv])

    def inherit_argv(self) -> None:
        """Use this process's ``sys.argv``."""
        self._put("argv", list(sys.argv))

    @setter_property
    def env(self, pairs: Iterable[Iterable[str]]) -> None:
        """The guest's environment as ``(name, value)`` pairs."""
        env = []
        for pair in pairs:
            name, value = pair
            env.append((str(name), str(value)))
        self._put("env", env)

    def inherit_env(self) -> None:
        """Use this process's environment."""
        self._put("env", wasi.inherited_environment())

    @setter_property
    def stdin_file(self, path: PathLike) -> None:
        """Read standard input from the file at ``path``."""
        _check_file(path, os.O_RDONLY)
        self._put("stdin", ("file", path))

    def inherit_stdin(self) -> None:
        """Use this process's standard input."""
        self._put("stdin", ("fd", 0))

    @setter_property
    def stdout_file(self, path: PathLike) -> None:
        """Write standard output to ``path`` (created or truncated)."""
        _check_file(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        self._put("stdout", ("file", path))

    def inherit_stdout(self) -> None:
        """Use this process's standard output."""
        self._put("stdout", ("fd", 1))

    @setter_property
    def stdout_custom(self, callback: Callable[[bytes], Optional[int]]) -> None:
        """Call ``callback(data)`` for every write to standard output."""
        self._put("stdout", ("custom", callback))

    @setter_property
    def stderr_file(self, path: PathLike) -> None:
        """Write standard error to ``path`` (created or truncated)."""
        _check_file(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        self._put("stderr", ("file", path))

    def inherit_stderr(self) -> None:
        """Use this process's standard error."""
        self._put("stderr", ("fd", 2))

    @setter_property
    def stderr_custom(self, callback: Callable[[bytes], Optional[int]]) -> None:
        """Call ``callback(data)`` for every write to standard error."""
        self._put("stderr", ("custom", callback))

    def preopen_dir(self, path: str, guest_path: str, *args: Any, **kwargs: Any) -> None:
        """Give the guest the host directory ``path`` as ``guest_path``.

        Accepts both wasmtime-py forms: ``dir_perms=``/``file_perms=`` (30-47)
        and ``fs_mutable`` (48+), positionally or by keyword.
        """
        if not os.path.isdir(path):
            raise WasmtimeError("failed to add preopen dir")
        self.ptr()["preopens"].append((str(path), str(guest_path)))

    def _stream(self, key: str, opened: List[int]) -> Tuple[int, Any]:
        """The host fd behind guest stream ``key`` and its custom callback (or None)."""
        spec = self.ptr()[key]
        flags = os.O_RDONLY if key == "stdin" else os.O_WRONLY
        kind, value = spec if spec is not None else ("null", os.devnull)
        if kind == "fd":
            return int(value), None
        path: PathLike = value if kind == "file" else os.devnull
        fd = _open(path, flags)
        opened.append(fd)
        return fd, value if kind == "custom" else None

    def _build(self) -> wasi.WasiContext:
        """The running context (consumes the config)."""
        settings = self.ptr()
        opened: List[int] = []
        try:
            streams = [self._stream(key, opened) for key in ("stdin", "stdout", "stderr")]
            config = wasi.WasiConfig(
                args=list(settings["argv"]), env=list(settings["env"]),
                preopens=list(settings["preopens"]), stdin=streams[0][0],
                stdout=streams[1][0], stderr=streams[2][0],
            )
            context = wasi.WasiContext(config)
        except OSError as error:
            _close_all(opened)
            raise WasmtimeError(f"failed to set up WASI: {error}") from None
        except BaseException:
            _close_all(opened)
            raise
        for fd, (host_fd, callback) in enumerate(streams):
            if callback is not None:
                context.fds.set(fd, CustomOutput(host_fd, callback))
        weakref.finalize(context, _close_all, opened)
        self._consume()
        return context


def wasi_function(store: Store, name: str, cell: Optional[InstanceCell]) -> FuncInstance:
    """The WASI function ``name`` for the instance ``cell`` will hold."""
    context = store._wasi_context
    if context is None:
        context = WasiConfig()._build()
        store._wasi_context = context
    imports = cell.wasi if cell is not None else None
    if imports is None:
        imports = wasi.WasiImports(store._rt, context)
        if cell is not None:
            cell.wasi = imports
            cell.hooks.append(imports.bind)
    return imports.preview1[name]  # type: ignore[no-any-return]


__all__ = ["PREVIEW1_MODULE", "PREVIEW1_NAMES", "DirPerms", "FilePerms", "WasiConfig",
           "wasi_function"]
