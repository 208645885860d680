"""``Tag``: an exception tag (exception-handling proposal)."""

from __future__ import annotations

from ..runtime import TagInstance
from ..runtime.instantiate import host_function_type_id
from ._error import WasmtimeError
from ._store import Store, Storelike
from ._types import TagType


class Tag:
    """A tag: ``Tag(store, TagType(FuncType(params, [])))`` or an export."""

    def __init__(self, store: Storelike, ty: TagType) -> None:
        if not isinstance(ty, TagType):
            raise TypeError("expected a TagType")
        ctx = store._context()
        raw = ty.ptr()
        self._store = ctx
        self._tag = TagInstance(raw, host_function_type_id(raw))

    @classmethod
    def _wrap(cls, store: Store, tag: TagInstance) -> Tag:
        self = cls.__new__(cls)
        self._store = store
        self._tag = tag
        return self

    def _in(self, store: Storelike) -> TagInstance:
        if store._context() is not self._store:
            raise WasmtimeError("object used with the wrong store")
        return self._tag

    def type(self, store: Storelike) -> TagType:
        """The tag's type."""
        return TagType._of(self._in(store).type)

    def eq(self, store: Storelike, other: Tag) -> bool:
        """Whether ``other`` is the same tag."""
        return isinstance(other, Tag) and self._in(store) is other._tag


__all__ = ["Tag"]
