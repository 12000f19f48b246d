from datetime import time

from django.urls import reverse

from notifications import registry
from notifications.models import Channels, Preference, Recipient
from notifications.preferences import choices_for

from ..factories import text_of

URL = reverse("notifications:preferences")


def valid(**overrides):
    # Every kind any app registers is on the form; these tests set three of them.
    return (
        {f"kind_{kind.name}": "email" for kind in registry.all_kinds()}
        | {
            "kind_daily_reminder": "email",
            "kind_reveal_ready": "both",
            "kind_ritual_reminder": "none",
            "quiet_start": "22:00",
            "quiet_end": "07:00",
        }
        | overrides
    )


def test_it_shows_each_kind_with_its_default(alice_client):
    response = alice_client.get(URL)
    assert response.status_code == 200
    body = text_of(response)
    assert "<html" in body
    for kind in ("daily_reminder", "reveal_ready", "ritual_reminder"):
        assert f'name="kind_{kind}" value="email" class="channel-choice" id="id_kind_{kind}_0" required checked' in body
    # Most days it would come besides the reminder: push only, until chosen otherwise.
    assert (
        'name="kind_partner_answered" value="push" class="channel-choice" id="id_kind_partner_answered_1" required checked'
        in body
    )
    assert "Daily reminder" in body and "Ritual reminder" in body


def test_it_saves_channels_and_quiet_hours(alice_client, alice):
    response = alice_client.post(URL, valid())
    assert response.status_code == 200
    assert "Saved." in text_of(response)
    chosen = choices_for(alice)
    assert (chosen["daily_reminder"], chosen["reveal_ready"], chosen["ritual_reminder"]) == (
        Channels.EMAIL,
        Channels.BOTH,
        Channels.NONE,
    )
    recipient = Recipient.objects.get(user=alice)
    assert (recipient.quiet_start, recipient.quiet_end) == (time(22), time(7))


def test_it_clears_quiet_hours(alice_client, alice):
    Recipient.objects.create(user=alice, quiet_start=time(22), quiet_end=time(7))
    alice_client.post(URL, valid(quiet_start="", quiet_end=""))
    recipient = Recipient.objects.get(user=alice)
    assert recipient.quiet_start is None and recipient.quiet_end is None


def test_it_keeps_what_was_typed_and_changes_nothing_on_bad_input(alice_client, alice):
    response = alice_client.post(URL, valid(kind_reveal_ready="carrier-pigeon", quiet_end=""))
    assert response.status_code == 422
    body = text_of(response)
    assert "Choose push, email, both or neither." in body
    assert 'value="22:00"' in body
    assert not Preference.objects.filter(user=alice).exists()
    assert not Recipient.objects.filter(user=alice).exists()


def test_it_asks_for_both_ends_of_quiet_hours(alice_client, alice):
    response = alice_client.post(URL, valid(quiet_end=""))
    assert response.status_code == 422
    assert "Give both ends of your quiet hours, or leave both empty." in text_of(response)
    assert not Recipient.objects.filter(user=alice).exists()


def test_it_returns_the_section_to_htmx(alice_client, htmx):
    response = alice_client.post(URL, valid(), **htmx)
    assert response.status_code == 200
    body = text_of(response)
    assert "<html" not in body and 'id="notification-preferences"' in body


def test_it_refuses_other_methods(alice_client):
    assert alice_client.put(URL).status_code == 405


def test_it_sends_the_signed_out_to_sign_in(client, db):
    response = client.post(URL, valid())
    assert response.status_code == 302
    assert not Preference.objects.exists()


def test_it_changes_only_the_signed_in_persons_choices(client, alice, charlie):
    client.force_login(charlie)
    client.post(URL, valid(kind_daily_reminder="none"))
    assert choices_for(charlie)["daily_reminder"] == Channels.NONE
    assert choices_for(alice)["daily_reminder"] == Channels.EMAIL


def test_it_is_linked_from_the_settings_page_and_carries_the_ios_note(alice_client, settings):
    settings.VAPID_PUBLIC_KEY = "BPublicKeyForTheTest"
    settings.VAPID_PRIVATE_KEY = "private"
    assert f'href="{URL}"' in text_of(alice_client.get(reverse("accounts:settings")))
    body = text_of(alice_client.get(URL))
    assert 'id="notification-preferences"' in body
    assert "iOS 16.4" in body and "Email always works" in body
    assert 'data-vapid-key="BPublicKeyForTheTest"' in body


def test_it_says_push_is_off_without_vapid_keys(alice_client, settings):
    settings.VAPID_PUBLIC_KEY = ""
    body = text_of(alice_client.get(URL))
    assert "Push is not set up on this Attune yet" in body
