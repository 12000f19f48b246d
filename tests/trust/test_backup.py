"""Backup and restore as README ("Keys and backups") tells it: pg_dump a database with a
couple's answers, pg_restore it into a new database, read the answers back with the key.
Without FIELD_ENCRYPTION_KEYS the restored answers are ciphertext nobody can read."""

import subprocess

import psycopg
import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.db import connection

from core.fields import decrypt
from prompts.services import submit_answer

from ..factories import make_day

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ALICE_WORDS = "Backup-canary-alice 51e0 the first snow"
BOB_WORDS = "Backup-canary-bob 7b22 our old kitchen"


def _tool(name: str, *args: str) -> None:
    db = connection.settings_dict
    where = ["--host", db["HOST"] or "127.0.0.1", "--port", str(db["PORT"] or 5432), "--username", db["USER"]]
    subprocess.run([name, *where, *args], check=True, capture_output=True, timeout=60)


@pytest.fixture
def restored_name():
    name = f"{connection.settings_dict['NAME']}_restored"
    _tool("dropdb", "--if-exists", name)
    yield name
    _tool("dropdb", "--if-exists", name)


def test_it_restores_a_dump_whose_answers_read_back_with_the_key(alice, bob, couple, library, restored_name, tmp_path):
    day = make_day(couple)
    submit_answer(daily_prompt=day, user=alice, text=ALICE_WORDS)
    submit_answer(daily_prompt=day, user=bob, text=BOB_WORDS)
    dump = tmp_path / "attune.dump"

    _tool("pg_dump", "--format=custom", f"--file={dump}", connection.settings_dict["NAME"])
    _tool("createdb", restored_name)
    _tool("pg_restore", "--no-owner", f"--dbname={restored_name}", str(dump))

    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=restored_name
    ) as restored:
        rows = restored.execute(
            "SELECT u.email, a.text, d.revealed_at IS NOT NULL FROM prompts_answer a"
            " JOIN accounts_user u ON u.id = a.user_id JOIN prompts_dailyprompt d ON d.id = a.daily_prompt_id"
            " WHERE d.couple_id = %s ORDER BY u.email",
            [couple.pk],
        ).fetchall()
    assert [(email, revealed) for email, _, revealed in rows] == [(alice.email, True), (bob.email, True)]
    stored = [text for _, text, _ in rows]
    assert ALICE_WORDS not in stored[0] and BOB_WORDS not in stored[1]
    assert [decrypt(text) for text in stored] == [ALICE_WORDS, BOB_WORDS]
    with pytest.raises(InvalidToken):  # the dump alone is not enough: the key is backed up apart
        Fernet(Fernet.generate_key()).decrypt(stored[0].encode())
