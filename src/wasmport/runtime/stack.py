"""Keeping deep Wasm call chains safe for the Python process.

Each Wasm call is (about) one Python frame, and engines count Wasm frames
themselves, trapping with :class:`~wasmport.errors.Exhaustion` at the
configured maximum depth. Two things make that safe:

* the Python recursion limit is raised (:func:`ensure_recursion_limit`) above
  what the maximum depth can use, so ``RecursionError`` never comes first;
* on interpreters where every Python call also recurses on the C stack
  (CPython before 3.11, PyPy), calls from the host run on one helper thread
  created with a large stack (:data:`DEEP_STACK_BYTES`), so deep chains never
  overflow the C stack. From 3.11, CPython runs Python-to-Python calls without
  C recursion and host calls run on the caller's thread.

Host functions called from Wasm record the depth they were called at
(:func:`enter_host`), so Wasm re-entered from the host keeps counting from there.
"""

from __future__ import annotations

import gc
import platform
import queue
import sys
import threading
from typing import Any, Callable, Optional, Tuple

from ..errors import Exhaustion

#: Stack size of the helper thread (reserved lazily by the OS).
DEEP_STACK_BYTES = 1 << 30

#: Host functions that may be active at once on one thread (each one's round
#: trip recurses on the C stack).
MAX_HOST_NESTING = 1_000

#: Python frames one Wasm call may use (call stub, trampoline, host wrapper).
FRAMES_PER_CALL = 3

#: Whether Python calls recurse on the C stack here.
NEEDS_DEEP_STACK = sys.version_info < (3, 11) or platform.python_implementation() != "CPython"

_local = threading.local()
_limit_lock = threading.Lock()


def current_depth() -> int:
    """The Wasm call depth at which the host was last entered on this thread."""
    return getattr(_local, "depth", 0)  # type: ignore[no-any-return]


def enter_host(depth: int) -> int:
    """Record that Wasm at ``depth`` calls the host; returns the previous value.

    Each Wasm -> host -> Wasm round trip also recurses on the C stack, so at most
    :data:`MAX_HOST_NESTING` host functions may be active on one thread at once;
    one more raises :class:`~wasmport.errors.Exhaustion`.
    """
    nesting = getattr(_local, "host_nesting", 0)
    if nesting >= MAX_HOST_NESTING:
        raise Exhaustion()
    _local.host_nesting = nesting + 1
    previous = getattr(_local, "depth", 0)
    _local.depth = depth + 1
    return previous  # type: ignore[no-any-return]


def leave_host(previous: int) -> None:
    _local.depth = previous
    _local.host_nesting -= 1


def ensure_recursion_limit(max_depth: int) -> None:
    """Raise Python's recursion limit so ``max_depth`` Wasm calls fit below it."""
    wanted = max_depth * FRAMES_PER_CALL + 2_000
    with _limit_lock:
        if sys.getrecursionlimit() < wanted:
            sys.setrecursionlimit(wanted)


class _Worker:
    """One daemon thread with a large stack running calls handed to it."""

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue[Tuple[Callable[[], Any], _Job]] = queue.SimpleQueue()
        previous = threading.stack_size()
        try:
            threading.stack_size(DEEP_STACK_BYTES)
            self.thread = threading.Thread(target=self._run, name="wasmport-deep-stack",
                                           daemon=True)
            self.thread.start()
        finally:
            threading.stack_size(previous)

    def _run(self) -> None:
        while True:
            call, job = self.jobs.get()
            try:
                job.result = call()
            except BaseException as error:  # noqa: BLE001 - handed back to the caller
                job.error = error
            job.done.set()


class _Job:
    __slots__ = ("result", "error", "done")

    def __init__(self) -> None:
        self.result: Any = None
        self.error: Optional[BaseException] = None
        self.done = threading.Event()


_worker: Optional[_Worker] = None
_worker_lock = threading.Lock()


def _get_worker() -> _Worker:
    global _worker
    with _worker_lock:
        if _worker is None:
            _worker = _Worker()
        return _worker


def pause_gc_for_unwinding() -> None:
    """Called when call-stack exhaustion is raised: thousands of frames are about
    to be unwound, and each becomes a frame object for the traceback; the cyclic
    GC would rescan that growing chain quadratically. The host boundary
    (:func:`run_host_call`) resumes it."""
    if gc.isenabled():
        gc.disable()
        _local.gc_paused = True


def _resume_gc() -> None:
    if getattr(_local, "gc_paused", False):
        _local.gc_paused = False
        gc.enable()


def _call(fast: Callable[..., Any], depth: int, args: Tuple[Any, ...]) -> Any:
    try:
        return fast(depth, *args)
    finally:
        _resume_gc()


def run_host_call(fast: Callable[..., Any], args: Tuple[Any, ...]) -> Any:
    """Call ``fast(depth, *args)`` from the host, on a deep stack where needed."""
    depth = current_depth()
    if not NEEDS_DEEP_STACK:
        return _call(fast, depth, args)
    worker = _get_worker()
    if threading.current_thread() is worker.thread:
        return _call(fast, depth, args)
    job = _Job()
    worker.jobs.put((lambda: _call(fast, depth, args), job))
    job.done.wait()
    if job.error is not None:
        raise job.error
    return job.result


__all__ = [
    "DEEP_STACK_BYTES",
    "MAX_HOST_NESTING",
    "NEEDS_DEEP_STACK",
    "current_depth",
    "ensure_recursion_limit",
    "pause_gc_for_unwinding",
    "enter_host",
    "leave_host",
    "run_host_call",
]
