"""Subtyping of component extern types, and opening a component type.

``check(actual, expected)`` holds when a definition of type ``actual`` may be
used where ``expected`` is asked for (an instantiation argument for an import,
an export for its ascribed type):

* value types and function types must be equal (parameter names included);
* an instance type is a subtype of another if it has each of the other's
  exports, each a subtype; extra exports are allowed;
* a component type ``a`` is a subtype of ``b`` if ``b``'s imports satisfy
  ``a``'s imports and ``a``'s exports satisfy ``b``'s exports;
* a core module type likewise, by its imports and exports;
* a type is a subtype of a type when both are the same resource, or both
  the same kind of type and subtypes.

Resources that a type quantifies over (a component type's imported and
defined resources) are *bound* when a type is opened against actual
definitions: :func:`open_imports` finds, for each such resource, the
definition given under the name (and export path) that introduces it, and
maps the resource to the actual one; the expected types are then compared
with that mapping applied.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, Mapping, Optional, Set, Tuple, TypeVar, Union

from ..syntax.types import FuncType as CoreFuncType
from ..syntax.types import GlobalType, Limits, MemoryType, TableType
from . import typesys as ts
from .ast import PrimValType

Pairs = Tuple[Tuple[str, ts.Extern], ...]
_K = TypeVar("_K")
_T = TypeVar("_T")


class Mismatch(Exception):
    """A subtype check failed; the message says where (turned into a
    ValidationError by the caller)."""


# -- binding quantified resources ------------------------------------------------------


def bind(expected: Iterable[Tuple[str, ts.Extern]], actual: Mapping[str, ts.Extern],
         quantified: Set[ts.Resource], mapping: Dict[ts.Resource, ts.Resource]) -> None:
    """Map each resource of ``quantified`` introduced in ``expected`` (as a
    type import/export, possibly inside instances) to the resource the
    definition of the same name in ``actual`` gives, where it gives one."""
    for name, item in expected:
        found = actual.get(name)
        if found is None:
            continue
        if isinstance(item, ts.TypeExtern):
            target = item.type
            if (isinstance(target, ts.Resource) and target in quantified
                    and target not in mapping and isinstance(found, ts.TypeExtern)
                    and isinstance(found.type, ts.Resource)):
                mapping[target] = found.type
        elif isinstance(item, ts.Instance) and isinstance(found, ts.Instance):
            bind(item.exports, dict(found.exports), quantified, mapping)


def rename(expected: ts.Extern, actual: ts.Extern, renames: Dict[int, object]) -> None:
    """Note, for a type import (or a type export of an instance import) that
    ``actual`` satisfies, that the imported type stands for the actual one."""
    if isinstance(expected, ts.TypeExtern) and isinstance(actual, ts.TypeExtern):
        if isinstance(expected.type, ts.Resource):
            if expected.handle is not None and actual.handle is not None:
                renames[id(expected.handle)] = actual.handle
        elif not isinstance(expected.type, PrimValType):
            renames[id(expected.type)] = actual.type
    elif isinstance(expected, ts.Instance) and isinstance(actual, ts.Instance):
        exports = dict(actual.exports)
        for name, item in expected.exports:
            found = exports.get(name)
            if found is not None:
                rename(item, found, renames)


def open_type(actual: Mapping[str, ts.Extern], expected: Pairs,
              quantified: Iterable[ts.Resource], what: str,
              mapping: Optional[Dict[ts.Resource, ts.Resource]] = None
              ) -> Tuple[Dict[ts.Resource, ts.Resource], Dict[int, object]]:
    """Check that ``actual`` provides each of ``expected`` (``what`` is
    ``import`` or ``export``) once ``quantified`` are bound. Returns the
    resource mapping, and the renaming of the types ``expected`` declares
    to those ``actual`` gives (see :func:`rename`)."""
    mapping = {} if mapping is None else mapping
    renames: Dict[int, object] = {}
    bind(expected, actual, set(quantified), mapping)
    for name, item in expected:
        found = actual.get(name)
        if found is None:
            raise Mismatch(f"missing {what} named `{name}`")
        try:
            check(found, ts.substitute(item, mapping))
        except Mismatch as error:
            raise Mismatch(f"type mismatch for {what} `{name}`: {error}") from None
        rename(item, found, renames)
    return mapping, renames


# -- the subtype relation ----------------------------------------------------------------


def check(actual: ts.Extern, expected: ts.Extern) -> None:
    """Raise :class:`Mismatch` unless ``actual`` is a subtype of ``expected``."""
    if type(actual) is not type(expected):
        raise Mismatch(f"expected {ts.describe(expected)}, found {ts.describe(actual)}")
    if isinstance(actual, ts.TypeExtern):
        assert isinstance(expected, ts.TypeExtern)
        any_type(actual.type, expected.type)
    elif isinstance(actual, ts.ValueExtern):
        assert isinstance(expected, ts.ValueExtern)
        val_type(actual.type, expected.type)
    else:
        assert not isinstance(expected, (ts.TypeExtern, ts.ValueExtern))
        any_type(actual, expected)


def any_type(actual: Union[ts.AnyType, ts.ModuleT],
             expected: Union[ts.AnyType, ts.ModuleT]) -> None:
    if isinstance(expected, ts.Resource) or isinstance(actual, ts.Resource):
        if actual is not expected:
            raise Mismatch(f"expected {ts.describe(expected)}, found {ts.describe(actual)}"
                           if type(actual) is not type(expected)
                           else "resource types are not the same")
        return
    for kind, compare in _STRUCTURED:
        if isinstance(expected, kind):
            if not isinstance(actual, kind):
                raise Mismatch(f"expected {ts.describe(expected)}, found {ts.describe(actual)}")
            compare(actual, expected)
            return
    if isinstance(actual, (ts.Func, ts.Instance, ts.ComponentT, ts.ModuleT)):
        raise Mismatch(f"expected defined type, found {ts.describe(actual)}")
    val_type(actual, expected)  # type: ignore[arg-type]


def val_type(actual: ts.ValType, expected: ts.ValType) -> None:
    if actual != expected:
        raise Mismatch("value types differ")


def func(actual: ts.Func, expected: ts.Func) -> None:
    if actual.is_async != expected.is_async:
        raise Mismatch("expected {} function, found {} function".format(
            "async" if expected.is_async else "sync", "async" if actual.is_async else "sync"))
    if len(actual.params) != len(expected.params):
        raise Mismatch(f"expected {len(expected.params)} parameters, "
                       f"found {len(actual.params)}")
    for (name, found), (want, wanted) in zip(actual.params, expected.params):
        if name != want:
            raise Mismatch(f"expected parameter named `{want}`, found `{name}`")
        if found != wanted:
            raise Mismatch(f"type mismatch in function parameter `{name}`")
    if (actual.result is None) != (expected.result is None):
        raise Mismatch("expected a result, found none" if actual.result is None
                       else "expected no result, found one")
    if actual.result != expected.result:
        raise Mismatch("type mismatch with result type")


def provides(found: Mapping[_K, _T], wanted: Iterable[Tuple[_K, _T]],
             match: Callable[[_T, _T], None], what: str, where: str = "",
             show: Callable[[_K], str] = str) -> None:
    """Raise :class:`Mismatch` unless ``found`` has, under each key of
    ``wanted``, an item that ``match``es the item wanted (``what`` names the
    entries in messages, ``where`` what holds them: ``instance``)."""
    for key, item in wanted:
        given = found.get(key)
        if given is None:
            raise Mismatch(f"missing expected {what} `{show(key)}`")
        try:
            match(given, item)
        except Mismatch as error:
            raise Mismatch(f"type mismatch in {where}{what} `{show(key)}`: {error}") from None


def instance(actual: ts.Instance, expected: ts.Instance) -> None:
    provides(dict(actual.exports), expected.exports, check, "export", "instance ")


def component(actual: ts.ComponentT, expected: ts.ComponentT) -> None:
    # What ``expected`` imports must satisfy what ``actual`` imports...
    mapping, renames = open_type(dict(expected.imports), actual.imports, actual.imported,
                                 "import")
    # ...and what ``actual`` exports (so bound) must satisfy ``expected``'s exports.
    exports = dict(ts.substitute(actual.exports, mapping, renames))
    open_type(exports, expected.exports, expected.defined, "export")


def module(actual: ts.ModuleT, expected: ts.ModuleT) -> None:
    # What ``expected`` imports must satisfy what ``actual`` imports...
    provides({(mod, name): item for mod, name, item in expected.imports},
             [((mod, name), item) for mod, name, item in actual.imports], core_item, "import",
             show=lambda key: f"{key[0]}::{key[1]}")
    # ...and what ``actual`` exports must satisfy ``expected``'s exports.
    provides(dict(actual.exports), expected.exports, core_item, "export")


#: The kinds of type compared by their own rules (any other is a value type).
_STRUCTURED: Tuple[Tuple[type, Callable[[Any, Any], None]], ...] = (
    (ts.Func, func), (ts.Instance, instance), (ts.ComponentT, component), (ts.ModuleT, module))


# -- core extern types --------------------------------------------------------------------


def limits(actual: Limits, expected: Limits) -> bool:
    if actual.address is not expected.address or actual.shared != expected.shared:
        return False
    if actual.minimum < expected.minimum:
        return False
    if expected.maximum is None:
        return True
    return actual.maximum is not None and actual.maximum <= expected.maximum


def core_item(actual: ts.CoreItem, expected: ts.CoreItem) -> None:
    """Raise :class:`Mismatch` unless core ``actual`` matches ``expected``."""
    if isinstance(actual, ts.GroupedFuncType) and isinstance(expected, CoreFuncType):
        if not actual.matches(expected):
            raise Mismatch("func types do not match")
        return
    if type(actual) is not type(expected):
        if _core_kind(actual) == _core_kind(expected):
            raise Mismatch(f"{_core_kind(expected)} types do not match")
        raise Mismatch(f"expected {_core_kind(expected)}, found {_core_kind(actual)}")
    ok: bool
    if isinstance(actual, TableType):
        assert isinstance(expected, TableType)
        ok = actual.element == expected.element and limits(actual.limits, expected.limits)
    elif isinstance(actual, MemoryType):
        assert isinstance(expected, MemoryType)
        ok = (limits(actual.limits, expected.limits)
              and actual.page_size == expected.page_size)
    else:
        ok = actual == expected
    if not ok:
        raise Mismatch(f"{_core_kind(expected)} types do not match")


def _core_kind(item: ts.CoreItem) -> str:
    for kind, name in ((CoreFuncType, "func"), (TableType, "table"), (MemoryType, "memory"),
                       (GlobalType, "global"), (ts.CoreTag, "tag")):
        if isinstance(item, kind):
            return name
    return "item"
