from django.urls import reverse

from ..factories import text_of

URL = reverse("accounts:settings")


def valid(**overrides):
    return {
        "display_name": "Alice",
        "time_zone": "Europe/London",
        "reminder_time": "20:00",
        "reminder_enabled": "on",
    } | overrides


def test_it_shows_the_current_settings(alice_client):
    response = alice_client.get(URL)
    assert response.status_code == 200
    body = text_of(response)
    assert 'value="Alice"' in body
    assert '<option value="Europe/London" selected>' in body


def test_it_saves_and_recomputes_the_next_reminder(alice_client, alice):
    before = alice.next_reminder_at
    response = alice_client.post(URL, valid(display_name="Ally", time_zone="America/New_York", reminder_time="06:45"))
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.display_name == "Ally"
    assert alice.next_reminder_at != before
    local = alice.next_reminder_at.astimezone(alice.zone)
    assert (local.hour, local.minute) == (6, 45)


def test_it_turns_reminders_off(alice_client, alice):
    alice_client.post(URL, valid(reminder_enabled=""))
    alice.refresh_from_db()
    assert alice.reminder_enabled is False
    assert alice.next_reminder_at is None


def test_it_keeps_what_was_typed_on_bad_input(alice_client, alice):
    response = alice_client.post(
        URL, valid(display_name="Still here", time_zone="Nowhere/Atall", reminder_time="25:99")
    )
    assert response.status_code == 422
    body = text_of(response)
    assert 'value="Still here"' in body
    assert 'value="25:99"' in body
    assert "has-error" in body
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


def test_it_returns_the_form_fragment_to_htmx(alice_client, htmx):
    response = alice_client.post(URL, valid(reminder_time="nope"), **htmx)
    assert response.status_code == 422
    body = text_of(response)
    assert "<html" not in body and 'id="settings-form"' in body


def test_it_requires_sign_in(client):
    assert client.get(URL).status_code == 302


def test_it_refuses_other_methods(alice_client):
    assert alice_client.delete(URL).status_code == 405


def test_it_asks_for_a_name_when_it_is_blank(alice_client, alice):
    response = alice_client.post(URL, valid(display_name="   "))
    assert response.status_code == 422
    assert "Tell us what to call you" in text_of(response)


def test_it_explains_an_empty_post(alice_client):
    response = alice_client.post(URL, {})
    assert response.status_code == 422
    assert "Tell us what to call you" in text_of(response)


def test_it_explains_an_unknown_time_zone_and_keeps_the_rest(alice_client, alice, htmx):
    response = alice_client.post(URL, valid(display_name="Ally", time_zone="Mars/Olympus"), **htmx)
    assert response.status_code == 422
    body = text_of(response)
    assert "Choose a time zone from the list, like Europe/Paris." in body
    assert 'value="Ally"' in body and "<html" not in body
    assert 'aria-invalid="true"' in body
    alice.refresh_from_db()
    assert alice.time_zone == "Europe/London" and alice.display_name == "Alice"


def test_it_says_saved_in_place_to_htmx(alice_client, alice, htmx):
    response = alice_client.post(URL, valid(display_name="Ally"), **htmx)
    assert response.status_code == 200
    body = text_of(response)
    assert "<html" not in body and 'id="settings-form"' in body
    assert '<p class="saved" role="status">Saved</p>' in body
    assert 'value="Ally"' in body
    alice.refresh_from_db()
    assert alice.display_name == "Ally"


def test_it_says_saved_next_to_the_form_after_a_plain_post(alice_client, alice):
    response = alice_client.post(URL, valid(display_name="Ally"))
    assert response.status_code == 302 and response.url == URL + "?saved=1"
    body = text_of(alice_client.get(response.url))
    assert '<p class="saved" role="status">Saved</p>' in body
    assert 'class="message' not in body
    assert '<p class="saved" role="status"></p>' in text_of(alice_client.get(URL))


def test_it_explains_the_couples_day_and_ones_own_reminder_zone(alice_client):
    body = text_of(alice_client.get(URL))
    assert "Your reminder comes at your time here." in body
    assert "the time zone you share with your partner" in body


def test_it_says_what_each_switch_does(alice_client):
    """One switch pauses every notice; each kind (the daily reminder, the partner's
    notices) has its own on the notifications page the settings link to, with a line
    saying when it comes."""
    body = text_of(alice_client.get(URL))
    assert "Send me reminders and notices" in body
    assert "Untick to pause all of them at once." in body
    assert "a daily reminder, and when a reveal is ready" not in body
    assert f'href="{reverse("notifications:preferences")}"' in body
    body = text_of(alice_client.get(reverse("notifications:preferences")))
    for label, when in (
        ("Daily reminder", "only on a day you have not answered yet"),
        ("Partner answered", "when your partner answers before you"),
        ("Reveal ready", "both answers are there to see"),
    ):
        assert f"<legend>{label}</legend>" in body
        assert when in body
    assert "Neither to turn it off" in body
