"""Answers are encrypted at rest with FIELD_ENCRYPTION_KEYS (core.fields), read back as
plain text on every page, and survive a key rotation (privacy's rotate_encryption_keys)."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

import core.fields
from core.fields import decrypt as real_decrypt
from core.fields import encrypt
from prompts.models import Answer
from prompts.services import submit_answer

from ..factories import make_answer, make_day, signed_in, text_of

ALICE_WORDS = "Alice-plaintext-4c1e the lake at dawn"
BOB_WORDS = "Bob-plaintext-9d2a the smell of bread"
OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def stored_text(answer: Answer) -> str:
    """The column as the database holds it, past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM prompts_answer WHERE id = %s", [answer.pk])
        return cursor.fetchone()[0]


def test_it_stores_ciphertext_that_holds_no_plaintext(alice, couple, library):
    answer = make_answer(make_day(couple), alice, ALICE_WORDS)
    stored = stored_text(answer)
    assert stored.startswith("gAAAAA")  # a Fernet token
    # Words of five letters or more: a shorter one turns up in random base64 by chance
    # ("at" did, once), a five-letter one about once in ten million tokens.
    for word in (word for word in ALICE_WORDS.split() if len(word) >= 5):
        assert word not in stored
    assert Answer.objects.get(pk=answer.pk).text == ALICE_WORDS


def stored_data(answer: Answer) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM prompts_answer WHERE id = %s", [answer.pk])
        return cursor.fetchone()[0]


def test_it_stores_an_empty_structure_as_no_token_and_any_other_encrypted(alice, bob, couple, library):
    """A text answer's data ({}) holds no words: stored empty, it needs no decryption on
    every page that shows the answer. Anything else in it is words, and encrypted."""
    day = make_day(couple)
    plain = make_answer(day, alice, ALICE_WORDS)
    structured = Answer.objects.create(daily_prompt=day, user=bob, text="", data={"parts": [BOB_WORDS]})
    assert stored_data(plain) == ""
    assert stored_data(structured).startswith("gAAAAA")
    assert "plaintext" not in stored_data(structured)
    assert Answer.objects.get(pk=plain.pk).data == {}
    assert Answer.objects.get(pk=structured.pk).data == {"parts": [BOB_WORDS]}


def test_it_reads_an_empty_structure_stored_as_a_token_before(alice, couple, library):
    answer = make_answer(make_day(couple), alice, ALICE_WORDS)
    with connection.cursor() as cursor:  # as rows written before empty data was stored empty
        cursor.execute("UPDATE prompts_answer SET data = %s WHERE id = %s", [encrypt("{}"), answer.pk])
    assert Answer.objects.get(pk=answer.pk).data == {}


def test_it_decrypts_only_the_words_of_text_answers_on_history(alice, bob, couple, library, monkeypatch):
    for day in (make_day(couple, date=datetime.date(2026, 11, d)) for d in (1, 2)):
        submit_answer(daily_prompt=day, user=bob, text=BOB_WORDS)
        submit_answer(daily_prompt=day, user=alice, text=ALICE_WORDS)
    opened = []

    def counted(value: str) -> str:
        opened.append(value)
        return real_decrypt(value)

    monkeypatch.setattr(core.fields, "decrypt", counted)
    body = text_of(signed_in(alice).get(reverse("prompts:history")))
    assert body.count(ALICE_WORDS) == 2 and body.count(BOB_WORDS) == 2
    assert len(opened) == 4  # two days, two answers each: their words, and nothing else


def test_it_encrypts_the_same_text_differently_each_time(alice, bob, couple, library):
    day = make_day(couple)
    assert stored_text(make_answer(day, alice, "same")) != stored_text(make_answer(day, bob, "same"))


