"""`column = ANY(array)`: a batch's ids as one parameter, for queries run per batch.

`filter(user_id__in=ids)` writes one placeholder per id, and for a batch of hundreds
the ORM preparing each value and psycopg scanning and binding each placeholder cost
more CPU than PostgreSQL spends running the query. `filter(OneOf("user_id", ids))`
sends the ids as one array instead: a short statement whatever the batch size. On
SQLite (`make run`), which has no arrays, it is the usual IN list.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import BooleanField, Expression, F


class OneOf(Expression):
    """True where the field (a name, joins allowed) is one of `values`: ints, strings
    or dates, as the column holds them."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str, values: Iterable[Any]) -> None:
        super().__init__()
        self.target: Any = F(field)
        self.values = list(values)

    def get_source_expressions(self) -> list:
        return [self.target]

    def set_source_expressions(self, exprs: Sequence) -> None:
        (self.target,) = exprs

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        resolved = self.copy()
        resolved.target = self.target.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return resolved

    def as_sql(self, compiler, connection) -> tuple[str, tuple]:
        if not self.values:
            raise EmptyResultSet  # as an empty IN list does: no query at all
        column, params = compiler.compile(self.target)
        if connection.vendor == "postgresql":
            return f"{column} = ANY(%s)", (*params, self.values)
        return f"{column} IN ({', '.join(['%s'] * len(self.values))})", (*params, *self.values)
