"""The printer: a module AST back to WAT text.

:func:`print_module` writes every module field in the flat (unfolded)
instruction style, one instruction per line, with numeric indices for every
reference. Definitions carry ``$id`` names taken from the module's ``name``
section where such a name is a valid, unique identifier in its index space.

Instruction operands are derived from the opcode table: each row's ``imms``
say what ``Instr.args`` holds and how to write it. Floats are written as exact
hexadecimal floats (or ``inf`` / ``nan:0x...``), so that parsing the text gives
back the same bits. Nested bodies are walked with an explicit stack, so
deeply nested input cannot exhaust Python's recursion limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from ..errors import InternalError
from ..syntax import ast, opcodes
from ..syntax.opcodes import Imm, Op, OpClass
from ..syntax.types import (
    AbsHeapType,
    AddrType,
    ArrayType,
    FieldType,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    NumType,
    PackedType,
    RefType,
    StorageType,
    StructType,
    SubType,
    TableType,
    ValType,
)

INDENT = "  "

# --- values ----------------------------------------------------------------

_PRINTABLE = {byte: chr(byte) for byte in range(0x20, 0x7F)}
_PRINTABLE[ord('"')] = '\\"'
_PRINTABLE[ord("\\")] = "\\\\"
_BYTE_TEXT = tuple(_PRINTABLE.get(byte, f"\\{byte:02x}") for byte in range(256))


def string_text(data: Union[bytes, str]) -> str:
    """A string literal for ``data`` (a ``str`` is written as its UTF-8 bytes)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return '"' + "".join([_BYTE_TEXT[byte] for byte in raw]) + '"'


def _float_text(bits: int, exponent_bits: int, mantissa_bits: int) -> str:
    sign = "-" if bits >> (exponent_bits + mantissa_bits) & 1 else ""
    exponent = (bits >> mantissa_bits) & ((1 << exponent_bits) - 1)
    mantissa = bits & ((1 << mantissa_bits) - 1)
    if exponent == (1 << exponent_bits) - 1:
        if mantissa == 0:
            return f"{sign}inf"
        if mantissa == 1 << (mantissa_bits - 1):
            return f"{sign}nan"
        return f"{sign}nan:0x{mantissa:x}"
    if exponent == 0 and mantissa == 0:
        return f"{sign}0x0p+0"
    pad = -mantissa_bits % 4
    digits = f"{mantissa << pad:0{(mantissa_bits + pad) // 4}x}".rstrip("0")
    fraction = f".{digits}" if digits else ""
    bias = (1 << (exponent_bits - 1)) - 1
    if exponent == 0:
        return f"{sign}0x0{fraction}p{1 - bias:+d}"
    return f"{sign}0x1{fraction}p{exponent - bias:+d}"


def f32_text(bits: int) -> str:
    """The exact text of the ``f32`` with these raw bits."""
    return _float_text(bits & 0xFFFFFFFF, 8, 23)


def f64_text(bits: int) -> str:
    """The exact text of the ``f64`` with these raw bits."""
    return _float_text(bits & 0xFFFFFFFFFFFFFFFF, 11, 52)


def v128_text(data: bytes) -> str:
    """A ``v128.const`` operand: the shape ``i32x4`` and four hexadecimal lanes."""
    if len(data) != 16:
        raise InternalError(f"v128 immediate of {len(data)} bytes")
    lanes = (int.from_bytes(data[i : i + 4], "little") for i in range(0, 16, 4))
    return "i32x4 " + " ".join(f"0x{lane:08x}" for lane in lanes)


# --- types -----------------------------------------------------------------

#: ``(ref null ht)`` short-hands for the abstract heap types.
_SHORTHANDS = {
    AbsHeapType.FUNC: "funcref",
    AbsHeapType.EXTERN: "externref",
    AbsHeapType.ANY: "anyref",
    AbsHeapType.EQ: "eqref",
    AbsHeapType.I31: "i31ref",
    AbsHeapType.STRUCT: "structref",
    AbsHeapType.ARRAY: "arrayref",
    AbsHeapType.EXN: "exnref",
    AbsHeapType.NONE: "nullref",
    AbsHeapType.NOEXTERN: "nullexternref",
    AbsHeapType.NOFUNC: "nullfuncref",
    AbsHeapType.NOEXN: "nullexnref",
}