def test_it_shows_the_plain_text_on_every_page_that_shows_answers(alice, bob, couple, library):
    day = make_day(couple)
    submit_answer(daily_prompt=day, user=bob, text=BOB_WORDS)
    submit_answer(daily_prompt=day, user=alice, text=ALICE_WORDS)
    client = signed_in(alice)
    pages = {
        "today": client.get(reverse("prompts:today")),
        "poll": client.get(reverse("prompts:today_status", args=[day.pk]), HTTP_HX_REQUEST="true"),
        "history": client.get(reverse("prompts:history")),
        "export json": client.get(reverse("privacy:export_json")),
        "export markdown": client.get(reverse("privacy:export_markdown")),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        body = text_of(response) if name != "export json" else response.content.decode("unicode_escape")
        assert ALICE_WORDS in body and BOB_WORDS in body, name
        assert "gAAAAA" not in body, name


def test_it_shows_ones_own_answer_while_waiting_for_the_partner(alice, couple, library):
    day = make_day(couple)
    submit_answer(daily_prompt=day, user=alice, text=ALICE_WORDS)
    body = text_of(signed_in(alice).get(reverse("prompts:today")))
    assert ALICE_WORDS in body


def test_it_keeps_an_answer_saved_while_its_batch_is_being_rotated(alice, couple, library, monkeypatch):
    from privacy.management.commands import rotate_encryption_keys

    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        answer = make_answer(make_day(couple), alice, ALICE_WORDS)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        keys = rotate_encryption_keys.fernet()

        class EditedMeanwhile:
            """Alice saves a new answer after the batch is read, before it is written."""

            def rotate(self, token: bytes) -> bytes:
                Answer.objects.filter(pk=answer.pk).update(text="Changed while rotating")
                return keys.rotate(token)

        monkeypatch.setattr(rotate_encryption_keys, "fernet", EditedMeanwhile)
        rotate_encryption_keys.rotate_column(Answer, Answer._meta.get_field("text"))
        assert Answer.objects.get(pk=answer.pk).text == "Changed while rotating"


@override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY])
def test_it_rotates_to_a_new_key_after_which_the_old_one_can_go(alice, bob, couple, library):
    day = make_day(couple)
    old = make_answer(day, alice, ALICE_WORDS)
    old_token = stored_text(old)

    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        # The new key first: old rows still read, new rows use the new key.
        assert Answer.objects.get(pk=old.pk).text == ALICE_WORDS
        new = submit_answer(daily_prompt=day, user=bob, text=BOB_WORDS)  # reveals the day
        Fernet(NEW_KEY.encode()).decrypt(stored_text(new).encode())
        call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert stored_text(old) != old_token
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        # The old key dropped: every row reads with the new key alone.
        assert {str(answer.text) for answer in Answer.objects.all()} == {ALICE_WORDS, BOB_WORDS}
        body = text_of(signed_in(alice).get(reverse("prompts:history")))
        assert ALICE_WORDS in body and BOB_WORDS in body


@override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY])
def test_it_fails_loudly_rather_than_show_ciphertext_without_the_key(alice, couple, library):
    answer = make_answer(make_day(couple), alice, ALICE_WORDS)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]), pytest.raises(InvalidToken):
        Answer.objects.get(pk=answer.pk)


def test_it_prints_a_new_key_for_the_list(capsys):
    call_command("rotate_encryption_keys", "--new-key")
    key = capsys.readouterr().out.strip()
    assert Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"x")) == b"x"


def test_it_encrypts_rows_written_before_the_migration(alice, bob, couple, library):
    migration = importlib.import_module("prompts.migrations.0006_answers_encrypted")
    day = make_day(couple)
    plain = make_answer(day, alice, "placeholder")
    already = make_answer(day, bob, BOB_WORDS)
    already_token = stored_text(already)
    with connection.cursor() as cursor:  # as a row written before this migration
        cursor.execute(
            "UPDATE prompts_answer SET text = %s, data = %s WHERE id = %s",
            [ALICE_WORDS, '{"parts": ["' + ALICE_WORDS + '"]}', plain.pk],
        )

    migration.encrypt_answers(None, SimpleNamespace(connection=connection))

    assert ALICE_WORDS not in stored_text(plain)
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM prompts_answer WHERE id = %s", [plain.pk])
        assert ALICE_WORDS not in cursor.fetchone()[0]
    assert Answer.objects.get(pk=plain.pk).data == {"parts": [ALICE_WORDS]}
    assert stored_text(already) == already_token  # encrypted once, not twice
    assert Answer.objects.get(pk=plain.pk).text == ALICE_WORDS
    migration.decrypt_answers(None, SimpleNamespace(connection=connection))
    assert stored_text(plain) == ALICE_WORDS and stored_text(already) == BOB_WORDS
