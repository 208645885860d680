"""Abstract syntax: types, the module AST and the opcode table."""