def heap_text(heap: Any, exact: bool = False) -> str:
    """A heap type: an abstract type's keyword or a type index.

    A :class:`RefType` in a heap-type position stands for its heap type (and
    its exactness).
    """
    if isinstance(heap, RefType):
        return heap_text(heap.heap, heap.exact or exact)
    if isinstance(heap, AbsHeapType):
        text = heap.text
    elif isinstance(heap, int):
        text = str(heap)
    else:
        raise InternalError(f"not a heap type: {heap!r}")
    return f"(exact {text})" if exact else text


def ref_text(nullable: bool, heap: Any, exact: bool = False) -> str:
    """A reference type, using the short-hand form where there is one."""
    if isinstance(heap, RefType):
        exact = exact or heap.exact
        heap = heap.heap
    if nullable and not exact and isinstance(heap, AbsHeapType):
        return _SHORTHANDS[heap]
    return f"(ref {'null ' if nullable else ''}{heap_text(heap, exact)})"


def valtype_text(valtype: StorageType) -> str:
    """A value or storage type."""
    if isinstance(valtype, (NumType, PackedType)):
        return valtype.text
    if isinstance(valtype, RefType):
        return ref_text(valtype.nullable, valtype.heap, valtype.exact)
    raise InternalError(f"not a value type: {valtype!r}")


def _field_text(field: FieldType, name: Optional[str] = None) -> str:
    storage = valtype_text(field.storage)
    if field.mutable:
        storage = f"(mut {storage})"
    return f"(field {name} {storage})" if name else f"(field {storage})"


def _params_results(func: FuncType, param_ids: Optional[Dict[int, str]] = None) -> str:
    ids = param_ids or {}
    params = [valtype_text(param) for param in func.params]
    if any(index in ids for index in range(len(params))):
        parts = [
            f"(param {ids[index]} {text})" if index in ids else f"(param {text})"
            for index, text in enumerate(params)
        ]
    else:
        parts = [f"(param {' '.join(params)})"] if params else []
    if func.results:
        parts.append(f"(result {' '.join(valtype_text(r) for r in func.results)})")
    return " ".join(parts)


def composite_text(composite: Any, field_ids: Optional[Dict[int, str]] = None) -> str:
    """A composite type: ``(func ...)``, ``(struct ...)`` or ``(array ...)``."""
    if isinstance(composite, FuncType):
        inner = _params_results(composite)
        return f"(func {inner})" if inner else "(func)"
    if isinstance(composite, StructType):
        ids = field_ids or {}
        fields = [_field_text(f, ids.get(i)) for i, f in enumerate(composite.fields)]
        return f"(struct {' '.join(fields)})" if fields else "(struct)"
    if isinstance(composite, ArrayType):
        inner = _field_text(composite.field)[len("(field ") : -1]
        return f"(array {inner})"
    raise InternalError(f"not a composite type: {composite!r}")


def subtype_text(sub: SubType, field_ids: Optional[Dict[int, str]] = None) -> str:
    """The body of a ``(type ...)`` definition."""
    parts: List[str] = []
    if sub.describes is not None:
        parts.append(f"(describes {sub.describes})")
    if sub.descriptor is not None:
        parts.append(f"(descriptor {sub.descriptor})")
    parts.append(composite_text(sub.composite, field_ids))
    if sub.explicit or not sub.final or sub.supertypes:
        head = ["sub"] + (["final"] if sub.final else []) + [str(s) for s in sub.supertypes]
        return f"({' '.join(head + parts)})"
    return " ".join(parts)


def limits_text(limits: Limits) -> str:
    words = ["i64"] if limits.address is AddrType.I64 else []
    words.append(str(limits.minimum))
    if limits.maximum is not None:
        words.append(str(limits.maximum))
    if limits.shared:
        words.append("shared")
    return " ".join(words)


def memory_type_text(memory: MemoryType) -> str:
    text = limits_text(memory.limits)
    if memory.page_size_log2 is not None:
        text += f" (pagesize {memory.page_size})"
    return text


def table_type_text(table: TableType) -> str:
    return f"{limits_text(table.limits)} {valtype_text(table.element)}"


