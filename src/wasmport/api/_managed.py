"""The ``Managed`` protocol of wasmtime-py: ``close()``, context manager, ``ptr()``.

A closed (or consumed) object raises ``ValueError('already closed')`` on use.
"""

from __future__ import annotations

from typing import Any, Callable, Generic, Optional, TypeVar

T = TypeVar("T")
M = TypeVar("M", bound="Managed[Any]")


class Managed(Generic[T]):
    """Base of the objects that own a resource: idempotent ``close()``,
    ``with`` support and ``ptr()`` (the wrapped runtime object)."""

    _inner: Optional[T] = None

    def _set_inner(self, inner: T) -> None:
        self._inner = inner

    def ptr(self) -> T:
        """The wrapped object; ``ValueError('already closed')`` after ``close()``."""
        inner = self._inner
        if inner is None:
            raise ValueError("already closed")
        return inner

    def _consume(self) -> T:
        """Take the wrapped object, leaving this one closed."""
        inner = self.ptr()
        self._inner = None
        return inner

    def close(self) -> None:
        """Release the object (idempotent)."""
        self._inner = None

    def __enter__(self: M) -> M:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def setter_property(fset: Callable[[Any, Any], None]) -> property:
    """A write-only property: reading it raises ``AttributeError`` as in wasmtime-py."""
    return property(fset=fset, doc=fset.__doc__)


__all__ = ["Managed", "setter_property"]
