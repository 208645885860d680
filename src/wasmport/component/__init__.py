"""Component-model binaries (layer 1): decoding and the first structural checks.

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
offset of the definition):

* every index is in range of its sort's index space as the definitions
  before it built it (core func, table, memory, global, tag, type, module,
  instance; func, value, type, component, instance), also inside types, and
  in the index spaces of their own that component, instance and module types
  build; ``outer`` alias counts against the enclosing scopes;
* import and export names are strongly-unique in their scope; core export
  and instantiation argument names are unique; record field, variant case,
  flag, enum case and parameter labels are unique and in kebab case;
* an index names a type of the right kind where the kind is known: a value
  type's index a defined value type, ``own``/``borrow`` a resource, a func,
  instance or component extern type a type of that kind, a core module extern
  type a module type, ``canon lift`` a function type, ``resource.*`` a
  resource, a module type's function imports and exports a core function
  type (a type exported by an instance is of unknown kind and passes);
* core modules are valid (:func:`wasmport.valid.validate`, default features);
* canonical options are neither repeated nor conflicting;
* no resource type is defined inside a component or instance type, and no core
  sort but ``core module`` is exported;
* the constructs of the features ``wasm-tools`` leaves disabled by default
  (values and start, fixed-length lists, error contexts, threads, ``forward``,
  the further async built-ins) are rejected unless enabled
  (:mod:`wasmport.component.gates`).

Not checked yet -- so a component that decodes may still be invalid, and this
package must not be used to claim agreement with ``wasm-tools validate``:

* the kind of a type that an instance exports (``alias export`` of a type),
  and the types of everything: instantiation arguments against the
  imports of the module or component instantiated, ``alias export`` names and
  sorts against the instance's type, exports against their ascribed type,
  subtyping of component and instance types;
* canonical ABI rules: the core type of a lifted function against the
  flattening of its component type, the ``memory``/``realloc`` a lift or lower
  needs and their types, ``post-return``, the types of the built-ins;
* the syntax of import and export names (plain names, interface names,
  versions, dependency names, URLs, hashes) and the rules of annotated names (``[constructor]``, ``[method]``, ``[static]``);
* ``borrow`` in results and exports, resource types escaping their scope,
  values consumed exactly once, the component-name custom section.
"""

from __future__ import annotations

from .ast import Component
from .decoder import decode_component
from .gates import ComponentFeature

__all__ = ["Component", "ComponentFeature", "decode_component"]
