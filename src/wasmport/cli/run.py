"""``wasmport [run] [OPTIONS] MODULE [ARGS...]``: run a WASI program as wasmtime does.

Options follow the wasmtime CLI: ``--dir HOST[::GUEST]``, ``--env NAME[=VALUE]``,
``-S inherit-env``, ``-S tcplisten=HOST:PORT``, ``--argv0``, ``--invoke NAME``,
``--preload NAME=PATH``, ``-W timeout=DURATION,max-memory-size=BYTES,
max-wasm-stack=BYTES,fuel=N`` and ``--engine``. Everything after MODULE goes to the
guest. Exit status: the guest's ``proc_exit`` code (0 when ``_start``
returns); 134 after a trap (with a wasmtime-style message and Wasm backtrace);
1 with a one-line error for a missing file, a malformed or invalid module, an
unknown import or a bad option.
"""

from __future__ import annotations

import _thread
import argparse
import dataclasses
import os
import re
import signal
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, TextIO, Tuple

from ..errors import InternalError, Trap, TrapCode, WasmError, WasmException
from ..features import Features
from ..syntax.ast import ExternKind, Module
from ..syntax.types import NumType, ValType

if TYPE_CHECKING:
    from ..runtime import Store

#: Exit status after a trap (128 + SIGABRT, as wasmtime exits on Unix).
TRAP_EXIT_STATUS = 134

#: wasmtime's default maximum Wasm stack, which maps to the runtime's default depth.
_DEFAULT_STACK_BYTES = 512 * 1024

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|h)?\s*$")
_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0,
                   "h": 3600.0, None: 1.0}
#: Seconds a guest blocked in a host call gets, after its timeout, before the
#: call is interrupted by a signal (Wasm code itself traps at once).
HOST_GRACE = 0.25

_WASM_FRAME = re.compile(r"^<wasm (.*) func (\d+) #\d+>$")


class UsageError(Exception):
    """A bad option or an unloadable module: reported in one line, status 1."""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run", help="run a WebAssembly module (WASI command) as wasmtime does",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    configure_parser(parser)
    parser.set_defaults(run=run)


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dir", action="append", default=[], metavar="HOST[::GUEST]",
                        help="preopen a host directory (as GUEST, default the same path)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME[=VALUE]",
                        help="set a guest environment variable (no VALUE: inherit it)")
    parser.add_argument("-S", dest="wasi_options", action="append", default=[],
                        metavar="OPT[=VAL]", help="WASI options: inherit-env, tcplisten=ADDR")
    parser.add_argument("-W", dest="wasm_options", action="append", default=[],
                        metavar="OPT=VAL,...",
                        help="limits: timeout=DURATION, max-memory-size=BYTES, "
                        "max-wasm-stack=BYTES, fuel=N (trap when N units are used)")
    parser.add_argument("--argv0", help="the guest's argv[0] (default: MODULE as given)")
    parser.add_argument("--invoke", metavar="NAME",
                        help="call this export with ARGS and print its results")
    parser.add_argument("--preload", action="append", default=[], metavar="NAME=PATH",
                        help="instantiate PATH first and make its exports importable as NAME")
    parser.add_argument("--engine", default="portable", help="execution tier (default portable)")
    parser.add_argument("module", metavar="MODULE", help=".wasm or .wat file")
    parser.add_argument("args", nargs=argparse.REMAINDER, metavar="ARGS",
                        help="arguments for the guest (or for --invoke)")


# ------------------------------------------------------------------ options


@dataclass
class Limits:
    timeout: Optional[float] = None
    max_memory_bytes: Optional[int] = None
    max_call_depth: Optional[int] = None
    fuel: Optional[int] = None


@dataclass
class WasiOptions:
    inherit_env: bool = False
    listeners: List[str] = field(default_factory=list)


def parse_duration(text: str) -> float:
    match = _DURATION.match(text)
    if match is None:
        raise UsageError(f"invalid duration {text!r} (examples: 10s, 500ms, 2m)")
    return float(match.group(1)) * _DURATION_UNITS[match.group(2)]


def _parse_int(text: str, what: str) -> int:
    try:
        return int(text.replace("_", ""), 0)
    except ValueError:
        raise UsageError(f"invalid {what} {text!r}") from None


