"""The abstract syntax of a component-model binary (layer 1).

The nodes follow the productions of the component model's binary format
(``design/mvp/Binary.md``): one frozen dataclass per production, tuples for
sequences. A component is the flat sequence of its definitions in binary order
(:attr:`Component.fields`), as the explainer's ``flatten`` gives it, plus a
record of its sections (:attr:`Component.sections`).

Core modules inside a component are the core decoder's :class:`~wasmport.syntax.ast.Module`;
core value and recursive types are the core :mod:`wasmport.syntax.types`.

Every field that starts a definition keeps its byte offset (``offset``, not
part of equality), so a later validator can point at it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional, Tuple, Union

from ..syntax.ast import ExternKind as CoreExternKind
from ..syntax.ast import ImportType as CoreImportType
from ..syntax.ast import Module
from ..syntax.types import RecType
from ..syntax.types import ValType as CoreValType

# -- sorts and indices ----------------------------------------------------------


class CoreSort(enum.Enum):
    """The sorts of core definitions; the value is the binary byte."""

    FUNC = 0x00
    TABLE = 0x01
    MEMORY = 0x02
    GLOBAL = 0x03
    TAG = 0x04
    TYPE = 0x10
    MODULE = 0x11
    INSTANCE = 0x12


class ComponentSort(enum.Enum):
    """The sorts of component definitions; the value is the binary byte
    (``0x00`` is the prefix of a core sort and has no member)."""

    FUNC = 0x01
    VALUE = 0x02
    TYPE = 0x03
    COMPONENT = 0x04
    INSTANCE = 0x05


#: A sort of either level: each names one index space of a component.
Sort = Union[CoreSort, ComponentSort]


@dataclass(frozen=True)
class SortIndex:
    """``sort idx``: an index into one sort's index space."""

    sort: Sort
    index: int


# -- names ------------------------------------------------------------------------


@dataclass(frozen=True)
class NameAttribute:
    """An attribute of an import or export name: ``kind`` 0 ``implements``,
    1 ``versionsuffix``, 2 ``external-id``."""

    kind: int
    value: str


@dataclass(frozen=True)
class ExternName:
    """An import or export name (``nameattributes``): the encoding byte
    ``form`` (0, 1 or 2), the name and its attributes (form 2 only)."""

    name: str
    form: int = 0
    attributes: Tuple[NameAttribute, ...] = ()


# -- value types --------------------------------------------------------------------


class PrimValType(enum.Enum):
    """The primitive value types; the value is the binary byte."""

    BOOL = 0x7F
    S8 = 0x7E
    U8 = 0x7D
    S16 = 0x7C
    U16 = 0x7B
    S32 = 0x7A
    U32 = 0x79
    S64 = 0x78
    U64 = 0x77
    F32 = 0x76
    F64 = 0x75
    CHAR = 0x74
    STRING = 0x73
    ERROR_CONTEXT = 0x64


#: ``valtype``: a primitive type or an index into the type index space.
ValType = Union[PrimValType, int]


@dataclass(frozen=True)
class RecordType:
    fields: Tuple[Tuple[str, ValType], ...]


@dataclass(frozen=True)
class VariantCase:
    label: str
    type: Optional[ValType]


@dataclass(frozen=True)
class VariantType:
    cases: Tuple[VariantCase, ...]


@dataclass(frozen=True)
class ListType:
    """``(list t)``, or ``(list t len)`` when ``length`` is set (fixed-length lists)."""

    element: ValType
    length: Optional[int] = None


@dataclass(frozen=True)
class TupleType:
    types: Tuple[ValType, ...]


@dataclass(frozen=True)
class FlagsType:
    labels: Tuple[str, ...]


@dataclass(frozen=True)
class EnumType:
    labels: Tuple[str, ...]


@dataclass(frozen=True)
class OptionType:
    type: ValType


@dataclass(frozen=True)
class ResultType:
    ok: Optional[ValType]
    error: Optional[ValType]


@dataclass(frozen=True)
class OwnType:
    """``(own i)``: an owned handle of the resource type ``i``."""

    type_index: int


@dataclass(frozen=True)
class BorrowType:
    """``(borrow i)``: a borrowed handle of the resource type ``i``."""

    type_index: int


@dataclass(frozen=True)
class StreamType:
    element: Optional[ValType]


@dataclass(frozen=True)
class FutureType:
    element: Optional[ValType]


@dataclass(frozen=True)
class MapType:
    key: ValType
    value: ValType


DefValType = Union[
    PrimValType, RecordType, VariantType, ListType, TupleType, FlagsType, EnumType,
    OptionType, ResultType, OwnType, BorrowType, StreamType, FutureType, MapType,
]


