"""Who gets what on which channel: preferences read for a whole batch at once."""

import pytest
from django.utils import timezone

from notifications.channels import Audience, channels_for
from notifications.models import Channels, Preference, PushSubscription

from ..factories import make_user


@pytest.fixture
def push_keys(settings):
    settings.VAPID_PRIVATE_KEY = "private"
    settings.VAPID_PUBLIC_KEY = "public"


def subscribe(user, n: int = 0) -> PushSubscription:
    return PushSubscription.objects.create(
        user=user, endpoint=f"https://push.example.net/{user.pk}/{n}", p256dh="key", auth="auth"
    )


def test_it_defaults_every_kind_to_email(alice):
    assert channels_for(alice, "daily_reminder") == ["email"]
    assert channels_for(alice, "a_kind_added_later") == ["email"]


def test_it_follows_each_kinds_choice(alice, push_keys):
    subscribe(alice)
    Preference.objects.create(user=alice, kind="daily_reminder", channels=Channels.NONE)
    Preference.objects.create(user=alice, kind="reveal_ready", channels=Channels.BOTH)
    Preference.objects.create(user=alice, kind="ritual_reminder", channels=Channels.PUSH)
    assert channels_for(alice, "daily_reminder") == []
    assert sorted(channels_for(alice, "reveal_ready")) == ["email", "push"]
    assert channels_for(alice, "ritual_reminder") == ["push"]


def test_it_leaves_push_out_without_a_subscribed_phone(alice, push_keys):
    Preference.objects.create(user=alice, kind="reveal_ready", channels=Channels.BOTH)
    Preference.objects.create(user=alice, kind="ritual_reminder", channels=Channels.PUSH)
    assert channels_for(alice, "reveal_ready") == ["email"]
    assert channels_for(alice, "ritual_reminder") == []


def test_it_leaves_push_out_when_the_server_has_no_vapid_keys(alice, settings):
    settings.VAPID_PRIVATE_KEY = ""
    subscribe(alice)
    Preference.objects.create(user=alice, kind="reveal_ready", channels=Channels.PUSH)
    assert channels_for(alice, "reveal_ready") == []


def test_it_sends_nothing_while_notices_are_off(alice):
    alice.reminder_enabled = False
    alice.save()
    assert channels_for(alice, "reveal_ready") == []


def test_it_keeps_one_persons_choice_to_themselves(alice, bob):
    Preference.objects.create(user=alice, kind="daily_reminder", channels=Channels.NONE)
    audience = Audience([alice, bob])
    assert audience.channels(alice, "daily_reminder") == []
    assert audience.channels(bob, "daily_reminder") == ["email"]


def test_it_reads_a_batch_in_the_same_queries_whatever_its_size(db, push_keys, django_assert_num_queries):
    few = [make_user(f"few{n}@example.com", f"Few {n}") for n in range(2)]
    many = [make_user(f"many{n}@example.com", f"Many {n}") for n in range(60)]
    for user in few + many:
        subscribe(user)
        Preference.objects.create(user=user, kind="reveal_ready", channels=Channels.BOTH)
    with django_assert_num_queries(5):  # preferences, recipients, make the missing, reread, subscriptions
        Audience(few, with_recipients=True)
    with django_assert_num_queries(5):
        audience = Audience(many, with_recipients=True)
    assert all(sorted(audience.channels(user, "reveal_ready")) == ["email", "push"] for user in many)
    with django_assert_num_queries(3):  # recipients exist now
        Audience(many, with_recipients=True)
    with django_assert_num_queries(2):  # who wants what, as a sweep asks: no recipients
        audience = Audience(many)
    assert all(sorted(audience.channels(user, "reveal_ready")) == ["email", "push"] for user in many)
    with pytest.raises(ValueError, match="with_recipients"):
        audience.quiet_until(many[0], timezone.now())