def parse_limits(options: Sequence[str]) -> Limits:
    from ..runtime.config import DEFAULT_MAX_CALL_DEPTH

    limits = Limits()
    for option in (item for group in options for item in group.split(",") if item):
        key, _, value = option.partition("=")
        if key == "timeout":
            limits.timeout = parse_duration(value)
        elif key == "max-memory-size":
            limits.max_memory_bytes = _parse_int(value, "memory size")
        elif key == "max-wasm-stack":
            # The portable engine limits Wasm call depth, not bytes: scale so
            # wasmtime's default stack (512 KiB) is the default depth.
            stack = _parse_int(value, "stack size")
            limits.max_call_depth = max(1, stack * DEFAULT_MAX_CALL_DEPTH // _DEFAULT_STACK_BYTES)
        elif key == "fuel":
            limits.fuel = _parse_int(value, "fuel")
            if limits.fuel < 0:
                raise UsageError(f"invalid fuel {value!r}: must not be negative")
        else:
            raise UsageError(f"unknown -W option {key!r}")
    return limits


def parse_wasi_options(options: Sequence[str]) -> WasiOptions:
    result = WasiOptions()
    for option in (item for group in options for item in group.split(",") if item):
        key, _, value = option.partition("=")
        if key == "inherit-env":
            result.inherit_env = value.lower() not in ("n", "no", "false", "0")
        elif key == "tcplisten":
            result.listeners.append(value)
        elif key in ("cli", "preview2", "common"):
            continue
        else:
            raise UsageError(f"unknown -S option {key!r}")
    return result


def guest_environment(env_options: Sequence[str], inherit: bool) -> List[Tuple[str, str]]:
    env: Dict[str, str] = dict(os.environ) if inherit else {}
    for item in env_options:
        name, sep, value = item.partition("=")
        if not sep:
            if name not in os.environ:
                continue
            value = os.environ[name]
        env[name] = value
    return list(env.items())


def parse_dirs(dirs: Sequence[str]) -> List[Tuple[str, str]]:
    preopens = []
    for item in dirs:
        host, sep, guest = item.partition("::")
        if not os.path.isdir(host):
            raise UsageError(f"failed to open directory {host!r}: not a directory")
        preopens.append((host, guest if sep else host))
    return preopens


def _listen(address: str) -> socket.socket:
    host, _, port = address.rpartition(":")
    try:
        listener = socket.create_server((host or "127.0.0.1", int(port)))
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot listen on {address!r}: {error}") from None
    return listener


# ------------------------------------------------------------------ loading


def load_module(path: str, features: Features) -> Module:
    """Read, decode (or parse) and validate a module file; UsageError on failure."""
    from ..valid import validate
    from .tools import read_module_file

    try:
        module = read_module_file(path)
        validate(module, features)
    except FileNotFoundError:
        raise UsageError(f"failed to read {path!r}: no such file") from None
    except OSError as error:
        raise UsageError(f"failed to read {path!r}: {error.strerror}") from None
    except WasmError as error:
        raise UsageError(f"failed to load {path!r}: {error}") from None
    return module


def check_imports(module: Module, defined: Mapping[str, Sequence[str]], path: str) -> None:
    for imp in module.imports:
        if imp.name not in defined.get(imp.module, ()):
            kind = imp.kind.name.lower() if isinstance(imp.kind, ExternKind) else "item"
            raise UsageError(
                f"failed to link {path!r}: unknown import: `{imp.module}::{imp.name}` "
                f"({kind}) has not been defined")


# ------------------------------------------------------------------ values


def parse_value(text: str, type: ValType) -> object:
    from ..numerics import f32_from_bits

    try:
        if type is NumType.I32:
            return int(text, 0) & 0xFFFFFFFF
        if type is NumType.I64:
            return int(text, 0) & 0xFFFFFFFFFFFFFFFF
        if type is NumType.F32:
            return f32_from_bits(struct.unpack("<I", struct.pack("<f", float(text)))[0])
        if type is NumType.F64:
            return float(text)
    except (ValueError, OverflowError):
        raise UsageError(f"invalid {type} argument {text!r}") from None
    raise UsageError(f"cannot pass a {type} from the command line")


def _float_text(value: float, bits: int) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    if value == int(value) and abs(value) < 1e16:
        return str(int(value)) if value or str(value)[0] != "-" else "-0"
    if bits == 64:
        return repr(value)
    for precision in range(1, 18):
        text = f"{value:.{precision}g}"
        if struct.unpack("<f", struct.pack("<f", float(text)))[0] == value:
            return text
    return repr(value)


def format_value(value: object, type: ValType) -> str:
    """A result as wasmtime prints it (signed integers, shortest floats)."""
    if type is NumType.I32 and isinstance(value, int):
        return str(value - (1 << 32) if value >> 31 else value)
    if type is NumType.I64 and isinstance(value, int):
        return str(value - (1 << 64) if value >> 63 else value)
    if type in (NumType.F32, NumType.F64) and isinstance(value, float):
        return _float_text(value, 32 if type is NumType.F32 else 64)
    if type is NumType.V128 and isinstance(value, int):
        return f"0x{value:032x}"
    return "null" if value is None else repr(value)


# ------------------------------------------------------------------ traps


def wasm_backtrace(tb: Optional[TracebackType], names: Dict[int, str], module_name: str
                   ) -> List[str]:
    """The Wasm frames of a traceback, innermost first, as ``module!function``
    preceded by the byte offset of the instruction executing, as wasmtime
    prints them (no offset for a module read from text)."""
    from ..engines.portable.compiled import is_tail_entry, wasm_offset

    frames: List[str] = []
    while tb is not None:
        code = tb.tb_frame.f_code
        match = None if is_tail_entry(code) else _WASM_FRAME.match(code.co_filename)
        if match is not None:
            index = int(match.group(2))
            label = f"{module_name}!{names.get(index, f'<wasm function {index}>')}"
            offset = wasm_offset(code.co_filename, tb.tb_lineno)
            frames.append(f"{offset:#8x} - {label}" if offset >= 0 else label)
        tb = tb.tb_next
    return list(reversed(frames))


def trap_report(error: WasmError, module_path: str, frames: List[str], invoked: str) -> str:
    lines = [f"Error: failed to run main module `{module_path}`", "", "Caused by:",
             f"    0: failed to invoke {invoked}"]
    step = 1
    if frames:
        lines.append(f"    {step}: error while executing at wasm backtrace:")
        lines.extend(f"       {i:>5}: {frame}" for i, frame in enumerate(frames))
        step += 1
    message = error.message if isinstance(error, Trap) else "uncaught wasm exception"
    lines.append(f"    {step}: wasm trap: {message}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ the session


class Session:
    """One ``run``: the store, the WASI context, the preloads and the main instance."""

    def __init__(self, args: argparse.Namespace) -> None:
        from ..runtime import Config, Linker, Store
        from ..wasi import WasiConfig, WasiContext

        limits = parse_limits(args.wasm_options)
        wasi_options = parse_wasi_options(args.wasi_options)
        from ..engines.base import get_tier

        # Validate with what the tier can run: a GC or threads module then fails
        # to load with "gc support is not enabled" instead of failing mid-run.
        try:
            tier = get_tier(args.engine)
        except ValueError as error:
            raise UsageError(str(error)) from None
        self.features = Features().without(*tier.unsupported)
        config = Config(engine=args.engine, features=self.features,
                        max_memory_bytes=limits.max_memory_bytes,
                        consume_fuel=limits.fuel is not None,
                        epoch_interruption=limits.timeout is not None)
        if limits.max_call_depth is not None:
            config = dataclasses.replace(config, max_call_depth=limits.max_call_depth)
        self.timeout = limits.timeout
        self.args = args
        module_args = list(args.args)
        if module_args[:1] == ["--"]:
            module_args = module_args[1:]
        self.module_args = module_args
        argv0 = args.argv0 if args.argv0 is not None else args.module
        try:
            self.store = Store(config)
        except ValueError as error:
            raise UsageError(str(error)) from None
        if limits.fuel is not None:
            self.store.set_fuel(limits.fuel)
        self.linker = Linker()
        wasi_config = WasiConfig(
            args=[argv0] + ([] if args.invoke else module_args),
            env=guest_environment(args.env, wasi_options.inherit_env),
            preopens=parse_dirs(args.dir),
            sockets=[_listen(address) for address in wasi_options.listeners],
        )
        try:
            self.ctx = WasiContext(wasi_config)
        except OSError as error:
            raise UsageError(f"failed to preopen a directory: {error.strerror}") from None
        self.defined: Dict[str, List[str]] = {}
        #: The main module once loaded (for the names in a trap's backtrace).
        self.module: Optional[Module] = None

    def _instantiate(self, module: Module, path: str, name: str) -> object:
        from ..errors import LinkError
        from ..wasi import WasiImports

        wasi = WasiImports(self.store, self.ctx)
        self.defined[wasi_module_names()[0]] = list(wasi.preview1)
        self.defined[wasi_module_names()[1]] = list(wasi.unstable)
        check_imports(module, self.defined, path)
        try:
            return wasi.instantiate(module, self.linker, name)
        except LinkError as error:
            raise UsageError(f"failed to link {path!r}: {error}") from None

    def preload(self, spec: str) -> None:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            raise UsageError(f"--preload expects NAME=PATH, got {spec!r}")
        module = load_module(path, self.features)
        instance = self._instantiate(module, path, name)
        self.linker.define_instance(name, instance)  # type: ignore[arg-type]
        self.defined[name] = list(instance.exports)  # type: ignore[attr-defined]

    def main_instance(self) -> Tuple[Module, object]:
        module = load_module(self.args.module, self.features)
        self.module = module
        return module, self._instantiate(module, self.args.module, "")


def wasi_module_names() -> Tuple[str, str]:
    from ..wasi import PREVIEW1_MODULE, UNSTABLE_MODULE

    return PREVIEW1_MODULE, UNSTABLE_MODULE


def _function_names(module: Module) -> Dict[int, str]:
    names: Dict[int, str] = {}
    imported = [imp for imp in module.imports if imp.kind is ExternKind.FUNC]
    for index, imp in enumerate(imported):
        names[index] = f"{imp.module}::{imp.name}"
    if module.names is not None:
        names.update(dict(module.names.funcs))
    return names


def _invoke(session: Session, instance: object, out: TextIO) -> None:
    from ..runtime import FuncInstance

    exports = getattr(instance, "exports", {})
    name = session.args.invoke
    func = exports.get(name)
    if not isinstance(func, FuncInstance):
        raise UsageError(f"no exported function named `{name}`")
    params = func.type.params
    if len(session.module_args) != len(params):
        raise UsageError(f"function `{name}` expects {len(params)} arguments, "
                         f"got {len(session.module_args)}")
    values = [parse_value(text, t) for text, t in zip(session.module_args, params)]
    results = func.invoke(values)
    for value, t in zip(results, func.type.results):
        print(format_value(value, t), file=out)
    out.flush()


def _start(instance: object) -> None:
    from ..runtime import FuncInstance

    exports = getattr(instance, "exports", {})
    for name in ("_start", ""):
        func = exports.get(name)
        if isinstance(func, FuncInstance):
            func.invoke(())
            return


class _Timeout:
    """``-W timeout``: interrupts the guest as wasmtime does, by epochs.

    The store runs with epoch interruption and a deadline one tick ahead; a
    timer thread advances the epoch when the time is up, so Wasm code traps
    with ``interrupt`` at its next function entry or loop header. A guest
    blocked in a host call (a read from a pipe, a sleeping ``poll_oneoff``)
    runs no Wasm until the call returns: if the run is still going
    :data:`HOST_GRACE` seconds later, the timer sends SIGINT to the main
    thread (again after each further grace period), and the handler installed
    for the run raises the same trap there, ending the host call. A SIGINT
    from anyone else still raises KeyboardInterrupt.
    """

    def __init__(self, store: Store, timeout: Optional[float]) -> None:
        self.store = store
        self.timeout = timeout
        self._lock = threading.Lock()
        self._stop = threading.Event()
        #: Signals the timer sent, and those the handler received.
        self._sent = 0
        self._received = 0
        self._finished = False
        self._handling = False
        self._previous: Any = None
        self._thread: Optional[threading.Thread] = None

    def start(self) -> None:
        if self.timeout is None:
            return
        self.store.set_epoch_deadline(1)
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._on_sigint)
            self._handling = True
        self._thread = threading.Thread(target=self._run, name="wasmport-timeout", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        assert self.timeout is not None
        if self._stop.wait(self.timeout):
            return
        self.store.config.epoch.increment()
        while self._handling and not self._stop.wait(HOST_GRACE):
            with self._lock:
                if self._finished:
                    return
                self._sent += 1
                _interrupt_main_thread()

    def _on_sigint(self, signum: int, frame: Optional[FrameType]) -> None:
        if self._sent > self._received:
            self._received += 1
            if not self._finished:
                raise Trap(TrapCode.INTERRUPT)
            return
        if callable(self._previous):
            self._previous(signum, frame)
        elif self._previous != signal.SIG_IGN:
            signal.default_int_handler(signum, frame)

    def finish(self) -> None:
        """The guest is done: no more interrupts (a signal on its way is ignored)."""
        self._finished = True
        self._stop.set()

    def stop(self) -> None:
        """End the timer; restore SIGINT once any signal it sent is handled."""
        self.finish()
        if self._thread is None:
            return
        with self._lock:
            sent = self._sent
        for _ in range(1000):
            if self._received >= sent:
                break
            time.sleep(0.001)  # the handler runs (and returns) here
        if self._handling:
            previous = self._previous
            signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)


def _interrupt_main_thread() -> None:
    """Deliver SIGINT to the main thread: a blocking system call there ends
    (EINTR) and the Python handler runs; Windows only simulates the signal."""
    if hasattr(signal, "pthread_kill"):
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
    else:
        _thread.interrupt_main(signal.SIGINT)


def _execute(session: Session, out: TextIO) -> int:
    for spec in session.args.preload:
        session.preload(spec)
    _module, instance = session.main_instance()
    if session.args.invoke is not None:
        _invoke(session, instance, out)
    else:
        _start(instance)
    return 0


def _report_trap(session: Session, error: WasmError) -> int:
    module = session.module
    names = _function_names(module) if module is not None else {}
    module_name = os.path.basename(session.args.module)
    if module is not None and module.names is not None and module.names.module:
        module_name = module.names.module
    frames = wasm_backtrace(error.__traceback__, names, module_name)
    invoked = (f"function `{session.args.invoke}`" if session.args.invoke is not None
               else "command default")
    sys.stderr.write(trap_report(error, session.args.module, frames, invoked))
    sys.stderr.flush()
    return TRAP_EXIT_STATUS


def run(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Run the module named by ``args``; returns the exit status."""
    from ..wasi import WasiExit

    try:
        session = Session(args)
    except UsageError as error:
        return _usage_error(error)
    timer = _Timeout(session.store, session.timeout)
    try:
        timer.start()
        try:
            status = _execute(session, out)
        finally:
            timer.finish()
    except WasiExit as exit:
        status = exit.code
    except UsageError as error:
        status = _usage_error(error)
    except (Trap, WasmException) as error:
        status = _report_trap(session, error)
    except InternalError as error:
        status = _usage_error(UsageError(f"internal error (a wasmport bug): {error}"))
    finally:
        timer.stop()
        session.ctx.close()
    return status


def _usage_error(error: UsageError) -> int:
    sys.stderr.write(f"error: {error}\n")
    sys.stderr.flush()
    return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wasmport run", description=__doc__.split("\n\n")[1])
    configure_parser(parser)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """``wasmport run`` on its own (``python -m wasmport.cli.run``)."""
    args = build_parser().parse_args(argv)
    try:
        return run(args, sys.stdout)
    except BrokenPipeError:
        return 1


__all__ = [
    "TRAP_EXIT_STATUS",
    "UsageError",
    "add_parser",
    "build_parser",
    "configure_parser",
    "format_value",
    "load_module",
    "main",
    "parse_duration",
    "parse_limits",
    "parse_value",
    "run",
    "wasm_backtrace",
]

if __name__ == "__main__":
    sys.exit(main())
