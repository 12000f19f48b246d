"""Counting a sweep's statements: constant per batch, but for the one UPDATE per message
that marks it sent as it goes out (notifications.delivery._mark_sent)."""

from notifications.models import SendLog

_MARK = f'UPDATE "{SendLog._meta.db_table}" SET sent_at'


def split_sent_marks(captured: list[dict]) -> tuple[int, int]:
    """(statements other than sent marks, sent marks) among these captured queries."""
    marks = sum(query["sql"].startswith(_MARK) for query in captured)
    return len(captured) - marks, marks
