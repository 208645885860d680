"""``wasmport run`` end to end: small WAT programs in a subprocess."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path
from typing import Dict, Optional

import pytest

from wasmport.runtime import stack

REPO_ROOT = Path(__file__).resolve().parents[2]
HELLO = REPO_ROOT / "tests" / "fixtures" / "hello" / "hello.wasm"

WASI = "wasi_snapshot_preview1"

#: Copies fd $in (a global set by _start's caller) to stdout until end of file.
COPY_LOOP = """
  (func $copy (param $fd i32)
    (local $n i32)
    (loop $again
      (i32.store (i32.const 0) (i32.const 1024))
      (i32.store (i32.const 4) (i32.const 65536))
      (if (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 16))
        (then (call $proc_exit (i32.const 99))))
      (local.set $n (i32.load (i32.const 16)))
      (if (local.get $n)
        (then
          (i32.store (i32.const 4) (local.get $n))
          (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16))
            (then (call $proc_exit (i32.const 98))))
          (br $again)))))
"""

IMPORTS = f"""
  (import "{WASI}" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "{WASI}" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "{WASI}" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 2)
"""

CAT_STDIN = f"""(module {IMPORTS} {COPY_LOOP}
  (func (export "_start") (call $copy (i32.const 0))))"""

CAT_FILE = f"""(module
  (import "{WASI}" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  {IMPORTS}
  (data (i32.const 100) "data.txt")
  {COPY_LOOP}
  (func (export "_start")
    (if (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 8)
                         (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0)
                         (i32.const 200))
      (then (call $proc_exit (i32.const 97))))
    (call $copy (i32.load (i32.const 200)))))"""

NESTED_EXIT = f"""(module {IMPORTS}
  (func $deep (param $n i32)
    (if (local.get $n)
      (then (call $deep (i32.sub (local.get $n) (i32.const 1))))
      (else (call $proc_exit (i32.const 7))))
    unreachable)
  (func (export "_start") (call $deep (i32.const 200)) unreachable))"""

TRAP = """(module
  (func $inner (param i32) (result i32)
    (i32.div_u (i32.const 1) (local.get 0)))
  (func $outer (result i32) (call $inner (i32.const 0)))
  (func (export "_start") (drop (call $outer))))"""

ENV_COUNT = f"""(module
  (import "{WASI}" "environ_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "{WASI}" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $sizes (i32.const 0) (i32.const 4)))
    (call $proc_exit (i32.load (i32.const 0)))))"""

ARITHMETIC = """(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "pair") (param f64) (result f64 i64)
    (f64.mul (local.get 0) (f64.const 2)) (i64.const -1)))"""

SPIN = """(module (func (export "_start") (loop $l (br $l))))"""

START_WRITES = f"""(module
  (import "{WASI}" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 8) "from start\\n")
  (func $init
    (i32.store (i32.const 0) (i32.const 8))
    (i32.store (i32.const 4) (i32.const 11))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 20))))
  (start $init))"""

UNKNOWN_IMPORT = """(module (import "env" "missing" (func)) (func (export "_start")))"""


def wasmport_run(*args: str, stdin: bytes = b"", cwd: Optional[Path] = None,
                 env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess[bytes]:
    environment = {"PYTHONPATH": str(REPO_ROOT / "src"), "PATH": os.environ.get("PATH", "")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "wasmport", "run", *args], input=stdin,
                          capture_output=True, cwd=cwd, env=environment, timeout=300)


@pytest.fixture
def wat(tmp_path: Path):  # type: ignore[no-untyped-def]
    def write(source: str, name: str = "program.wat") -> str:
        path = tmp_path / name
        path.write_text(source, encoding="utf-8")
        return str(path)

    return write


def test_hello_fixture_prints_its_greeting() -> None:
    done = wasmport_run(str(HELLO), "one", "two words")
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"Hello, world!\nargument 1: one\nargument 2: two words\n"


def test_run_is_the_default_command() -> None:
    environment = {"PYTHONPATH": str(REPO_ROOT / "src"), "PATH": os.environ.get("PATH", "")}
    done = subprocess.run([sys.executable, "-m", "wasmport", str(HELLO), "x"],
                          capture_output=True, env=environment, timeout=300)
    assert (done.returncode, done.stdout) == (0, b"Hello, world!\nargument 1: x\n")


def test_argv0_is_the_module_path_unless_given(tmp_path: Path) -> None:
    done = wasmport_run("--argv0", "greeter", str(HELLO))
    assert done.stdout == b"Hello, world!\n"


def test_stdin_is_copied_binary_safe_and_in_order(wat) -> None:  # type: ignore[no-untyped-def]
    data = bytes(range(256)) * 8192 + b"\r\n\0tail"
    done = wasmport_run(wat(CAT_STDIN), stdin=data)
    assert done.returncode == 0, done.stderr
    assert done.stdout == data


def test_stdin_is_read_as_it_arrives(wat) -> None:  # type: ignore[no-untyped-def]
    """Interactive use: each line is echoed before stdin is closed."""
    environment = {"PYTHONPATH": str(REPO_ROOT / "src"), "PATH": os.environ.get("PATH", "")}
    process = subprocess.Popen([sys.executable, "-m", "wasmport", "run", wat(CAT_STDIN)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment)
    assert process.stdin is not None and process.stdout is not None
    try:
        for line in (b"first line\n", b"second\n"):
            process.stdin.write(line)
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], 60)
            assert ready, "no echo before end of input"
            assert os.read(process.stdout.fileno(), 100) == line
        process.stdin.close()
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close()


def test_preopened_directory_is_readable(wat, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "data.txt").write_bytes(b"from the host\n")
    done = wasmport_run("--dir", f"{shared}::/work", wat(CAT_FILE))
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"from the host\n"


def test_without_dir_nothing_is_preopened(wat) -> None:  # type: ignore[no-untyped-def]
    done = wasmport_run(wat(CAT_FILE))
    assert done.returncode == 97


def test_proc_exit_unwinds_nested_frames(wat) -> None:  # type: ignore[no-untyped-def]
    done = wasmport_run(wat(NESTED_EXIT))
    assert done.returncode == 7
    assert done.stderr == b""


def test_start_function_sees_the_memory(wat) -> None:  # type: ignore[no-untyped-def]
    done = wasmport_run(wat(START_WRITES))
    assert (done.returncode, done.stdout) == (0, b"from start\n")


def test_trap_exits_134_with_a_backtrace(wat) -> None:  # type: ignore[no-untyped-def]
    done = wasmport_run(wat(TRAP))
    assert done.returncode == 134
    text = done.stderr.decode()
    assert "wasm trap: integer divide by zero" in text
    assert text.index("!inner") < text.index("!outer")


def test_environment_is_exactly_what_is_given(wat) -> None:  # type: ignore[no-untyped-def]
    program = wat(ENV_COUNT)
    assert wasmport_run(program, env={"LEAK": "1"}).returncode == 0
    assert wasmport_run("--env", "A=1", "--env", "B=", program).returncode == 2
    assert wasmport_run("--env", "LEAK", program, env={"LEAK": "1"}).returncode == 1
    inherited = wasmport_run("-S", "inherit-env", program, env={"LEAK": "1"})
    assert inherited.returncode >= 3  # LEAK, PATH, PYTHONPATH (and what Python adds)


def test_invoke_prints_results(wat) -> None:  # type: ignore[no-untyped-def]
    program = wat(ARITHMETIC)
    done = wasmport_run("--invoke", "add", program, "2", "-5")
    assert (done.returncode, done.stdout) == (0, b"-3\n")
    done = wasmport_run("--invoke", "pair", program, "1.25")
    assert (done.returncode, done.stdout) == (0, b"2.5\n-1\n")


@pytest.mark.parametrize("contents,expected", [
    (None, "no such file"),
    (b"\0asm\x01\0\0\0\x05", "failed to load"),
    (b"(module (func (result i32)))", "failed to load"),
])
def test_unloadable_modules_are_one_line_errors(tmp_path: Path, contents: Optional[bytes],
                                               expected: str) -> None:
    path = tmp_path / "bad.wasm"
    if contents is not None:
        path.write_bytes(contents)
    done = wasmport_run(str(path))
    assert done.returncode == 1
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and expected in lines[0]


def test_unknown_import_is_named(wat) -> None:  # type: ignore[no-untyped-def]
    done = wasmport_run(wat(UNKNOWN_IMPORT))
    assert done.returncode == 1
    assert "`env::missing`" in done.stderr.decode()


BLOCKED_READ = f"""(module {IMPORTS}
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 64)) (i32.store (i32.const 4) (i32.const 16))
    (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 32)))))"""

#: Sleeps for 30 s in poll_oneoff (one relative clock subscription).
LONG_SLEEP = f"""(module
  (import "{WASI}" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (i64.const 30_000_000_000))
    (drop (call $poll (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 200)))))"""


def assert_interrupted(status: int, stderr: bytes, name: str = "program.wat",
                       host_blocked: bool = False) -> None:
    assert status == 134
    lines = stderr.decode().splitlines()
    assert lines[0] == f"Error: failed to run main module `{lines[0].split('`')[1]}`"
    assert lines[0].endswith(f"{name}`")
    assert "    0: failed to invoke command default" in lines
    if host_blocked and stack.NEEDS_DEEP_STACK and lines[-1] == "    1: wasm trap: interrupt":
        # Where Wasm runs on the deep-stack helper thread (CPython < 3.11, PyPy),
        # the interrupt of a blocked host call is raised in the main thread,
        # which has no Wasm frames to report.
        return
    assert lines[-1] == "    2: wasm trap: interrupt"


def test_timeout_interrupts_an_infinite_loop(wat) -> None:  # type: ignore[no-untyped-def]
    done = wasmport_run("-W", "timeout=0.5s", wat(SPIN))
    assert_interrupted(done.returncode, done.stderr)
    assert "    1: error while executing at wasm backtrace:" in done.stderr.decode()


def test_timeout_ends_a_read_blocked_on_a_pipe(wat) -> None:  # type: ignore[no-untyped-def]
    environment = {"PYTHONPATH": str(REPO_ROOT / "src"), "PATH": os.environ.get("PATH", "")}
    process = subprocess.Popen(
        [sys.executable, "-m", "wasmport", "run", "-W", "timeout=300ms", wat(BLOCKED_READ)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
    try:
        # stdin stays open (nothing written): the guest would wait forever.
        status = process.wait(timeout=120)
        assert process.stderr is not None
        assert_interrupted(status, process.stderr.read(), host_blocked=True)
    finally:
        if process.poll() is None:
            process.kill()
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_timeout_ends_a_sleep_in_poll_oneoff(wat) -> None:  # type: ignore[no-untyped-def]
    done = wasmport_run("-W", "timeout=300ms", wat(LONG_SLEEP))
    assert_interrupted(done.returncode, done.stderr, host_blocked=True)


def test_a_program_done_before_its_timeout_exits_normally(wat) -> None:  # type: ignore[no-untyped-def]
    done = wasmport_run("-W", "timeout=60s", str(HELLO), "x")
    assert (done.returncode, done.stdout) == (0, b"Hello, world!\nargument 1: x\n")
    done = wasmport_run("-W", "timeout=60s", wat(ENV_COUNT), env={})
    assert done.returncode == 0


def test_unknown_engine_is_a_one_line_error() -> None:
    done = wasmport_run("--engine", "no-such-tier", str(HELLO))
    assert done.returncode == 1
    assert done.stderr.decode().startswith("error: unknown engine 'no-such-tier'")
    assert b"Traceback" not in done.stderr


def test_a_module_the_engine_cannot_run_fails_to_load(wat) -> None:  # type: ignore[no-untyped-def]
    # The portable engine does not execute GC yet: the module is refused when
    # it is loaded, naming the feature, rather than failing once it runs.
    path = wat("""(module (type $s (struct (field i32)))
      (func (export "_start") (drop (struct.new $s (i32.const 1)))))""")
    done = wasmport_run(path)
    assert done.returncode == 1
    assert b"gc support is not enabled" in done.stderr
    assert b"Traceback" not in done.stderr