def global_type_text(glob: GlobalType) -> str:
    text = valtype_text(glob.value)
    return f"(mut {text})" if glob.mutable else text


# --- instructions ----------------------------------------------------------


def block_type_text(block_type: ast.BlockType) -> str:
    if block_type is None:
        return ""
    if isinstance(block_type, int):
        return f"(type {block_type})"
    return f"(result {valtype_text(block_type)})"


_CATCH_TEXT = {
    ast.CatchKind.CATCH: "catch",
    ast.CatchKind.CATCH_REF: "catch_ref",
    ast.CatchKind.CATCH_ALL: "catch_all",
    ast.CatchKind.CATCH_ALL_REF: "catch_all_ref",
}


def _catches_text(catches: Sequence[ast.Catch]) -> str:
    parts = []
    for catch in catches:
        tag = "" if catch.tag is None else f" {catch.tag}"
        parts.append(f"({_CATCH_TEXT[catch.kind]}{tag} {catch.label})")
    return " ".join(parts)


def _memarg_text(memarg: ast.MemArg, op: Op) -> str:
    words = [str(memarg.memory)] if memarg.memory else []
    if memarg.offset:
        words.append(f"offset={memarg.offset}")
    if op.mem_bytes and memarg.align != op.mem_bytes.bit_length() - 1:
        words.append(f"align={1 << memarg.align}")
    return " ".join(words)


def _label_table_text(value: Tuple[Tuple[int, ...], int], op: Op) -> str:
    targets, default = value
    return " ".join(str(label) for label in (*targets, default))


def _index_text(value: int, op: Op) -> str:
    return str(value)


def _heap_operand_text(value: Any, op: Op) -> str:
    # A cast's target is written as a whole reference type; the row says its nullability.
    if op.klass is OpClass.CAST:
        return ref_text(op.mnemonic.endswith(" null"), value)
    return heap_text(value)


#: Writers of one immediate, by kind: (value, row) -> text.
_IMM_WRITERS: Dict[Imm, Callable[[Any, Op], str]] = {
    Imm.BLOCK_TYPE: lambda value, op: block_type_text(value),
    Imm.CATCHES: lambda value, op: _catches_text(value),
    Imm.LABEL: _index_text,
    Imm.LABEL_TABLE: _label_table_text,
    Imm.FUNC: _index_text,
    Imm.TYPE: _index_text,
    Imm.TABLE: _index_text,
    Imm.MEMORY: _index_text,
    Imm.GLOBAL: _index_text,
    Imm.LOCAL: _index_text,
    Imm.ELEM: _index_text,
    Imm.DATA: _index_text,
    Imm.TAG: _index_text,
    Imm.FIELD: _index_text,
    Imm.U32: _index_text,
    Imm.MEMARG: _memarg_text,
    Imm.LANE: _index_text,
    Imm.SHUFFLE: lambda value, op: " ".join(str(lane) for lane in value),
    Imm.I32: _index_text,
    Imm.I64: _index_text,
    Imm.F32: lambda value, op: f32_text(value),
    Imm.F64: lambda value, op: f64_text(value),
    Imm.V128: lambda value, op: v128_text(value),
    Imm.HEAP_TYPE: _heap_operand_text,
    Imm.VALTYPES: lambda value, op: f"(result {' '.join(valtype_text(t) for t in value)})",
}


def _cast_branch_text(operands: Sequence[Any], op: Op) -> str:
    """``br_on_cast``-style rows: flags, label, source and target heap types."""
    flags, label, source, target = operands
    return " ".join(
        (
            str(label),
            ref_text(flags.source_nullable, source),
            ref_text(flags.target_nullable, target),
        )
    )


def _typeuse_first_text(operands: Sequence[Any], op: Op) -> str:
    """``call_indirect``: the text names the table first, then ``(type x)``."""
    type_index, table = operands
    return f"{table} (type {type_index})"


def _swapped_text(operands: Sequence[Any], op: Op) -> str:
    """``memory.init``/``table.init``: the text names the memory/table first."""
    segment, target = operands
    return f"{target} {segment}"


