"""Shared kernel: imports no domain."""