# -- function, resource, component and instance types -----------------------------------


@dataclass(frozen=True)
class FuncType:
    """``(func async? (param l t)* (result t)?)``."""

    params: Tuple[Tuple[str, ValType], ...]
    result: Optional[ValType]
    is_async: bool = False


@dataclass(frozen=True)
class ResourceType:
    """``(resource (rep t) (dtor f)?)``: ``rep`` is a core value type, ``dtor`` a core func index."""

    rep: CoreValType
    destructor: Optional[int]


class ExternTypeKind(enum.Enum):
    """The kinds of ``externtype``; the value is the binary byte."""

    MODULE = 0x00
    FUNC = 0x01
    VALUE = 0x02
    TYPE = 0x03
    COMPONENT = 0x04
    INSTANCE = 0x05


@dataclass(frozen=True)
class ExternType:
    """A core module, func, component or instance ``externtype``: its type index
    (a core type index for a module, else a component type index)."""

    kind: ExternTypeKind
    type_index: int


@dataclass(frozen=True)
class TypeBound:
    """``(type (eq i))``, or ``(type (sub resource))`` when ``eq`` is None."""

    eq: Optional[int]


@dataclass(frozen=True)
class ValueBound:
    """``(value t)``. (The binary format's document also has ``(value (eq i))``;
    ``wasm-tools`` writes a value's extern type as a bare ``valtype``, and so
    does this decoder read it.)"""

    type: ValType


ExternDesc = Union[ExternType, TypeBound, ValueBound]


@dataclass(frozen=True)
class AliasExport:
    """``export i n``: export ``n`` of the component instance ``i``."""

    instance: int
    name: str


@dataclass(frozen=True)
class AliasCoreExport:
    """``core export i n``: export ``n`` of the core instance ``i``."""

    instance: int
    name: str


@dataclass(frozen=True)
class AliasOuter:
    """``outer ct idx``: index ``idx`` of the scope ``ct`` levels out (0: this one)."""

    count: int
    index: int


@dataclass(frozen=True)
class Alias:
    sort: Sort
    target: Union[AliasExport, AliasCoreExport, AliasOuter]
    offset: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class CoreTypeDecl:
    """A core type declarator of a component or instance type."""

    type: CoreType


@dataclass(frozen=True)
class TypeDecl:
    """A type declarator of a component or instance type."""

    type: DefType


@dataclass(frozen=True)
class AliasDecl:
    alias: Alias


@dataclass(frozen=True)
class ImportDecl:
    """An import declarator (component types only)."""

    name: ExternName
    desc: ExternDesc


@dataclass(frozen=True)
class ExportDecl:
    name: ExternName
    desc: ExternDesc


InstanceDecl = Union[CoreTypeDecl, TypeDecl, AliasDecl, ExportDecl]
ComponentDecl = Union[CoreTypeDecl, TypeDecl, AliasDecl, ImportDecl, ExportDecl]


@dataclass(frozen=True)
class ComponentType:
    decls: Tuple[ComponentDecl, ...]


@dataclass(frozen=True)
class InstanceType:
    decls: Tuple[InstanceDecl, ...]


DefType = Union[DefValType, FuncType, ComponentType, InstanceType, ResourceType]


# -- core types -----------------------------------------------------------------------


@dataclass(frozen=True)
class CoreImportDecl:
    module: str
    name: str
    kind: CoreExternKind
    type: CoreImportType


@dataclass(frozen=True)
class CoreExportDecl:
    name: str
    kind: CoreExternKind
    type: CoreImportType


@dataclass(frozen=True)
class CoreAliasDecl:
    """``(alias outer ct idx (type))``: a core type of an enclosing scope."""

    count: int
    index: int


@dataclass(frozen=True)
class CoreRecTypeDecl:
    type: RecType


ModuleDecl = Union[CoreImportDecl, CoreRecTypeDecl, CoreAliasDecl, CoreExportDecl]


@dataclass(frozen=True)
class ModuleType:
    decls: Tuple[ModuleDecl, ...]


#: ``core:deftype``: a (GC) recursive type group or a module type.
CoreType = Union[RecType, ModuleType]


# -- canonical definitions ------------------------------------------------------------


class CanonOptionKind(enum.Enum):
    """The canonical options; the value is the binary byte."""

    UTF8 = 0x00
    UTF16 = 0x01
    LATIN1_UTF16 = 0x02
    MEMORY = 0x03
    REALLOC = 0x04
    POST_RETURN = 0x05
    ASYNC = 0x06
    CALLBACK = 0x07


