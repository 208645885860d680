"""``wasmport shim -- COMMAND [ARGS...]``: run a program with ``import wasmtime``
resolving to wasmport, in it and in every Python subprocess it starts.

The shim writes a temporary directory holding a ``wasmtime`` package that
re-exports wasmport (its private modules ``wasmtime._func`` and so on map to
wasmport's) and a ``wasmtime-<version>.dist-info`` whose version satisfies
clients' pins (``importlib.metadata.version("wasmtime")``), puts it first on
``PYTHONPATH`` (ahead of site-packages, so an installed ``wasmtime`` is
shadowed), runs the command, and removes the directory afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from typing import Dict, List, Optional, Sequence, TextIO

#: The wasmtime-py version the shim reports by default (the API wasmport matches).
DEFAULT_VERSION = "46.0.1"

#: wasmtime-py's private modules, mapped onto wasmport's.
PRIVATE_MODULES = (
    "_config", "_engine", "_error", "_extern", "_func", "_globals", "_instance",
    "_instance_pre", "_linker", "_managed", "_memory", "_module", "_sharedmemory",
    "_store", "_table", "_tag", "_trap", "_types", "_value", "_wasi", "_wat2wasm",
)

_PACKAGE = '''"""wasmtime, served by wasmport (written by ``wasmport shim``)."""
import importlib as _importlib
import sys as _sys

import wasmport as _wasmport
from wasmport import *  # noqa: F401,F403
from wasmport import __all__  # noqa: F401

__version__ = {version!r}

for _name in {private!r}:
    _sys.modules[__name__ + "." + _name] = globals()[_name] = _importlib.import_module(
        "wasmport.api." + _name)
del _name
'''

_METADATA = """Metadata-Version: 2.1
Name: wasmtime
Version: {version}
Summary: wasmport standing in for the wasmtime package (wasmport shim)
Requires-Python: >=3.9
"""


def write_shim(directory: str, version: str = DEFAULT_VERSION) -> None:
    """Write the ``wasmtime`` package and its dist-info into ``directory``."""
    package = os.path.join(directory, "wasmtime")
    os.makedirs(package, exist_ok=True)
    with open(os.path.join(package, "__init__.py"), "w", encoding="utf-8") as f:
        f.write(_PACKAGE.format(version=version, private=PRIVATE_MODULES))
    open(os.path.join(package, "py.typed"), "w").close()
    info = os.path.join(directory, f"wasmtime-{version}.dist-info")
    os.makedirs(info, exist_ok=True)
    files = {
        "METADATA": _METADATA.format(version=version),
        "top_level.txt": "wasmtime\n",
        "INSTALLER": "wasmport-shim\n",
        "RECORD": "",
    }
    for name, text in files.items():
        with open(os.path.join(info, name), "w", encoding="utf-8") as f:
            f.write(text)


def source_path() -> str:
    """The directory wasmport is imported from (put on PYTHONPATH for the children)."""
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def with_wasmport(base: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """``base`` (default: this environment) with wasmport importable."""
    env = dict(os.environ if base is None else base)
    entries = [source_path()] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    env["PYTHONPATH"] = os.pathsep.join(entries)
    return env


def shim_environment(directory: str, base: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """``base`` (default: this process's environment) with the shim first on PYTHONPATH."""
    env = dict(os.environ if base is None else base)
    entries = [directory, source_path()]
    if env.get("PYTHONPATH"):
        entries.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(entries)
    return env


def command_line(command: Sequence[str]) -> List[str]:
    """The command to run: a ``.py`` script runs under this interpreter."""
    argv = list(command)
    if argv and argv[0].endswith(".py") and not os.access(argv[0], os.X_OK):
        argv.insert(0, sys.executable)
    return argv


def run(command: Sequence[str], version: str = DEFAULT_VERSION) -> int:
    """Run ``command`` under the shim; its exit status."""
    if not command:
        raise ValueError("no command given")
    directory = tempfile.mkdtemp(prefix="wasmport-shim-")
    try:
        write_shim(directory, version)
        child = subprocess.Popen(command_line(command), env=shim_environment(directory))
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:
                continue
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``shim`` to the ``wasmport`` command line."""
    parser = subparsers.add_parser(
        "shim",
        help="run a program with `import wasmtime` resolving to wasmport",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    parser.add_argument("--wasmtime-version", default=DEFAULT_VERSION,
                        help=f"the version the shimmed wasmtime reports (default {DEFAULT_VERSION})")
    parser.add_argument("command", nargs=argparse.REMAINDER, metavar="-- COMMAND [ARGS...]")
    parser.set_defaults(run=run_args)


def run_args(args: argparse.Namespace, out: TextIO) -> int:
    """The ``shim`` subcommand."""
    command = list(args.command)
    if command[:1] == ["--"]:
        command = command[1:]
    if not command:
        print("wasmport shim: no command given (wasmport shim -- COMMAND [ARGS...])",
              file=sys.stderr)
        return 2
    try:
        return run(command, args.wasmtime_version)
    except OSError as error:
        print(f"wasmport shim: cannot run {command[0]}: {error}", file=sys.stderr)
        return 127


def main(argv: Optional[List[str]] = None) -> int:
    """``python -m wasmport.api.shim [--wasmtime-version V] -- COMMAND [ARGS...]``."""
    parser = argparse.ArgumentParser(prog="wasmport shim")
    sub = parser.add_subparsers(dest="sub")
    add_parser(sub)
    return run_args(parser.parse_args(["shim", *(sys.argv[1:] if argv is None else argv)]),
                    sys.stdout)


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["DEFAULT_VERSION", "add_parser", "command_line", "run", "run_args",
           "shim_environment", "source_path", "with_wasmport", "write_shim"]
