"""Component-model binaries (layer 1): decoding and validation.

:func:`decode_component` reads a component binary (version ``0x0d``, the
pre-standard version that ``wasm-tools`` 1.2xx writes) into the immutable AST of
:mod:`wasmport.component.ast`: every section -- custom, core module (decoded
by :func:`wasmport.binary.decode_module`), core instance, core type (GC
recursive types and module types), nested component, instance, alias, type
(value, function, component, instance and resource types), canon (``lift``,
``lower`` and every other built-in of the binary format: resources, async
tasks, streams, futures, error contexts, waitable sets, threads), start,
import, export and value (a value's bytes are kept, not decoded). Malformed
input raises
:class:`~wasmport.errors.DecodeError` with the byte offset.

Checked while decoding (:class:`~wasmport.errors.ValidationError`, with the
offset of the definition): index spaces, type kinds where the index space
knows them, name uniqueness, kebab-case labels, feature gates, and the
validity of embedded core modules (:mod:`wasmport.component.check`).

:func:`validate_component` then type-checks the component
(:mod:`wasmport.component.validate`): core and component instantiation
against the imports of what is instantiated (subtyping, with the resources
a component imports bound to those its arguments give), aliases, export
ascriptions, the rule that exports name only exported or imported types,
local resources in imports and exports, ``borrow`` in results, the
Canonical ABI core types of ``canon lift``/``lower`` and of every built-in
with their options (:mod:`wasmport.component.abi`,
:mod:`wasmport.component.builtins`), the syntax and typing of import and
export names (:mod:`wasmport.component.names`), core types defined inside
components, and the limits on type size and depth. Its verdict agrees with
``wasm-tools validate`` (default features) on every component binary of
wasm-tools' own component-model tests (``benchmarks/component_agreement.py``).
"""

from __future__ import annotations

from .ast import Component
from .decoder import decode_component
from .gates import ComponentFeature
from .validate import validate_component

__all__ = ["Component", "ComponentFeature", "decode_component", "validate_component"]
