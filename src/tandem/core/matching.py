"""Case-insensitive, literal text matching in SQL, the same on SQLite and PostgreSQL.

SQLite's own ``lower()`` folds only ASCII letters, so "ÖZTÜRK" would never find "Öztürk"
there; every SQLite connection gets ``tandem_lower``, Python's ``str.lower``, and
``UnicodeLower`` compiles to it on SQLite and to ``lower()`` elsewhere (PostgreSQL's, which
follows the database's locale). The built-in ``lower`` is left alone: an index on an
expression may rely on it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import SQLColumnExpression, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

SQLITE_LOWER = "tandem_lower"
LIKE_ESCAPE = "\\"


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def register_sqlite_functions(dbapi_connection: Any) -> None:  # Any: a DB-API connection
    """Give a new SQLite connection the functions ``UnicodeLower`` compiles to."""
    dbapi_connection.create_function(SQLITE_LOWER, 1, _lower, deterministic=True)


class UnicodeLower(FunctionElement[str]):
    """``lower(expression)`` that folds every script's letters, on every database."""

    type = String()
    inherit_cache = True


@compiles(UnicodeLower)
def _lower_elsewhere(element: UnicodeLower, compiler: SQLCompiler, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(UnicodeLower, "sqlite")
def _lower_on_sqlite(element: UnicodeLower, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{SQLITE_LOWER}({compiler.process(element.clauses, **kw)})"


def like_pattern(text: str, *, anchored_start: bool = False) -> str:
    """A LIKE pattern finding ``text`` (lower-cased) literally: ``%`` and ``_`` match only
    themselves."""
    escaped = (
        text.lower()
        .replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", f"{LIKE_ESCAPE}%")
        .replace("_", f"{LIKE_ESCAPE}_")
    )
    return f"{escaped}%" if anchored_start else f"%{escaped}%"


def contains(expression: SQLColumnExpression[str | None], text: str) -> ColumnElement[bool]:
    """``expression`` holds ``text`` anywhere, whatever the case of either."""
    return UnicodeLower(expression).like(like_pattern(text), escape=LIKE_ESCAPE)


def starts_with(expression: SQLColumnExpression[str | None], text: str) -> ColumnElement[bool]:
    """``expression`` begins with ``text``, whatever the case of either."""
    return UnicodeLower(expression).like(
        like_pattern(text, anchored_start=True), escape=LIKE_ESCAPE
    )
