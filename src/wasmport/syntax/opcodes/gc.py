"""Opcode rows of the ``0xFB`` space: GC structs, arrays, casts and i31
references, and the custom-descriptors proposal's descriptor instructions."""

from __future__ import annotations

from ...features import Feature
from .model import Imm, Op, OpClass

F = Feature
C = OpClass
I = Imm  # noqa: E741

# Structures
STRUCT_NEW = Op("struct.new", 0xFB, 0x00, (I.TYPE,), None, F.GC, C.AGGREGATE)
STRUCT_NEW_DEFAULT = Op("struct.new_default", 0xFB, 0x01, (I.TYPE,), None, F.GC, C.AGGREGATE)
STRUCT_GET = Op("struct.get", 0xFB, 0x02, (I.TYPE, I.FIELD), None, F.GC, C.AGGREGATE)
STRUCT_GET_S = Op("struct.get_s", 0xFB, 0x03, (I.TYPE, I.FIELD), None, F.GC, C.AGGREGATE)
STRUCT_GET_U = Op("struct.get_u", 0xFB, 0x04, (I.TYPE, I.FIELD), None, F.GC, C.AGGREGATE)
STRUCT_SET = Op("struct.set", 0xFB, 0x05, (I.TYPE, I.FIELD), None, F.GC, C.AGGREGATE)

# Arrays
ARRAY_NEW = Op("array.new", 0xFB, 0x06, (I.TYPE,), None, F.GC, C.AGGREGATE)
ARRAY_NEW_DEFAULT = Op("array.new_default", 0xFB, 0x07, (I.TYPE,), None, F.GC, C.AGGREGATE)
ARRAY_NEW_FIXED = Op("array.new_fixed", 0xFB, 0x08, (I.TYPE, I.U32), None, F.GC, C.AGGREGATE)
ARRAY_NEW_DATA = Op("array.new_data", 0xFB, 0x09, (I.TYPE, I.DATA), None, F.GC, C.AGGREGATE)
ARRAY_NEW_ELEM = Op("array.new_elem", 0xFB, 0x0A, (I.TYPE, I.ELEM), None, F.GC, C.AGGREGATE)
ARRAY_GET = Op("array.get", 0xFB, 0x0B, (I.TYPE,), None, F.GC, C.AGGREGATE)
ARRAY_GET_S = Op("array.get_s", 0xFB, 0x0C, (I.TYPE,), None, F.GC, C.AGGREGATE)
ARRAY_GET_U = Op("array.get_u", 0xFB, 0x0D, (I.TYPE,), None, F.GC, C.AGGREGATE)
ARRAY_SET = Op("array.set", 0xFB, 0x0E, (I.TYPE,), None, F.GC, C.AGGREGATE)
ARRAY_LEN = Op("array.len", 0xFB, 0x0F, (), None, F.GC, C.AGGREGATE)
ARRAY_FILL = Op("array.fill", 0xFB, 0x10, (I.TYPE,), None, F.GC, C.AGGREGATE)
ARRAY_COPY = Op("array.copy", 0xFB, 0x11, (I.TYPE, I.TYPE), None, F.GC, C.AGGREGATE)
ARRAY_INIT_DATA = Op("array.init_data", 0xFB, 0x12, (I.TYPE, I.DATA), None, F.GC, C.AGGREGATE)
ARRAY_INIT_ELEM = Op("array.init_elem", 0xFB, 0x13, (I.TYPE, I.ELEM), None, F.GC, C.AGGREGATE)

# Casts (the text form tells the null variants apart by the target type)
REF_TEST = Op("ref.test", 0xFB, 0x14, (I.HEAP_TYPE,), None, F.GC, C.CAST)
REF_TEST_NULL = Op("ref.test null", 0xFB, 0x15, (I.HEAP_TYPE,), None, F.GC, C.CAST)
REF_CAST = Op("ref.cast", 0xFB, 0x16, (I.HEAP_TYPE,), None, F.GC, C.CAST)
REF_CAST_NULL = Op("ref.cast null", 0xFB, 0x17, (I.HEAP_TYPE,), None, F.GC, C.CAST)
BR_ON_CAST = Op("br_on_cast", 0xFB, 0x18, (I.CAST_FLAGS, I.LABEL, I.HEAP_TYPE, I.HEAP_TYPE), None, F.GC, C.CAST)
BR_ON_CAST_FAIL = Op("br_on_cast_fail", 0xFB, 0x19, (I.CAST_FLAGS, I.LABEL, I.HEAP_TYPE, I.HEAP_TYPE), None, F.GC, C.CAST)
ANY_CONVERT_EXTERN = Op("any.convert_extern", 0xFB, 0x1A, (), None, F.GC, C.CAST)
EXTERN_CONVERT_ANY = Op("extern.convert_any", 0xFB, 0x1B, (), None, F.GC, C.CAST)

# Unboxed scalars
REF_I31 = Op("ref.i31", 0xFB, 0x1C, (), None, F.GC, C.I31)
I31_GET_S = Op("i31.get_s", 0xFB, 0x1D, (), None, F.GC, C.I31)
I31_GET_U = Op("i31.get_u", 0xFB, 0x1E, (), None, F.GC, C.I31)

# Custom descriptors
STRUCT_NEW_DESC = Op("struct.new_desc", 0xFB, 0x20, (I.TYPE,), None, F.CUSTOM_DESCRIPTORS, C.AGGREGATE)
STRUCT_NEW_DEFAULT_DESC = Op("struct.new_default_desc", 0xFB, 0x21, (I.TYPE,), None, F.CUSTOM_DESCRIPTORS, C.AGGREGATE)
REF_GET_DESC = Op("ref.get_desc", 0xFB, 0x22, (I.TYPE,), None, F.CUSTOM_DESCRIPTORS, C.CAST)
REF_CAST_DESC_EQ = Op("ref.cast_desc_eq", 0xFB, 0x23, (I.HEAP_TYPE,), None, F.CUSTOM_DESCRIPTORS, C.CAST)
REF_CAST_DESC_EQ_NULL = Op("ref.cast_desc_eq null", 0xFB, 0x24, (I.HEAP_TYPE,), None, F.CUSTOM_DESCRIPTORS, C.CAST)
BR_ON_CAST_DESC_EQ = Op("br_on_cast_desc_eq", 0xFB, 0x25, (I.CAST_FLAGS, I.LABEL, I.HEAP_TYPE, I.HEAP_TYPE), None, F.CUSTOM_DESCRIPTORS, C.CAST)
BR_ON_CAST_DESC_EQ_FAIL = Op("br_on_cast_desc_eq_fail", 0xFB, 0x26, (I.CAST_FLAGS, I.LABEL, I.HEAP_TYPE, I.HEAP_TYPE), None, F.CUSTOM_DESCRIPTORS, C.CAST)
