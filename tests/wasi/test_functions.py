"""The WASI functions called directly: layouts, errno values, rights, bounds."""

from __future__ import annotations

import os
import socket
import struct
import threading
from pathlib import Path
from typing import Any

import pytest

from wasmport.wasi import WasiExit
from wasmport.wasi.constants import DIRECTORY_RIGHTS, EventType, Filetype, OFlags, Rights
from wasmport.wasi.errno import Errno

OUT_OF_BOUNDS = 65536 - 2


def test_args_and_environment_layout(make_guest: Any) -> None:
    guest = make_guest(args=["prog", "a b", ""], env=[("K", "v=1")])
    assert guest.call("args_sizes_get", 0, 4) == 0
    assert (guest.u32(0), guest.u32(4)) == (3, len(b"prog\0a b\0\0"))
    assert guest.call("args_get", 100, 200) == 0
    pointers = [guest.u32(100 + 4 * i) for i in range(3)]
    assert pointers == [200, 205, 209]
    assert guest.memory.read(200, 10) == b"prog\0a b\0\0"
    assert guest.call("environ_sizes_get", 0, 4) == 0
    assert (guest.u32(0), guest.u32(4)) == (1, 6)
    assert guest.call("environ_get", 100, 200) == 0
    assert guest.memory.read(guest.u32(100), 6) == b"K=v=1\0"


def test_out_of_bounds_pointers_are_efault(make_guest: Any, tmp_path: Path) -> None:
    guest = make_guest(tmp_path, args=["prog"])
    assert guest.call("args_sizes_get", OUT_OF_BOUNDS, 0) == Errno.FAULT
    assert guest.call("args_get", 0, 0xFFFFFFFF) == Errno.FAULT
    assert guest.call("random_get", 65000, 1000) == Errno.FAULT
    assert guest.call("clock_time_get", 0, 0, OUT_OF_BOUNDS) == Errno.FAULT
    guest.memory.write(512, struct.pack("<II", 65530, 100))
    assert guest.call("fd_write", 1, 512, 1, 0) == Errno.FAULT
    assert guest.call("fd_write", 1, 65530, 1000, 0) == Errno.FAULT
    assert guest.call("path_open", 3, 0, 65535, 10, 0, 0, 0, 0, 0) == Errno.FAULT
    assert guest.call("poll_oneoff", 0, OUT_OF_BOUNDS, 1, 0) == Errno.FAULT


def test_invalid_utf8_paths_are_eilseq(make_guest: Any, tmp_path: Path) -> None:
    guest = make_guest(tmp_path)
    guest.memory.write(2000, b"\xff\xfe")
    assert guest.call("path_create_directory", 3, 2000, 2) == Errno.ILSEQ


def test_clocks_and_random(make_guest: Any) -> None:
    guest = make_guest()
    assert guest.call("clock_time_get", 1, 0, 0) == 0
    first = guest.memory.u64(0)
    assert guest.call("clock_time_get", 1, 0, 0) == 0
    assert guest.memory.u64(0) >= first
    assert guest.call("clock_res_get", 0, 8) == 0 and guest.memory.u64(8) >= 1
    assert guest.call("clock_time_get", 9, 0, 0) == Errno.INVAL
    assert guest.call("random_get", 100, 64) == 0
    assert guest.memory.read(100, 64) != bytes(64)
    assert guest.call("sched_yield") == 0
    assert guest.call("proc_raise", 6) == Errno.NOSYS


def test_proc_exit_raises_with_the_code(make_guest: Any) -> None:
    guest = make_guest()
    with pytest.raises(WasiExit) as raised:
        guest.call("proc_exit", 42)
    assert raised.value.code == 42


def test_standard_streams_through_pipes(make_guest: Any) -> None:
    stdin_r, stdin_w = os.pipe()
    stdout_r, stdout_w = os.pipe()
    try:
        guest = make_guest(stdin=stdin_r, stdout=stdout_w)
        os.write(stdin_w, b"in\0put")
        os.close(stdin_w)
        assert guest.read_all(0) == b"in\0put"
        guest.memory.write(3000, b"hello, ")
        guest.memory.write(3100, b"world")
        guest.memory.write(512, struct.pack("<IIII", 3000, 7, 3100, 5))
        assert guest.call("fd_write", 1, 512, 2, 0) == 0
        assert guest.u32(0) == 12
        assert os.read(stdout_r, 100) == b"hello, world"
        assert guest.call("fd_write", 0, 512, 2, 0) == Errno.NOTCAPABLE
        assert guest.call("fd_seek", 1, 0, 0, 0) == Errno.NOTCAPABLE  # streams lack FD_SEEK
    finally:
        for fd in (stdin_r, stdout_r, stdout_w):
            os.close(fd)


