"""Column type for string enums, stored as plain strings so adding a member needs no DDL."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum


def str_enum(enum_class: type[StrEnum], *, length: int = 32) -> Enum:
    """Return a non-native SQL enum column type storing member values."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )
