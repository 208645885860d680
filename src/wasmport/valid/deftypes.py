"""Validation of the type section (spec "Types" and "Defined types"):
recursion groups, declared supertypes, and custom-descriptors clauses."""

from __future__ import annotations

from typing import Sequence

from ..errors import ValidationError
from ..features import Feature, Features
from ..syntax.types import (
    CompositeType,
    FuncType,
    RecType,
    StructType,
    SubType,
    ValType,
    unpacked,
)
from .canon import UnknownTypeIndex, canonicalize
from .context import Context, require_feature
from .matching import TypeSpace


def build_type_space(groups: Sequence[RecType], features: Features, offset: int) -> TypeSpace:
    """Canonicalise the type section (raising "unknown type" for bad references)."""
    _check_clauses(groups, features, offset)
    try:
        canon = canonicalize(groups)
    except UnknownTypeIndex as error:
        raise ValidationError(f"unknown type {error.index}", offset) from None
    defined = tuple(sub for group in groups for sub in group.subtypes)
    return TypeSpace(defined, canon)


def _value_types(composite: CompositeType) -> Sequence[ValType]:
    if isinstance(composite, FuncType):
        return composite.params + composite.results
    fields = composite.fields if isinstance(composite, StructType) else (composite.field,)
    return [unpacked(f.storage) for f in fields]


def _check_features(context: Context, group: RecType, offset: int) -> None:
    features: Features = context.features
    if group.explicit or len(group.subtypes) != 1:
        require_feature(features, Feature.GC, "recursion group", offset)
    for sub in group.subtypes:
        if sub.explicit or sub.supertypes or not sub.final:
            require_feature(features, Feature.GC, "sub type", offset)
        if not isinstance(sub.composite, FuncType):
            require_feature(features, Feature.GC, "struct or array type", offset)
        elif len(sub.composite.results) > 1:
            require_feature(features, Feature.MULTI_VALUE, "invalid result arity", offset)
        for t in _value_types(sub.composite):
            context.check_val_type(t, offset)


def _check_supertype(context: Context, index: int, sub: SubType, offset: int) -> None:
    types = context.types
    if len(sub.supertypes) > 1:
        raise ValidationError("multiple supertypes", offset)
    parent_index = sub.supertypes[0]
    if parent_index >= index:
        raise ValidationError(f"unknown type {parent_index}", offset)
    parent = types.defined[parent_index]
    if parent.final:
        raise ValidationError(
            f"sub type {index} does not match super type {parent_index}: super type is final",
            offset,
        )
    if not types.composite_matches(sub.composite, parent.composite):
        raise ValidationError(
            f"sub type {index} does not match super type {parent_index}", offset
        )
    _check_descriptor_subtyping(context, index, sub, parent, offset)


def _check_descriptor_subtyping(
    context: Context, index: int, sub: SubType, parent: SubType, offset: int
) -> None:
    types = context.types
    parent_index = sub.supertypes[0]
    mismatch = f"sub type {index} does not match super type {parent_index}"
    # A subtype may add a descriptor, but must keep (a subtype of) its parent's.
    if parent.descriptor is not None and sub.descriptor is None:
        raise ValidationError(mismatch, offset)
    if parent.descriptor is not None and sub.descriptor is not None:
        if not types.type_matches(sub.descriptor, parent.descriptor):
            raise ValidationError(
                f"descriptor type {sub.descriptor} does not match"
                f" super type's descriptor {parent.descriptor}",
                offset,
            )
    if (parent.describes is None) != (sub.describes is None):
        raise ValidationError(mismatch, offset)
    if parent.describes is not None and sub.describes is not None:
        if not types.type_matches(sub.describes, parent.describes):
            raise ValidationError(
                f"described type {sub.describes} does not match"
                f" super type's described type {parent.describes}",
                offset,
            )


def _check_clauses(
    groups: Sequence[RecType], features: Features, offset: int
) -> None:
    """Descriptor clauses: checked before canonicalisation, which would report a
    reference outside the group as an unknown type."""
    defined = [sub for group in groups for sub in group.subtypes]
    start = 0
    for group in groups:
        end = start + len(group.subtypes)
        for index in range(start, end):
            sub = defined[index]
            if sub.descriptor is None and sub.describes is None:
                continue
            require_feature(features, Feature.CUSTOM_DESCRIPTORS, "descriptor", offset)
            _check_clause_pair(defined, index, start, end, offset)
        start = end


def _check_clause_pair(
    defined: Sequence[SubType], index: int, start: int, end: int, offset: int
) -> None:
    sub = defined[index]
    if sub.descriptor is not None:
        if not start <= sub.descriptor < end:
            raise ValidationError("descriptor type is outside rec group", offset)
        if not isinstance(sub.composite, StructType):
            raise ValidationError("descriptor type must be a struct", offset)
        if defined[sub.descriptor].describes != index:
            raise ValidationError("type is not described by its descriptor", offset)
    if sub.describes is not None:
        if not start <= sub.describes < end:
            raise ValidationError("described type is outside rec group", offset)
        if sub.describes >= index:
            raise ValidationError("forward use of described type", offset)
        if not isinstance(sub.composite, StructType):
            raise ValidationError("described type must be a struct", offset)
        if defined[sub.describes].descriptor != index:
            raise ValidationError("described type is not described by descriptor", offset)


def check_types(context: Context, groups: Sequence[RecType], offset: int = -1) -> None:
    """Check every recursion group of the type section in order."""
    start = 0
    for group in groups:
        context.where = ("type", start)
        _check_features(context, group, offset)
        end = start + len(group.subtypes)
        for position, sub in enumerate(group.subtypes):
            index = start + position
            context.where = ("type", index)
            if sub.supertypes:
                _check_supertype(context, index, sub, offset)
        start = end


__all__ = ["build_type_space", "check_types"]