def test_file_lifecycle(make_guest: Any, tmp_path: Path) -> None:
    guest = make_guest(tmp_path)
    errno, fd = guest.open("data.bin", OFlags.CREAT | OFlags.EXCL)
    assert errno == 0
    assert guest.open("data.bin", OFlags.CREAT | OFlags.EXCL)[0] == Errno.EXIST
    assert guest.write(fd, b"0123456789") == 0
    assert guest.call("fd_tell", fd, 0) == 0 and guest.memory.u64(0) == 10
    assert guest.call("fd_seek", fd, (1 << 64) - 4, 1, 0) == 0 and guest.memory.u64(0) == 6
    assert guest.read_all(fd) == b"6789"
    guest.memory.write(512, struct.pack("<II", 3000, 3))
    assert guest.call("fd_pread", fd, 512, 1, 2, 0) == 0
    assert guest.memory.read(3000, 3) == b"234"
    assert guest.call("fd_filestat_set_size", fd, 4) == 0
    assert guest.call("fd_filestat_get", fd, 100) == 0
    assert guest.memory.u8(116) == Filetype.REGULAR_FILE
    assert guest.memory.u64(132) == 4
    assert guest.call("fd_allocate", fd, 0, 100) == 0
    assert (tmp_path / "data.bin").stat().st_size == 100
    old, new = guest.string("data.bin"), guest.string("renamed.bin")
    assert guest.call("path_rename", 3, *old, 3, *new) == 0
    assert guest.call("fd_close", fd) == 0
    assert guest.call("fd_close", fd) == Errno.BADF
    assert guest.call("path_unlink_file", 3, *new) == 0
    assert os.listdir(tmp_path) == []


def test_rights_can_only_shrink_and_are_enforced(make_guest: Any, tmp_path: Path) -> None:
    guest = make_guest(tmp_path)
    errno, fd = guest.open("file", OFlags.CREAT, rights=Rights.FD_READ | Rights.FD_WRITE)
    assert errno == 0
    assert guest.call("fd_fdstat_get", fd, 0) == 0
    base = guest.memory.u64(8)
    assert base == Rights.FD_READ | Rights.FD_WRITE
    assert guest.call("fd_fdstat_set_rights", fd, Rights.FD_READ, 0) == 0
    assert guest.write(fd, b"x") == Errno.NOTCAPABLE
    assert guest.call("fd_fdstat_set_rights", fd, base, 0) == Errno.NOTCAPABLE
    directory_rights = DIRECTORY_RIGHTS & ~Rights.PATH_CREATE_DIRECTORY
    assert guest.call("fd_fdstat_set_rights", 3, directory_rights, 0) == 0
    assert guest.call("path_create_directory", 3, *guest.string("d")) == Errno.NOTCAPABLE


def test_preopen_and_readdir(make_guest: Any, tmp_path: Path) -> None:
    (tmp_path / "b").write_bytes(b"")
    (tmp_path / "a").mkdir()
    guest = make_guest(tmp_path, "/sandbox")
    assert guest.call("fd_prestat_get", 3, 0) == 0
    assert (guest.memory.u8(0), guest.u32(4)) == (0, 8)
    assert guest.call("fd_prestat_dir_name", 3, 100, 7) == Errno.NAMETOOLONG
    assert guest.call("fd_prestat_dir_name", 3, 100, 8) == 0
    assert guest.memory.read(100, 8) == b"/sandbox"
    assert guest.call("fd_prestat_get", 2, 0) == Errno.BADF
    assert guest.call("fd_readdir", 3, 1000, 4096, 0, 0) == 0
    used = guest.u32()
    names = []
    offset = 1000
    while offset < 1000 + used:
        _next, _ino, length, kind = struct.unpack_from("<QQIB", guest.memory.read(offset, 21))
        names.append((guest.memory.read(offset + 24, length), kind))
        offset += 24 + length
    assert names == [(b".", 3), (b"..", 3), (b"a", 3), (b"b", 4)]
    assert guest.call("fd_readdir", 3, 1000, 30, 2, 0) == 0
    assert guest.u32() == 30  # "a" (25 bytes) and the start of "b": a full buffer