@dataclass(frozen=True)
class CanonOption:
    """A canonical option; ``index`` is the core memory or func index of
    ``memory``, ``realloc``, ``post-return`` and ``callback``."""

    kind: CanonOptionKind
    index: Optional[int] = None


@dataclass(frozen=True)
class CanonLift:
    """``canon lift``: defines a component func of type ``type_index`` from a core func."""

    core_func: int
    options: Tuple[CanonOption, ...]
    type_index: int
    offset: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class CanonLower:
    """``canon lower``: defines a core func from a component func."""

    func: int
    options: Tuple[CanonOption, ...]
    offset: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class CanonBuiltin:
    """Any other canonical built-in (``resource.new``, ``task.return``,
    ``waitable-set.wait``...): each defines one core func. ``name`` is the
    built-in's text-format name; the immediates it has are set, the others
    keep their defaults. ``flag`` is its ``async`` or ``cancellable``
    immediate."""

    name: str
    opcode: int
    type_index: Optional[int] = None
    core_type_index: Optional[int] = None
    memory: Optional[int] = None
    table: Optional[int] = None
    options: Tuple[CanonOption, ...] = ()
    flag: bool = False
    result: Optional[ValType] = None
    core_valtype: Optional[CoreValType] = None
    context_index: Optional[int] = None
    offset: int = field(default=-1, compare=False)


Canon = Union[CanonLift, CanonLower, CanonBuiltin]


# -- instances, start, imports, exports, values ----------------------------------------------


@dataclass(frozen=True)
class CoreInstantiateArg:
    name: str
    instance: int


@dataclass(frozen=True)
class CoreInstantiate:
    module: int
    args: Tuple[CoreInstantiateArg, ...]
    offset: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class CoreInlineExport:
    name: str
    sort: CoreSort
    index: int


@dataclass(frozen=True)
class CoreInlineExports:
    """A core instance made of exports of existing core definitions."""

    exports: Tuple[CoreInlineExport, ...]
    offset: int = field(default=-1, compare=False)


CoreInstance = Union[CoreInstantiate, CoreInlineExports]


@dataclass(frozen=True)
class InstantiateArg:
    name: str
    item: SortIndex


@dataclass(frozen=True)
class Instantiate:
    component: int
    args: Tuple[InstantiateArg, ...]
    offset: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class InlineExport:
    name: ExternName
    item: SortIndex


@dataclass(frozen=True)
class InlineExports:
    """A component instance made of exports of existing definitions."""

    exports: Tuple[InlineExport, ...]
    offset: int = field(default=-1, compare=False)


Instance = Union[Instantiate, InlineExports]


@dataclass(frozen=True)
class CoreModuleDef:
    module: Module
    offset: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class CoreTypeDef:
    type: CoreType
    offset: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class TypeDef:
    type: DefType
    offset: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Start:
    """``start f (value arg)* (result (value))^results``."""

    func: int
    args: Tuple[int, ...]
    results: int
    offset: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Import:
    name: ExternName
    desc: ExternDesc
    offset: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Export:
    name: ExternName
    item: SortIndex
    desc: Optional[ExternDesc]
    offset: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Value:
    """A value definition: its type and the encoded value (not decoded further)."""

    type: ValType
    data: bytes
    offset: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Custom:
    name: str
    data: bytes
    offset: int = field(default=-1, compare=False)


class SectionId(enum.Enum):
    CUSTOM = 0
    CORE_MODULE = 1
    CORE_INSTANCE = 2
    CORE_TYPE = 3
    COMPONENT = 4
    INSTANCE = 5
    ALIAS = 6
    TYPE = 7
    CANON = 8
    START = 9
    IMPORT = 10
    EXPORT = 11
    VALUE = 12


@dataclass(frozen=True)
class Section:
    """Where a section was and how many definitions it held: ``offset`` is the
    offset of its id byte, ``contents`` that of its contents, ``size`` their size."""

    id: SectionId
    offset: int
    contents: int
    size: int
    count: int


@dataclass(frozen=True)
class Component:
    """A decoded component: its definitions in binary order and its sections."""

    fields: Tuple[ComponentField, ...]
    sections: Tuple[Section, ...]
    offset: int = field(default=0, compare=False)

    @property
    def imports(self) -> Tuple[Import, ...]:
        return tuple(item for item in self.fields if isinstance(item, Import))

    @property
    def exports(self) -> Tuple[Export, ...]:
        return tuple(item for item in self.fields if isinstance(item, Export))


ComponentField = Union[
    CoreModuleDef, CoreInstance, CoreTypeDef, Component, Instance, Alias, TypeDef, Canon,
    Start, Import, Export, Value, Custom,
]
