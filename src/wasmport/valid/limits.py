"""Validation of memory, table, global and tag types (spec "Types": limits)."""

from __future__ import annotations

from ..errors import ValidationError
from ..features import Feature, Features
from ..syntax.types import AddrType, GlobalType, Limits, MemoryType, TableType
from .context import Context, require_feature


def check_limits(limits: Limits, bound: int, message: str, offset: int) -> None:
    if limits.minimum > bound:
        raise ValidationError(message, offset)
    if limits.maximum is not None:
        if limits.maximum > bound:
            raise ValidationError(message, offset)
        if limits.minimum > limits.maximum:
            raise ValidationError("size minimum must not be greater than maximum", offset)


def check_memory_type(context: Context, mt: MemoryType, offset: int) -> None:
    features = context.features
    limits = mt.limits
    is64 = limits.address is AddrType.I64
    if is64:
        require_feature(features, Feature.MEMORY64, "i64 memory", offset)
    if mt.page_size_log2 is not None:
        require_feature(features, Feature.CUSTOM_PAGE_SIZES, "custom page size", offset)
        if mt.page_size_log2 not in (0, 16):
            raise ValidationError("invalid custom page size", offset)
    page_log2 = 16 if mt.page_size_log2 is None else mt.page_size_log2
    # The whole address space, in pages; with 1-byte pages the size must stay
    # representable in the address type, hence one less.
    pages = 1 << ((64 if is64 else 32) - page_log2)
    if page_log2 == 0:
        pages -= 1
    if mt.page_size_log2 is None and not is64:
        message = "memory size must be at most 65536 pages (4GiB)"
    else:
        message = f"memory size must be at most {pages} pages"
    check_limits(limits, pages, message, offset)
    if limits.shared:
        require_feature(features, Feature.THREADS, "shared memory", offset)
        if limits.maximum is None:
            raise ValidationError("shared memory must have maximum", offset)


def check_table_limits(features: Features, limits: Limits, offset: int) -> None:
    """The limits of a table type (its element type aside)."""
    if limits.address is AddrType.I64:
        require_feature(features, Feature.MEMORY64, "i64 table", offset)
        check_limits(limits, (1 << 64) - 1, "table size must be at most 2^64-1", offset)
    else:
        check_limits(limits, (1 << 32) - 1, "table size must be at most 2^32-1", offset)
    if limits.shared:
        raise ValidationError("tables cannot be shared", offset)


def check_table_type(context: Context, tt: TableType, offset: int) -> None:
    check_table_limits(context.features, tt.limits, offset)
    context.check_ref_type(tt.element, offset)


def check_global_type(context: Context, gt: GlobalType, offset: int) -> None:
    context.check_val_type(gt.value, offset)


__all__ = ["check_global_type", "check_limits", "check_memory_type", "check_table_limits",
           "check_table_type"]
