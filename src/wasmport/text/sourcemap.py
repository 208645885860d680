"""Where the parts of a module parsed from text were written.

The parser registers a :class:`SourceMap` for each module it builds, outside
the AST (equal modules stay equal whatever their source). The validator tags
its errors with the field and instruction it was checking
(:attr:`ValidationError.field`, :attr:`ValidationError.instr`);
:func:`locate` turns those into the line and column of the source.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Dict, Mapping, Optional, Protocol, Sequence, Tuple

from ..errors import ValidationError
from ..syntax.ast import Module

#: ``(line, column)``, both 1-based.
Position = Tuple[int, int]


class Located(Protocol):
    """A token or list of the source: where it starts."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


@dataclass
class SourceMap:
    """Positions of a module's fields and function bodies' instructions."""

    #: Per field kind ("func", "import", "global", "type", ...): each entity's field.
    fields: Mapping[str, Sequence[Located]] = field(default_factory=dict)
    #: Per defined function: what each instruction starts with, in preorder.
    funcs: Sequence[Sequence[Located]] = ()

    def position(self, error: ValidationError) -> Optional[Position]:
        """Where the construct ``error`` is about was written, if known."""
        if error.field is None:
            return None
        kind, index = error.field
        node: Optional[Located] = None
        if kind == "func" and 0 <= index < len(self.funcs):
            instrs = self.funcs[index]
            if 0 <= error.instr < len(instrs):
                node = instrs[error.instr]
        places = self.fields.get(kind, ())
        if node is None and 0 <= index < len(places):
            node = places[index]
        return None if node is None else (node.line, node.column)


_MAPS: Dict[int, SourceMap] = {}


def register(module: Module, source_map: SourceMap) -> None:
    """Remember where ``module``'s parts were written (for as long as it lives)."""
    key = id(module)
    _MAPS[key] = source_map
    weakref.finalize(module, _MAPS.pop, key, None)


def source_map(module: Module) -> Optional[SourceMap]:
    return _MAPS.get(id(module))


def locate(module: Module, error: ValidationError) -> None:
    """Set ``error``'s line and column if ``module`` came from text."""
    found = _MAPS.get(id(module))
    where = found.position(error) if found is not None else None
    if where is not None:
        error.line, error.column = where


__all__ = ["Located", "Position", "SourceMap", "locate", "register", "source_map"]
