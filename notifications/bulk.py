"""The set-based statements of the sweep, one per batch, on PostgreSQL and SQLite.

On PostgreSQL a batch travels as arrays (unnest, = ANY): a short statement whatever
the batch size, which psycopg does not have to scan for thousands of placeholders
(that scan cost more than the INSERT itself). SQLite, for `make run`, takes a VALUES
list. Either way the rows are a common table expression named `batch`.
"""

from collections.abc import Sequence
from datetime import datetime

from django.db import connection


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def db_time(moment: datetime):
    return connection.ops.adapt_datetimefield_value(moment)


def execute(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def ids_match(column: str, ids: Sequence[int]) -> tuple[str, list]:
    """`column` is one of `ids`, as SQL and its parameters."""
    if _postgres():
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def batch(columns: dict[str, str], rows: Sequence[tuple]) -> tuple[str, list]:
    """`WITH batch (...) AS (...)` over these rows; `columns` maps each column name to
    its PostgreSQL type."""
    names = ", ".join(columns)
    if _postgres():
        arrays = ", ".join(f"%s::{kind}[]" for kind in columns.values())
        return f"WITH batch ({names}) AS (SELECT * FROM unnest({arrays}))", [  # noqa: S608 (column names and types from code; values are parameters)
            list(column) for column in zip(*rows, strict=True)
        ]
    values = ", ".join([f"({', '.join(['%s'] * len(columns))})"] * len(rows))
    return f"WITH batch ({names}) AS (VALUES {values})", [value for row in rows for value in row]
