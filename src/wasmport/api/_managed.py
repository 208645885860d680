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


class setter_property:  # noqa: N801 - used like the ``property`` builtin
    """A write-only property: reading it raises ``AttributeError`` with the
    message wasmtime-py's readers see on current Pythons ("property 'x' of 'C'
    object has no getter"), on every Python version."""

    def __init__(self, fset: Callable[[Any, Any], None]) -> None:
        self.fset = fset
        self.name = fset.__name__
        self.__doc__ = fset.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: Optional[type] = None) -> Any:
        if instance is None:
            return self
        raise AttributeError(
            f"property '{self.name}' of '{type(instance).__name__}' object has no getter"
        )

    def __set__(self, instance: Any, value: Any) -> None:
        self.fset(instance, value)


__all__ = ["Managed", "setter_property"]
