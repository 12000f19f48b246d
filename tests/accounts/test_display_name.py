"""A name is one plain line: line breaks and control characters are refused with a
clear message, in the forms and on the model."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User, is_plain_name

from ..factories import PASSWORD, text_of

MESSAGE = "A name fits on one line: line breaks, tabs and invisible characters cannot be part of it."


@pytest.mark.parametrize(
    "name", ["Al\nice", "Alice\r", "Al\tice", "Ali\x07ce", "Ali\u2028ce", "Ali\u202ece", "\ue000x"]
)
def test_it_refuses_a_name_that_is_not_one_plain_line(name):
    assert not is_plain_name(name)


@pytest.mark.parametrize("name", ["O'Brien & Co", "Zoë", "José María", "李小龙", "👩\u200d👩\u200d👧", "Ann-Marie"])
def test_it_accepts_names_as_people_write_them(name):
    assert is_plain_name(name)


def test_it_refuses_it_on_the_model(alice):
    alice.display_name = "Alice\nSmith"
    with pytest.raises(ValidationError) as raised:
        alice.full_clean()
    assert raised.value.message_dict["display_name"] == [MESSAGE]


def test_it_refuses_it_in_settings_and_keeps_what_was_typed(alice_client, alice):
    data = {"display_name": "Alice\r\nSmith", "time_zone": "Europe/London", "reminder_time": "20:00"}
    response = alice_client.post(reverse("accounts:settings"), data)
    assert response.status_code == 422
    body = text_of(response)
    assert MESSAGE in body
    assert "Alice\r\nSmith" in body or "Alice\nSmith" in body
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


def test_it_refuses_it_at_signup(client, db):
    data = {"display_name": "Zoe\x1b[31m", "email": "zoe@example.com", "password1": PASSWORD, "time_zone": "UTC"}
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    assert MESSAGE in text_of(response)
    assert not User.objects.filter(email="zoe@example.com").exists()


def test_it_turns_stored_breaks_into_spaces_when_migrating():
    migration = importlib.import_module("accounts.migrations.0002_display_name_one_line")
    assert migration.one_line("Alice\r\nSmith\t") == "Alice Smith"
    assert migration.one_line("O'Brien & Co") == "O'Brien & Co"
