# Answers encrypted at rest (core.fields): the column stays text; every existing row is
# rewritten as a Fernet token with the first FIELD_ENCRYPTION_KEYS key.

from cryptography.fernet import InvalidToken
from django.db import migrations

import core.fields

BATCH = 500


def _rewrite(schema_editor, change) -> None:
    last = 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT id, text FROM prompts_answer WHERE id > %s ORDER BY id LIMIT %s", [last, BATCH])
            rows = cursor.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            changed = [(new, pk) for pk, text in rows if (new := change(text)) is not None]
            if changed:
                cursor.executemany("UPDATE prompts_answer SET text = %s WHERE id = %s", changed)


def encrypt_answers(apps, schema_editor) -> None:
    def change(text: str) -> str | None:
        try:
            core.fields.decrypt(text)
        except InvalidToken:
            return core.fields.encrypt(text)
        return None  # encrypted already: running twice changes nothing

    _rewrite(schema_editor, change)


def decrypt_answers(apps, schema_editor) -> None:
    def change(text: str) -> str | None:
        try:
            return core.fields.decrypt(text)
        except InvalidToken:
            return None

    _rewrite(schema_editor, change)


class Migration(migrations.Migration):

    dependencies = [
        ('prompts', '0004_own_questions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='answer',
            name='text',
            field=core.fields.EncryptedTextField(max_length=2000),
        ),
        migrations.RunPython(encrypt_answers, decrypt_answers, elidable=False),
    ]
