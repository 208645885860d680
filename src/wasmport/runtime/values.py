"""Runtime forms of reference values that are not instances themselves.

See docs/RUNTIME.md for the value representation: numbers are Python ints and
floats, ``None`` is the null reference, a funcref is a
:class:`~wasmport.runtime.instances.FuncInstance`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Tuple

if TYPE_CHECKING:
    from .instances import TagInstance


class ExternRef:
    """A non-null external reference wrapping an arbitrary host value.

    Two ``ExternRef`` objects are equal when their host values are equal, so
    the script's ``(ref.extern 1)`` compares equal however often it is made.
    """

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExternRef) and other.value == self.value

    def __hash__(self) -> int:
        return hash(("externref", self.value))

    def __repr__(self) -> str:
        return f"ExternRef({self.value!r})"


class ExceptionInstance:
    """A thrown Wasm exception: its tag and the payload values (an ``exnref``)."""

    __slots__ = ("tag", "payload")

    def __init__(self, tag: TagInstance, payload: Tuple[Any, ...]) -> None:
        self.tag = tag
        self.payload = payload

    def __repr__(self) -> str:
        return f"ExceptionInstance({self.tag!r}, {self.payload!r})"


__all__ = ["ExceptionInstance", "ExternRef"]
