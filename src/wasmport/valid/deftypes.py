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


def build_type_space(groups: Sequence[RecType], offset: int) -> TypeSpace:
    """Canonicalise the type section (raising "unknown type" for bad references)."""
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
        if sub.descriptor is not None or sub.describes is not None:
            require_feature(features, Feature.CUSTOM_DESCRIPTORS, "descriptor", offset)
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
    if parent.descriptor is not None:
        if sub.descriptor is None or not types.type_matches(sub.descriptor, parent.descriptor):
            raise ValidationError(
                f"descriptor type {sub.descriptor} does not match"
                f" super type's descriptor {parent.descriptor}",
                offset,
            )
    if parent.describes is not None:
        if sub.describes is None or not types.type_matches(sub.describes, parent.describes):
            raise ValidationError(
                f"described type {sub.describes} does not match"
                f" super type's described type {parent.describes}",
                offset,
            )
    elif sub.describes is not None:
        raise ValidationError("sub type with describes clause requires a describing super type", offset)


def _check_descriptors(
    context: Context, index: int, sub: SubType, start: int, end: int, offset: int
) -> None:
    defined = context.types.defined
    if sub.descriptor is not None:
        descriptor = sub.descriptor
        if not start <= descriptor < end:
            raise ValidationError("descriptor type is outside rec group", offset)
        if not isinstance(sub.composite, StructType):
            raise ValidationError("descriptor clause on a non-struct type", offset)
        if not isinstance(defined[descriptor].composite, StructType):
            raise ValidationError("descriptor type must be a struct", offset)
        if defined[descriptor].describes != index:
            raise ValidationError("type is not described by its descriptor", offset)
    if sub.describes is not None:
        described = sub.describes
        if not start <= described < end:
            raise ValidationError("described type is outside rec group", offset)
        if described >= index:
            raise ValidationError("forward use of described type", offset)
        if not isinstance(sub.composite, StructType):
            raise ValidationError("describes clause on a non-struct type", offset)
        if not isinstance(defined[described].composite, StructType):
            raise ValidationError("described type must be a struct", offset)
        if defined[described].descriptor != index:
            raise ValidationError("described type is not described by descriptor", offset)


def check_types(context: Context, groups: Sequence[RecType], offset: int = -1) -> None:
    """Check every recursion group of the type section in order."""
    start = 0
    for group in groups:
        _check_features(context, group, offset)
        end = start + len(group.subtypes)
        for position, sub in enumerate(group.subtypes):
            index = start + position
            if sub.supertypes:
                _check_supertype(context, index, sub, offset)
            _check_descriptors(context, index, sub, start, end, offset)
        start = end


__all__ = ["build_type_space", "check_types"]