#: Rows whose operands are not written one by one in binary order.
_OPERAND_WRITERS: Dict[Op, Callable[[Sequence[Any], Op], str]] = {
    opcodes.CALL_INDIRECT: _typeuse_first_text,
    opcodes.RETURN_CALL_INDIRECT: _typeuse_first_text,
    opcodes.MEMORY_INIT: _swapped_text,
    opcodes.TABLE_INIT: _swapped_text,
}
for _row in opcodes.ALL_OPS:
    if Imm.CAST_FLAGS in _row.imms:
        _OPERAND_WRITERS[_row] = _cast_branch_text


#: Each row's immediates that ``Instr.args`` holds (a reserved zero byte holds nothing).
_OPERAND_KINDS: Dict[Op, Tuple[Imm, ...]] = {
    op: tuple(imm for imm in op.imms if imm is not Imm.ZERO_BYTE) for op in opcodes.ALL_OPS
}


def instr_text(instr: ast.Instr) -> str:
    """One instruction without its nested bodies: keyword and immediates."""
    op = instr.op
    kinds = _OPERAND_KINDS[op]
    if not kinds:
        return op.keyword
    operands = instr.args[: len(kinds)]
    if len(operands) != len(kinds):
        raise InternalError(f"{op.mnemonic}: expected {len(kinds)} immediates, got {instr.args!r}")
    special = _OPERAND_WRITERS.get(op)
    if special is not None:
        text = special(operands, op)
    elif len(kinds) == 1:
        text = _IMM_WRITERS[kinds[0]](operands[0], op)
    else:
        words = (_IMM_WRITERS[kind](value, op) for kind, value in zip(kinds, operands))
        text = " ".join(word for word in words if word)
    return f"{op.keyword} {text}" if text else op.keyword


@dataclass(frozen=True)
class _Line:
    """A line of a structured instruction (``else``, ``catch 0``, ``end``...)."""

    text: str
    level: int


@dataclass(frozen=True)
class _Body:
    """A nested body to print at ``level``."""

    instrs: ast.Expr
    level: int


_Item = Union[ast.Instr, _Line, _Body]


def _block_parts(instr: ast.Instr, level: int) -> List[_Item]:
    return [_Body(instr.args[1], level + 1), _Line("end", level)]


def _if_parts(instr: ast.Instr, level: int) -> List[_Item]:
    parts: List[_Item] = [_Body(instr.args[1], level + 1)]
    if instr.args[2] is not None:
        parts += [_Line("else", level), _Body(instr.args[2], level + 1)]
    parts.append(_Line("end", level))
    return parts


def _try_table_parts(instr: ast.Instr, level: int) -> List[_Item]:
    return [_Body(instr.args[2], level + 1), _Line("end", level)]


def _try_parts(instr: ast.Instr, level: int) -> List[_Item]:
    _, body, handlers, delegate = instr.args
    parts: List[_Item] = [_Body(body, level + 1)]
    for handler in handlers:
        keyword = "catch_all" if handler.tag is None else f"catch {handler.tag}"
        parts += [_Line(keyword, level), _Body(handler.body, level + 1)]
    if delegate is not None:
        parts.append(_Line(f"delegate {delegate}", level))
    else:
        parts.append(_Line("end", level))
    return parts


#: Structured rows: what follows their first line.
_STRUCTURED: Dict[Op, Callable[[ast.Instr, int], List[_Item]]] = {
    opcodes.BLOCK: _block_parts,
    opcodes.LOOP: _block_parts,
    opcodes.IF: _if_parts,
    opcodes.TRY_TABLE: _try_table_parts,
    opcodes.TRY: _try_parts,
}


def instr_lines(body: Iterable[ast.Instr], level: int = 0) -> Iterator[Tuple[int, str]]:
    """``(indent level, text)`` for each line of ``body``, nested bodies included.

    Uses an explicit stack: nesting depth is bounded only by memory.
    """
    stack: List[Iterator[_Item]] = [iter(body)]
    levels = [level]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            levels.pop()
        elif isinstance(item, _Line):
            yield item.level, item.text
        elif isinstance(item, _Body):
            stack.append(iter(item.instrs))
            levels.append(item.level)
        else:
            yield levels[-1], instr_text(item)
            parts = _STRUCTURED.get(item.op)
            if parts is not None:
                stack.append(iter(parts(item, levels[-1])))
                levels.append(levels[-1])


