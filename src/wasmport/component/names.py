"""Import and export names of components: their syntax and what they mean.

As ``wasm-tools`` 1.262 accepts them with its default features, a name is

* a plain label in kebab case (``label``: words joined by ``-``, each word
  all lower case or all upper case letters and digits, the first word starting
  with a letter);
* an annotated function name: ``[constructor]r``, ``[method]r.m`` or
  ``[static]r.m``, whose resource label ``r`` must name a resource type
  imported or exported (the same way) in the same scope;
* an interface name ``ns:pkg/iface`` or ``ns:pkg/iface@version``: lower-case
  namespace and package, a kebab interface, a semantic version (``1.2.3``,
  ``1.2.3-rc.1+build``).

Imports and exports allow the same forms (the dependency, URL and hash names
of older versions are gone and read as malformed labels or interfaces).

A name of encoding form 2 carries attributes (:class:`~.ast.NameAttribute`):

* ``implements``: a plain label on an instance implements an interface: the
  attribute is an interface name;
* ``external-id``: free text, on anything;
* ``versionsuffix`` (the *canon names* feature, off by default): on an
  instance named by an interface, or implementing one, the name's version is
  the canonical short form (``1``, ``0.2``, ``0.0.3``, or all of a pre-release
  version) of the whole version, the rest being the suffix.

*Nested names* (``a:b:c/d/e``) are a feature that is off by default.
:func:`parse_extern_name` checks the syntax, :func:`check_name_type` the
rules that need the item's type, and :func:`unique_key` gives the key under
which two names of one scope clash.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace
from typing import List, Mapping, Optional, Tuple, Union

from ..errors import ValidationError
from . import typesys
from .ast import ExternName
from .check import LABEL

# -- semantic versions ------------------------------------------------------------------


class _Rejected(ValueError):
    """A name (or its type) breaks a rule; turned into a ValidationError."""


class VersionError(_Rejected):
    """A version that is not a valid semantic version."""


_MAX_NUMBER = 2 ** 64 - 1
_IDENTIFIER = re.compile(r"[0-9A-Za-z-]+")
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class SemVer:
    """A semantic version ``major.minor.patch[-pre][+build]``; ``pre`` and
    ``build`` are the dot-separated identifiers."""

    major: int
    minor: int
    patch: int
    pre: Tuple[str, ...] = ()
    build: Tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            text += "-" + ".".join(self.pre)
        if self.build:
            text += "+" + ".".join(self.build)
        return text

    def canonical(self) -> str:
        """The shortest form naming this version's compatibility track: the
        major version, ``0.minor``, ``0.0.patch``, or a pre-release version
        whole (build metadata left out)."""
        if self.pre:
            return f"{self.major}.{self.minor}.{self.patch}-" + ".".join(self.pre)
        if self.major:
            return str(self.major)
        if self.minor:
            return f"0.{self.minor}"
        return f"0.0.{self.patch}"


def parse_semver(text: str) -> SemVer:
    """The version ``text`` spells; raises :class:`VersionError`."""
    if not text:
        raise VersionError("empty string, expected a semver version")
    core, plus, build_text = text.partition("+")
    core, minus, pre_text = core.partition("-")
    parts = core.split(".")
    if len(parts) != 3:
        raise VersionError(f"`{core}` is not of the form major.minor.patch")
    numbers = [_version_number(part, what)
               for part, what in zip(parts, ("major", "minor", "patch"))]
    pre = _identifiers(pre_text, "pre-release identifier") if minus else ()
    build = _identifiers(build_text, "build metadata") if plus else ()
    for identifier in pre:
        if _DIGITS.fullmatch(identifier) and len(identifier) > 1 and identifier[0] == "0":
            raise VersionError(f"invalid leading zero in pre-release identifier `{identifier}`")
    return SemVer(numbers[0], numbers[1], numbers[2], pre, build)


def _version_number(text: str, what: str) -> int:
    if _DIGITS.fullmatch(text) is None:
        raise VersionError(f"`{text}` is not a {what} version number")
    if len(text) > 1 and text[0] == "0":
        raise VersionError(f"invalid leading zero in {what} version number")
    value = int(text)
    if value > _MAX_NUMBER:
        raise VersionError(f"value of {what} version number exceeds u64::MAX")
    return value


def _identifiers(text: str, what: str) -> Tuple[str, ...]:
    identifiers = tuple(text.split("."))
    for identifier in identifiers:
        if not identifier:
            raise VersionError(f"empty identifier segment in {what}")
        if _IDENTIFIER.fullmatch(identifier) is None:
            raise VersionError(f"unexpected character in {what} `{identifier}`")
    return identifiers


# -- parsed names -----------------------------------------------------------------------


class NameKind(enum.Enum):
    LABEL = "label"
    CONSTRUCTOR = "constructor"
    METHOD = "method"
    STATIC = "static"
    INTERFACE = "interface"


@dataclass(frozen=True)
class NameFeatures:
    """The optional features names depend on (``wasm-tools`` defaults)."""

    #: ``implements`` and ``external-id`` attributes (on by default).
    implements: bool = True
    #: ``versionsuffix`` attributes.
    canon_names: bool = False
    #: Several namespaces (``a:b:c/d``) and projections (``a:b/c/d``).
    nested_names: bool = False


DEFAULT_FEATURES = NameFeatures()


@dataclass(frozen=True)
class ParsedName:
    """An import or export name, its parts and its attributes.

    ``resource`` is the resource label of an annotated name and ``member``
    the function label of a ``[method]`` or ``[static]`` one. An interface
    name has its ``namespaces`` (one unless nested names are enabled),
    ``package``, ``interfaces`` (the projection, one unless nested) and
    ``version_text`` as written after ``@`` (or None); ``version`` is the
    version it denotes, the ``version_suffix`` attribute appended.
    ``implements`` is the parsed interface name of that attribute."""

    raw: str
    kind: NameKind
    is_import: bool
    resource: str = ""
    member: str = ""
    namespaces: Tuple[str, ...] = ()
    package: str = ""
    interfaces: Tuple[str, ...] = ()
    version_text: Optional[str] = None
    version: Optional[SemVer] = None
    implements: Optional[ParsedName] = None
    version_suffix: Optional[str] = None
    external_id: Optional[str] = None

    @property
    def what(self) -> str:
        """``import name `x``` or ``export name `x```, for messages."""
        return f"{'import' if self.is_import else 'export'} name `{self.raw}`"


# -- syntax ------------------------------------------------------------------------------


_KEBAB_RUN = re.compile(r"[A-Za-z0-9-]*")
_ANNOTATIONS = (("[constructor]", NameKind.CONSTRUCTOR), ("[method]", NameKind.METHOD),
                ("[static]", NameKind.STATIC))


def _kebab(text: str) -> str:
    if LABEL.fullmatch(text) is None:
        raise _Rejected(f"`{text}` is not in kebab case")
    return text


class _Cursor:
    """The unread rest of a name."""

    def __init__(self, text: str) -> None:
        self.rest = text

    def eat(self, prefix: str) -> bool:
        if self.rest.startswith(prefix):
            self.rest = self.rest[len(prefix):]
            return True
        return False

    def expect(self, prefix: str) -> None:
        if not self.eat(prefix):
            raise _Rejected(f"expected `{prefix}` at `{self.rest}`")

    def kebab(self, lowercase: bool = False) -> str:
        """The run of kebab characters that follows, which must be a label."""
        match = _KEBAB_RUN.match(self.rest)
        run = match.group() if match is not None else ""
        self.rest = self.rest[len(run):]
        word = _kebab(run)
        if lowercase:
            upper = next((c for c in word if c.isupper()), None)
            if upper is not None:
                raise _Rejected(f"character `{upper}` is not lowercase in package "
                                   "name/namespace")
        return word


def _parse_syntax(text: str, is_import: bool, features: NameFeatures) -> ParsedName:
    """The parts of ``text``; raises :class:`_Rejected` on a syntax error."""
    for prefix, kind in _ANNOTATIONS:
        if not text.startswith(prefix):
            continue
        rest = text[len(prefix):]
        if kind is NameKind.CONSTRUCTOR:
            return ParsedName(text, kind, is_import, resource=_kebab(rest))
        resource, dot, member = rest.partition(".")
        if not dot:
            raise _Rejected("failed to find `.` character")
        return ParsedName(text, kind, is_import, resource=_kebab(resource),
                          member=_kebab(member))
    if ":" in text:
        return _parse_interface(text, is_import, features)
    return ParsedName(_kebab(text), NameKind.LABEL, is_import)


def _parse_interface(text: str, is_import: bool, features: NameFeatures) -> ParsedName:
    cursor = _Cursor(text)
    namespaces = [cursor.kebab(lowercase=True)]
    cursor.expect(":")
    package = cursor.kebab(lowercase=True)
    while features.nested_names and cursor.eat(":"):
        namespaces.append(package)
        package = cursor.kebab(lowercase=True)
    if not cursor.eat("/"):
        raise _Rejected("expected `/` after package name")
    interfaces = [cursor.kebab()]
    while features.nested_names and cursor.eat("/"):
        interfaces.append(cursor.kebab())
    version_text: Optional[str] = None
    if cursor.eat("@"):
        version_text, cursor.rest = cursor.rest, ""
    if cursor.rest:
        raise _Rejected(f"trailing characters found: `{cursor.rest}`")
    return ParsedName(text, NameKind.INTERFACE, is_import, namespaces=tuple(namespaces),
                      package=package, interfaces=tuple(interfaces),
                      version_text=version_text)


def _attributes(name: ExternName, features: NameFeatures,
                offset: int) -> Tuple[Optional[str], Optional[str], Optional[str]]:
    """The ``implements``, ``versionsuffix`` and ``external-id`` values."""
    if name.form == 2 and not (features.implements or features.canon_names):
        raise ValidationError("the `cm-implements` feature is not active", offset)
    values: List[Optional[str]] = [None, None, None]
    spelled = ("implements", "versionsuffix", "external-id")
    for attribute in name.attributes:
        if not 0 <= attribute.kind <= 2:
            raise ValidationError(f"unknown name attribute {attribute.kind}", offset)
        if values[attribute.kind] is not None:
            raise ValidationError(f"duplicate '{spelled[attribute.kind]}' option in name",
                                  offset)
        values[attribute.kind] = attribute.value
    implements, suffix, external_id = values
    if (implements is not None or external_id is not None) and not features.implements:
        raise ValidationError("the `cm-implements` feature is not active", offset)
    if suffix is not None and not features.canon_names:
        raise ValidationError("the `cm-canon-names` feature is not active", offset)
    return implements, suffix, external_id


def parse_extern_name(name: ExternName, offset: int, *, is_import: bool,
                      features: NameFeatures = DEFAULT_FEATURES) -> ParsedName:
    """Parse and check an import (``is_import``) or export name and its
    attributes, all but the rules that need the item's type
    (:func:`check_name_type`). Raises :class:`ValidationError`."""
    implements_text, suffix, external_id = _attributes(name, features, offset)
    try:
        parsed = _parse_syntax(name.name, is_import, features)
    except _Rejected as error:
        kind = "import" if is_import else "export"
        raise ValidationError(f"{kind} name `{name.name}` is not a valid extern name: "
                              f"{error}", offset) from None
    implements: Optional[ParsedName] = None
    if implements_text is not None:
        if parsed.kind is not NameKind.LABEL:
            raise ValidationError(f"name `{name.name}` is not valid with `implements`", offset)
        implements = _parse_implements(implements_text, is_import, features, offset)
    version_of = implements if implements is not None else parsed
    if suffix is not None and version_of.kind is not NameKind.INTERFACE:
        raise ValidationError("`version-suffix` requires an interface name or `implements`",
                              offset)
    version = _interface_version(version_of, suffix, offset)
    if implements is not None:
        implements = replace(implements, version=version)
    else:
        parsed = replace(parsed, version=version)
    return replace(parsed, implements=implements, version_suffix=suffix,
                   external_id=external_id)


def _parse_implements(text: str, is_import: bool, features: NameFeatures,
                      offset: int) -> ParsedName:
    try:
        parsed = _parse_syntax(text, is_import, features)
    except _Rejected as error:
        raise ValidationError(f"`{text}` is not a valid name: {error}", offset) from None
    if parsed.kind is not NameKind.INTERFACE:
        raise ValidationError(f"name `{text}` must be an interface", offset)
    return parsed


def _interface_version(parsed: ParsedName, suffix: Optional[str],
                       offset: int) -> Optional[SemVer]:
    """The version of an interface name, ``suffix`` appended: a valid
    semantic version, whose written part is canonical when suffixed."""
    if parsed.kind is not NameKind.INTERFACE:
        return None
    if suffix == "":
        raise ValidationError("version suffix cannot be empty", offset)
    written = parsed.version_text
    if written is None:
        if suffix is not None:
            raise ValidationError("invalid interface version: a version suffix requires "
                                  "the name to have a version", offset)
        return None
    try:
        version = parse_semver(written + (suffix or ""))
    except VersionError as error:
        raise ValidationError(f"invalid interface version in `{parsed.raw}`: {error}",
                              offset) from None
    if suffix is not None and version.canonical() != written:
        raise ValidationError(f"invalid interface version: `{written}` is not the canonical "
                              f"version of `{version}`", offset)
    return version


# -- rules that need the item's type ---------------------------------------------------


def check_name_type(parsed: ParsedName, item: typesys.Extern,
                    resources: Mapping[str, object], offset: int) -> None:
    """Check the rules of ``parsed`` against the type of the item it names.

    ``resources`` maps each name under which a resource type was imported
    (for an import) or exported (for an export) in the same scope -- the
    component, component type or instance type; nothing for the exports of an
    instance made of exports -- to the resource, or to the identity of the
    type index the import or export made (as :class:`~wasmport.component.typesys.Own`'s
    ``handle`` refers to it), which the validator gives. Annotated names name
    functions: a constructor returns ``own<r>`` or a result whose ``ok`` is
    ``own<r>`` and is not async, a method's first parameter is ``self:
    borrow<r>``, where ``r`` is a resource known under exactly the resource
    label; a static function's resource label is a known resource name.
    ``implements`` and ``versionsuffix`` attributes go on instances only."""
    try:
        _check_attributes_type(parsed, item)
        rule = _ANNOTATED_RULES.get(parsed.kind)
        if rule is not None:
            if not isinstance(item, typesys.Func):
                raise _Rejected("item is not a func")
            rule(parsed, item, resources)
    except _Rejected as error:
        raise ValidationError(f"{parsed.what} is not valid: {error}", offset) from None


def _check_attributes_type(parsed: ParsedName, item: typesys.Extern) -> None:
    is_instance = isinstance(item, typesys.Instance)
    if parsed.implements is not None and not is_instance:
        raise _Rejected("only instances can have an `implements`")
    if parsed.version_suffix is not None and not is_instance:
        raise _Rejected("only instances can have a `version-suffix`")


def _check_constructor(parsed: ParsedName, func: typesys.Func,
                       resources: Mapping[str, object]) -> None:
    if func.is_async:
        raise _Rejected("constructor function cannot be async")
    result = func.result
    if result is None:
        raise _Rejected("function should return one value")
    if isinstance(result, typesys.Result) and isinstance(result.ok, typesys.Own):
        result = result.ok
    if not isinstance(result, typesys.Own):
        raise _Rejected("function should return `(own $T)` or `(result (own $T))`")
    _check_resource_name(_identity(result), parsed.resource, resources)


def _check_method(parsed: ParsedName, func: typesys.Func,
                  resources: Mapping[str, object]) -> None:
    if not func.params:
        raise _Rejected("function should have at least one argument")
    name, first = func.params[0]
    if name != "self":
        raise _Rejected("function should have a first argument called `self`")
    if not isinstance(first, typesys.Borrow):
        raise _Rejected("function should take a first argument of `(borrow $T)`")
    _check_resource_name(_identity(first), parsed.resource, resources)


def _check_static(parsed: ParsedName, func: typesys.Func,
                  resources: Mapping[str, object]) -> None:
    if parsed.resource not in resources:
        raise _Rejected("static resource name is not known in this context")


_ANNOTATED_RULES = {
    NameKind.CONSTRUCTOR: _check_constructor,
    NameKind.METHOD: _check_method,
    NameKind.STATIC: _check_static,
}


def _identity(handle: Union[typesys.Own, typesys.Borrow]) -> object:
    """What names the resource of a handle type: the identity of the type
    index it was written with (so that a resource exported under two names
    is told apart by the export used), or the resource where that is unknown."""
    return handle.resource if handle.handle is None else handle.handle


def _check_resource_name(resource: object, label: str,
                         resources: Mapping[str, object]) -> None:
    """``resource`` (see :func:`_identity`) must be known in the scope under
    the name ``label`` (compared exactly, case included)."""
    names = [name for name, known in resources.items() if known is resource]
    if not names:
        raise _Rejected("resource used in function does not have a name in this context")
    if label not in names:
        raise _Rejected(f"function does not match expected resource name `{names[0]}`")


# -- uniqueness -------------------------------------------------------------------------


def unique_key(parsed: ParsedName) -> Tuple[str, ...]:
    """The key under which two import names (or two export names) of one scope
    clash: labels, resource and function labels and interface projections
    compared ignoring ASCII case, interface versions as written;
    ``[method]l.l`` and ``[static]l.l`` clash with the label ``l``, and
    ``[method]r.m`` with ``[static]r.m``. Attributes play no part."""
    kind = parsed.kind
    if kind is NameKind.LABEL:
        return ("label", parsed.raw.lower())
    if kind is NameKind.CONSTRUCTOR:
        return ("constructor", parsed.resource.lower())
    if kind is NameKind.INTERFACE:
        return ("interface", ":".join(parsed.namespaces), parsed.package,
                "/".join(parsed.interfaces).lower(), parsed.version_text or "")
    resource, member = parsed.resource.lower(), parsed.member.lower()
    if resource == member:
        return ("label", resource)
    return ("function", resource, member)

