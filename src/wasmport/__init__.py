"""wasmport: a configurable, lightweight WebAssembly runtime written in Python."""

__version__ = "0.1.0"
