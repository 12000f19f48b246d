"""Re-encrypt every encrypted column with the first FIELD_ENCRYPTION_KEYS key, so the
keys after it can be dropped (README, "Keys"). `--new-key` prints a fresh key instead."""

from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, models, transaction

from core.fields import EncryptedTextField, fernet

BATCH = 500


def rotate_column(model: type[models.Model], field: EncryptedTextField) -> int:
    """Rewrite one model's column, a batch per transaction; returns the rows rewritten.
    Each token is decrypted with whichever key opens it and encrypted with the first."""
    table, column, pk = (
        connection.ops.quote_name(name)
        for name in (model._meta.db_table, str(field.column), str(model._meta.pk.column))
    )
    # Not an empty column: an empty structure is no token (core.fields.EMPTY).
    select = f"SELECT {pk}, {column} FROM {table} WHERE {pk} > %s AND {column} IS NOT NULL AND {column} <> '' ORDER BY {pk} LIMIT %s"  # noqa: S608 (names from the model registry)
    # Only while the row still holds the token read: one saved meanwhile (an edited
    # answer) was written with the first key already, and must not get its old text back.
    update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s"  # noqa: S608 (names from the model registry)
    keys, last, rewritten = fernet(), 0, 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(select, [last, BATCH])
            rows = cursor.fetchall()
            if not rows:
                return rewritten
            last = rows[-1][0]
            cursor.executemany(
                update, [(keys.rotate(token.encode()).decode(), row_id, token) for row_id, token in rows]
            )
            rewritten += len(rows)


def encrypted_columns() -> list[tuple[type[models.Model], EncryptedTextField]]:
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]


class Command(BaseCommand):
    help = "Re-encrypt answers (and every other encrypted column) with the first FIELD_ENCRYPTION_KEYS key."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--new-key", action="store_true", help="only print a new key to put first in the list")

    def handle(self, *args, new_key: bool = False, **options) -> None:
        if new_key:
            self.stdout.write(Fernet.generate_key().decode())
            return
        for model, field in encrypted_columns():
            count = rotate_column(model, field)
            self.stdout.write(f"{model._meta.label}.{field.name}: {count} rows re-encrypted with the first key")