def expr_text(expr: Iterable[ast.Instr]) -> str:
    """A (constant) expression on one line."""
    return " ".join(text for _, text in instr_lines(expr))


def body_text(body: Iterable[ast.Instr], level: int = 0) -> str:
    """A body, one instruction per line, indented from ``level``."""
    return "\n".join(INDENT * depth + text for depth, text in instr_lines(body, level))



# --- module fields ---------------------------------------------------------

_ID_CHARS = frozenset(
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&'*+-./:<=>?@\\^_`|~"
)


def _id_text(name: str) -> str:
    """``$name``, or the quoted form ``$"..."`` for a name with other characters."""
    return "$" + name if _ID_CHARS.issuperset(name) else "$" + string_text(name)


def _id_map(names: ast.NameMap) -> Dict[int, str]:
    """An ``$id`` for each non-empty name that is unique in its index space."""
    counts: Dict[str, int] = {}
    for _, name in names:
        counts[name] = counts.get(name, 0) + 1
    return {index: _id_text(name) for index, name in names if name and counts[name] == 1}


class _Ids:
    """The ``$id`` of each definition, from the ``name`` section."""

    def __init__(self, names: Optional[ast.Names]) -> None:
        names = names or ast.Names()
        module = names.module
        self.module = _id_text(module) if module else ""
        self.spaces: Dict[ast.ExternKind, Dict[int, str]] = {
            ast.ExternKind.FUNC: _id_map(names.funcs),
            ast.ExternKind.TABLE: _id_map(names.tables),
            ast.ExternKind.MEMORY: _id_map(names.memories),
            ast.ExternKind.GLOBAL: _id_map(names.globals),
            ast.ExternKind.TAG: _id_map(names.tags),
        }
        self.types = _id_map(names.types)
        self.elems = _id_map(names.elems)
        self.datas = _id_map(names.datas)
        self.locals = {func: _id_map(local_names) for func, local_names in names.locals}
        self.fields = {ty: _id_map(field_names) for ty, field_names in names.fields}

    def of(self, kind: ast.ExternKind, index: int) -> str:
        name = self.spaces[kind].get(index)
        return f" {name}" if name else ""


def _named(keyword: str, name: Optional[str]) -> str:
    return f"({keyword} {name}" if name else f"({keyword}"


def _wrapped(head: str, words: Sequence[str], level: int, width: int = 96) -> List[str]:
    """``head words... )`` as lines of about ``width`` characters."""
    lines: List[str] = []
    current = INDENT * level + head
    for word in words:
        if len(current) + 1 + len(word) > width and current.strip() != head:
            lines.append(current)
            current = INDENT * (level + 1) + word
        else:
            current += " " + word
    lines.append(current + ")")
    return lines


def _data_strings(data: bytes, chunk: int = 32) -> List[str]:
    return [string_text(data[i : i + chunk]) for i in range(0, len(data), chunk)]


_EXTERN_TEXT = {
    ast.ExternKind.FUNC: "func",
    ast.ExternKind.TABLE: "table",
    ast.ExternKind.MEMORY: "memory",
    ast.ExternKind.GLOBAL: "global",
    ast.ExternKind.TAG: "tag",
}

#: Where a custom section sits, as a custom annotation's placement.
_PLACEMENT = {
    ast.SectionId.CUSTOM: "(before first)",
    ast.SectionId.TYPE: "(after type)",
    ast.SectionId.IMPORT: "(after import)",
    ast.SectionId.FUNCTION: "(after func)",
    ast.SectionId.TABLE: "(after table)",
    ast.SectionId.MEMORY: "(after memory)",
    ast.SectionId.TAG: "(after tag)",
    ast.SectionId.GLOBAL: "(after global)",
    ast.SectionId.EXPORT: "(after export)",
    ast.SectionId.START: "(after start)",
    ast.SectionId.ELEMENT: "(after elem)",
    ast.SectionId.DATA_COUNT: "(before code)",
    ast.SectionId.CODE: "(after code)",
    ast.SectionId.DATA: "(after data)",
}


