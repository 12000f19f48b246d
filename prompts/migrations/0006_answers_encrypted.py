# Answers encrypted at rest (core.fields): text stays a text column, data (a structured
# answer's JSON) becomes one; every existing row is rewritten as a Fernet token with the
# first FIELD_ENCRYPTION_KEYS key.

from cryptography.fernet import InvalidToken
from django.db import migrations

import core.fields

BATCH = 500


def _rewrite(schema_editor, change, column: str = "text") -> None:
    last = 0
    select = f"SELECT id, {column} FROM prompts_answer WHERE id > %s ORDER BY id LIMIT %s"  # noqa: S608 (a name of ours)
    update = f"UPDATE prompts_answer SET {column} = %s WHERE id = %s"  # noqa: S608 (a name of ours)
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute(select, [last, BATCH])
            rows = cursor.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            changed = [(new, pk) for pk, text in rows if (new := change(text)) is not None]
            if changed:
                cursor.executemany(update, changed)


def encrypt_answers(apps, schema_editor) -> None:
    def change(text: str) -> str | None:
        try:
            core.fields.decrypt(text)
        except InvalidToken:
            return core.fields.encrypt(text)
        return None  # encrypted already: running twice changes nothing

    _rewrite(schema_editor, change)
    _rewrite(schema_editor, change, "data")  # the JSON's text, as the column now holds it


def decrypt_answers(apps, schema_editor) -> None:
    def change(text: str) -> str | None:
        try:
            return core.fields.decrypt(text)
        except InvalidToken:
            return None

    def change_data(text: str) -> str | None:
        # An empty structure is stored as no token at all (core.fields.EMPTY).
        return "{}" if text == core.fields.EMPTY else change(text)

    _rewrite(schema_editor, change)
    _rewrite(schema_editor, change_data, "data")


class Migration(migrations.Migration):

    dependencies = [
        ('prompts', '0005_answer_formats'),
    ]

    operations = [
        migrations.AlterField(
            model_name='answer',
            name='text',
            field=core.fields.EncryptedTextField(blank=True, max_length=2000),
        ),
        migrations.AlterField(
            model_name='answer',
            name='data',
            field=core.fields.EncryptedJSONField(blank=True, default=dict),
        ),
        migrations.RunPython(encrypt_answers, decrypt_answers, elidable=False),
    ]