def test_renumber(make_guest: Any, tmp_path: Path) -> None:
    guest = make_guest(tmp_path)
    _, first = guest.open("one", OFlags.CREAT)
    _, second = guest.open("two", OFlags.CREAT)
    assert guest.call("fd_renumber", first, second) == 0
    assert guest.call("fd_close", first) == Errno.BADF
    assert guest.call("fd_renumber", second, 77) == Errno.BADF
    assert guest.call("fd_close", second) == 0


def test_poll_oneoff_clock_and_readiness(make_guest: Any) -> None:
    reader, writer = os.pipe()
    try:
        guest = make_guest(stdin=reader)
        subscription = struct.pack("<QB7xIxxxxQQH6x", 11, EventType.CLOCK, 1, 5_000_000, 0, 0)
        guest.memory.write(1000, subscription)
        assert guest.call("poll_oneoff", 1000, 2000, 1, 0) == 0
        assert guest.u32() == 1
        assert struct.unpack_from("<QHB", guest.memory.read(2000, 11)) == (11, 0, EventType.CLOCK)
        os.write(writer, b"ready")
        read_sub = struct.pack("<QB7xI28x", 22, EventType.FD_READ, 0)
        bad_sub = struct.pack("<QB7xI28x", 33, EventType.FD_READ, 99)
        guest.memory.write(1000, read_sub + bad_sub + subscription)
        assert guest.call("poll_oneoff", 1000, 2000, 3, 0) == 0
        events = {struct.unpack_from("<QH", guest.memory.read(2000 + 32 * i, 10))
                  for i in range(guest.u32())}
        assert {(33, Errno.BADF), (22, 0)} <= events
        assert guest.call("poll_oneoff", 1000, 2000, 0, 0) == Errno.INVAL
    finally:
        os.close(reader)
        os.close(writer)


def test_sockets(make_guest: Any) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    guest = make_guest(sockets=[listener])
    assert guest.call("sock_accept", 1, 0, 0) == Errno.NOTSOCK
    assert guest.call("sock_accept", 40, 0, 0) == Errno.BADF
    assert guest.call("sock_recv", 1, 0, 0, 0, 0, 4) == Errno.NOTSOCK
    port = listener.getsockname()[1]

    def client() -> None:
        with socket.create_connection(("127.0.0.1", port)) as conn:
            conn.sendall(b"ping")
            assert conn.recv(4) == b"pong"

    thread = threading.Thread(target=client)
    thread.start()
    assert guest.call("sock_accept", 3, 0, 0) == 0
    conn = guest.u32()
    guest.memory.write(512, struct.pack("<II", 3000, 4))
    assert guest.call("sock_recv", conn, 512, 1, 0, 0, 4) == 0
    assert guest.memory.read(3000, guest.u32()) == b"ping"
    guest.memory.write(3000, b"pong")
    assert guest.call("sock_send", conn, 512, 1, 0, 0) == 0 and guest.u32() == 4
    assert guest.call("sock_shutdown", conn, 3) == 0
    thread.join()
    assert guest.call("sock_shutdown", conn, 0) == Errno.INVAL


def test_wasi_unstable_layouts(make_guest: Any, tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"abcdef")
    guest = make_guest(tmp_path)
    _, fd = guest.open("f", rights=Rights.FD_READ | Rights.FD_SEEK | Rights.FD_TELL
                       | Rights.FD_FILESTAT_GET)
    # wasi_unstable numbers whence cur=0, end=1, set=2.
    assert guest.call_unstable("fd_seek", fd, (1 << 64) - 2, 1, 0) == 0
    assert guest.memory.u64(0) == 4
    assert guest.call_unstable("fd_seek", fd, 1, 2, 0) == 0 and guest.memory.u64(0) == 1
    assert guest.call_unstable("fd_filestat_get", fd, 100) == 0
    assert guest.u32(120) == 1 and guest.memory.u64(124) == 6  # nlink u32, size at 24


def test_wasi_unstable_clock_subscription_has_an_identifier(make_guest: Any) -> None:
    guest = make_guest()
    # userdata, tag, then identifier (u64), clock id, timeout, precision, flags: 56 bytes.
    subscription = struct.pack("<QB7xQIxxxxQQH6x", 5, EventType.CLOCK, 99, 1, 1_000_000, 0, 0)
    assert len(subscription) == 56
    guest.memory.write(1000, subscription * 2)
    assert guest.call_unstable("poll_oneoff", 1000, 2000, 2, 0) == 0
    assert guest.u32() == 2
    assert struct.unpack_from("<QHB", guest.memory.read(2000, 11)) == (5, 0, EventType.CLOCK)