class _ModulePrinter:
    """Writes one module's fields, section by section."""

    def __init__(self, module: ast.Module, use_names: bool) -> None:
        self.module = module
        self.ids = _Ids(module.names if use_names else None)
        self.lines: List[str] = []
        self.writers: Dict[ast.SectionId, Callable[[], None]] = {
            ast.SectionId.TYPE: self.types,
            ast.SectionId.IMPORT: self.imports,
            ast.SectionId.TABLE: self.tables,
            ast.SectionId.MEMORY: self.memories,
            ast.SectionId.TAG: self.tags,
            ast.SectionId.GLOBAL: self.globals,
            ast.SectionId.EXPORT: self.exports,
            ast.SectionId.START: self.start,
            ast.SectionId.ELEMENT: self.elems,
            ast.SectionId.CODE: self.funcs,
            ast.SectionId.DATA: self.datas,
        }

    def render(self) -> str:
        self.lines.append(f"(module {self.ids.module}".rstrip())
        self.customs(ast.SectionId.CUSTOM)
        for section in ast.SECTION_ORDER:
            writer = self.writers.get(section)
            if writer is not None:
                writer()
            self.customs(section)
        self.lines.append(")")
        return "\n".join(self.lines) + "\n"

    def imported(self, kind: ast.ExternKind) -> int:
        return len(self.module.imports_of(kind))

    def func_type(self, type_index: int) -> Optional[FuncType]:
        types = self.module.defined_types
        if not 0 <= type_index < len(types):
            return None
        composite = types[type_index].composite
        return composite if isinstance(composite, FuncType) else None

    def customs(self, after: ast.SectionId) -> None:
        for custom in self.module.customs:
            if custom.after is after:
                head = f"(@custom {string_text(custom.name)} {_PLACEMENT[after]}"
                self.lines.extend(_wrapped(head, _data_strings(custom.data), 1))

    def types(self) -> None:
        index = 0
        for group in self.module.types:
            level = 2 if group.explicit else 1
            if group.explicit:
                self.lines.append(INDENT + "(rec")
            for sub in group.subtypes:
                name = self.ids.types.get(index)
                body = subtype_text(sub, self.ids.fields.get(index))
                self.lines.append(f"{INDENT * level}{_named('type', name)} {body})")
                index += 1
            if group.explicit:
                self.lines.append(INDENT + ")")

    def imports(self) -> None:
        counters = {kind: 0 for kind in ast.ExternKind}
        for imp in self.module.imports:
            index = counters[imp.kind]
            counters[imp.kind] += 1
            desc = f"{_EXTERN_TEXT[imp.kind]}{self.ids.of(imp.kind, index)} {_extern_type_text(imp.type)}"
            self.lines.append(f"{INDENT}(import {string_text(imp.module)} {string_text(imp.name)} ({desc}))")

    def tables(self) -> None:
        base = self.imported(ast.ExternKind.TABLE)
        for offset, table in enumerate(self.module.tables):
            name = self.ids.of(ast.ExternKind.TABLE, base + offset)
            init = f" {expr_text(table.init)}" if table.init is not None else ""
            self.lines.append(f"{INDENT}(table{name} {table_type_text(table.type)}{init})")

    def memories(self) -> None:
        base = self.imported(ast.ExternKind.MEMORY)
        for offset, memory in enumerate(self.module.memories):
            name = self.ids.of(ast.ExternKind.MEMORY, base + offset)
            self.lines.append(f"{INDENT}(memory{name} {memory_type_text(memory.type)})")

    def tags(self) -> None:
        base = self.imported(ast.ExternKind.TAG)
        for offset, tag in enumerate(self.module.tags):
            name = self.ids.of(ast.ExternKind.TAG, base + offset)
            self.lines.append(f"{INDENT}(tag{name} (type {tag.type.type_index}))")

    def globals(self) -> None:
        base = self.imported(ast.ExternKind.GLOBAL)
        for offset, glob in enumerate(self.module.globals):
            name = self.ids.of(ast.ExternKind.GLOBAL, base + offset)
            init = expr_text(glob.init)
            self.lines.append(f"{INDENT}(global{name} {global_type_text(glob.type)} {init})".rstrip())

    def exports(self) -> None:
        for export in self.module.exports:
            kind = _EXTERN_TEXT[export.kind]
            self.lines.append(f"{INDENT}(export {string_text(export.name)} ({kind} {export.index}))")

    def start(self) -> None:
        if self.module.start is not None:
            self.lines.append(f"{INDENT}(start {self.module.start})")

    def elems(self) -> None:
        for index, elem in enumerate(self.module.elems):
            head = [_named("elem", self.ids.elems.get(index))]
            if elem.mode is ast.SegmentMode.DECLARATIVE:
                head.append("declare")
            elif elem.mode is ast.SegmentMode.ACTIVE:
                if elem.table is not None:
                    head.append(f"(table {elem.table})")
                head.append(f"(offset {expr_text(elem.offset_expr or ())})")
            words = _elem_items(elem)
            self.lines.extend(_wrapped(" ".join(head), words, 1))

    def datas(self) -> None:
        for index, data in enumerate(self.module.datas):
            head = [_named("data", self.ids.datas.get(index))]
            if data.mode is ast.SegmentMode.ACTIVE:
                if data.memory is not None:
                    head.append(f"(memory {data.memory})")
                head.append(f"(offset {expr_text(data.offset_expr or ())})")
            self.lines.extend(_wrapped(" ".join(head), _data_strings(data.data), 1))

    def funcs(self) -> None:
        base = self.imported(ast.ExternKind.FUNC)
        for offset, func in enumerate(self.module.funcs):
            self.func(base + offset, func)

    def func(self, index: int, func: ast.Func) -> None:
        head = f"{INDENT}(func{self.ids.of(ast.ExternKind.FUNC, index)} (type {func.type_index})"
        func_type = self.func_type(func.type_index)
        local_ids = self.ids.locals.get(index, {}) if func_type is not None else {}
        if func_type is not None:
            signature = _params_results(func_type, local_ids)
            head += f" {signature}" if signature else ""
        if not func.locals and not func.body:
            self.lines.append(head + ")")
            return
        self.lines.append(head)
        first = len(func_type.params) if func_type is not None else 0
        self.lines.extend(_locals_lines(func.locals, first, local_ids))
        self.lines.extend(INDENT * depth + text for depth, text in instr_lines(func.body, 2))
        self.lines.append(INDENT + ")")


