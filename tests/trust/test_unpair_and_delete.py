"""Unpairing keeps one's own answers; deleting a user unpairs first, in one transaction."""

from django.core.cache import cache
from django.urls import reverse

from couples.models import Couple, Membership
from prompts.models import Answer, DailyPrompt
from prompts.services import submit_answer

from ..factories import make_couple, make_day, make_user, text_of

NO_HEADERS: dict[str, str] = {}


def test_it_unpairs_the_partner_when_a_user_is_deleted(alice, bob, couple, library, django_capture_on_commit_callbacks):
    day = make_day(couple)
    submit_answer(daily_prompt=day, user=alice, text="alice-words")
    submit_answer(daily_prompt=day, user=bob, text="bob-words")
    Couple.objects.current_for(alice)  # remembered in the cache
    with django_capture_on_commit_callbacks(execute=True):
        bob.delete()
    couple.refresh_from_db()
    assert couple.ended_at is not None
    assert not Membership.objects.filter(active=True).exists()
    assert Couple.objects.current_for(alice) is None
    assert cache.get(Couple.cache_key_for(alice.pk)) == 0  # UNPAIRED, not the old couple
    assert [answer.text for answer in Answer.objects.visible_to(alice)] == ["alice-words"]


def test_it_shows_deleted_for_the_other_side_of_a_revealed_day(client, alice, bob, couple, library):
    day = make_day(couple)
    submit_answer(daily_prompt=day, user=alice, text="alice-words")
    submit_answer(daily_prompt=day, user=bob, text="bob-words")
    bob.delete()
    client.force_login(alice)
    body = text_of(client.get(reverse("prompts:history")))
    assert "alice-words" in body
    assert "[deleted]" in body
    assert "bob-words" not in body
    assert "hidden until" not in body


def test_it_keeps_the_unpaired_history_without_deleted(
    client, alice, bob, couple, library, htmx, django_capture_on_commit_callbacks
):
    day = make_day(couple)
    submit_answer(daily_prompt=day, user=alice, text="alice-words")
    submit_answer(daily_prompt=day, user=bob, text="bob-words")
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("couples:unpair"), {"confirm": "yes"})
    for headers in (NO_HEADERS, htmx):
        response = client.get(reverse("prompts:history"), **headers)
        assert response.status_code == 200
        body = text_of(response)
        assert "alice-words" in body and "bob-words" not in body
        assert "[deleted]" not in body
        assert "earlier pairing" in body


def test_it_keeps_earlier_days_apart_from_a_new_couple(
    client, alice, bob, charlie, couple, library, django_capture_on_commit_callbacks
):
    old_day = make_day(couple)
    submit_answer(daily_prompt=old_day, user=alice, text="old-alice")
    submit_answer(daily_prompt=old_day, user=bob, text="old-bob")
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("couples:unpair"), {"confirm": "yes"})
    cache.clear()  # as after COUPLE_CACHE_SECONDS: make_couple below bypasses the services
    new = make_couple(alice, charlie)
    new_day = make_day(new)
    submit_answer(daily_prompt=new_day, user=alice, text="new-alice")
    body = text_of(client.get(reverse("prompts:history")))
    assert "old-alice" in body and "new-alice" in body
    assert "old-bob" not in body
    # charlie, alice's new partner, sees nothing of the old couple.
    client.force_login(charlie)
    body = text_of(client.get(reverse("prompts:history")))
    assert "old-alice" not in body and "old-bob" not in body
    assert DailyPrompt.objects.count() == 2


def test_it_rolls_the_unpair_back_when_the_deletion_fails(alice, bob, couple, monkeypatch):
    from django.db import transaction

    from accounts.models import User

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("django.db.models.deletion.Collector.delete", _unpair_then(fail))
    try:
        with transaction.atomic():
            User.objects.get(pk=bob.pk).delete()
    except RuntimeError:
        pass
    couple.refresh_from_db()
    assert couple.ended_at is None
    assert Membership.objects.filter(active=True).count() == 2


def _unpair_then(fail):
    """Collector.delete stand-in: the pre_delete signals run (our unpair among them),
    then the delete fails, inside one transaction as Django's own does."""
    from django.db import transaction
    from django.db.models import signals

    def delete(self):
        with transaction.atomic(using=self.using, savepoint=False):
            for model, instances in self.data.items():
                for instance in instances:
                    signals.pre_delete.send(sender=model, instance=instance, using=self.using, origin=self.origin)
            fail()

    return delete


def test_it_leaves_other_couples_alone_when_deleting(alice, bob, couple, other_couple, charlie):
    make_user("zed@example.com", "Zed").delete()
    assert Couple.objects.active().count() == 2
    charlie.delete()
    assert Couple.objects.active().count() == 1