def _extern_type_text(desc: ast.ImportType) -> str:
    if isinstance(desc, ast.FuncImportType):
        use = f"(type {desc.type_index})"
        return f"(exact {use})" if desc.exact else use
    if isinstance(desc, TableType):
        return table_type_text(desc)
    if isinstance(desc, MemoryType):
        return memory_type_text(desc)
    if isinstance(desc, GlobalType):
        return global_type_text(desc)
    return f"(type {desc.type_index})"


def _elem_items(elem: ast.Elem) -> List[str]:
    """The element list: ``func i...`` or a reference type and ``(item ...)``s."""
    if elem.func_indices and all(
        len(item) == 1 and item[0].op is opcodes.REF_FUNC for item in elem.items
    ):
        return ["func"] + [str(item[0].args[0]) for item in elem.items]
    return [valtype_text(elem.type)] + [f"(item {expr_text(item)})" for item in elem.items]


def _locals_lines(local_types: Sequence[ValType], first: int, ids: Dict[int, str]) -> List[str]:
    lines: List[str] = []
    run: List[str] = []
    for offset, local in enumerate(local_types):
        name = ids.get(first + offset)
        if name is None:
            run.append(valtype_text(local))
            continue
        if run:
            lines.append(f"{INDENT * 2}(local {' '.join(run)})")
            run = []
        lines.append(f"{INDENT * 2}(local {name} {valtype_text(local)})")
    if run:
        lines.append(f"{INDENT * 2}(local {' '.join(run)})")
    return lines


def print_module(module: ast.Module, names: bool = True) -> str:
    """The WAT text of ``module``.

    With ``names``, definitions get ``$id`` names from ``module.names`` where
    those are valid identifiers unique in their index space.
    """
    return _ModulePrinter(module, names).render()

__all__ = [
    "INDENT",
    "print_module",
    "block_type_text",
    "body_text",
    "composite_text",
    "expr_text",
    "f32_text",
    "f64_text",
    "global_type_text",
    "heap_text",
    "instr_lines",
    "instr_text",
    "limits_text",
    "memory_type_text",
    "ref_text",
    "string_text",
    "subtype_text",
    "table_type_text",
    "v128_text",
    "valtype_text",
]
