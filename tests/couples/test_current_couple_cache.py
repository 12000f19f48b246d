"""Couple.objects.current_for remembers the couple and both names in the cache, and
every change they show is seen at once: a rename, a new email, the couple's time zone,
an unpair, a new pairing."""

from django.urls import reverse

from accounts.models import User
from couples.models import Couple
from couples.services import accept_invite, create_invite, unpair


def current(user: User) -> Couple:
    couple = Couple.objects.current_for(user)
    assert couple is not None
    return couple


def partner(user: User) -> User:
    found = current(user).partner_of(user)
    assert found is not None
    return found


def test_it_reads_the_couple_from_the_cache_after_the_first_time(alice, bob, couple, django_assert_num_queries):
    first = current(alice)
    with django_assert_num_queries(0):
        again = current(alice)
    assert again.pk == first.pk == couple.pk
    assert [member.pk for member in again.members] == [alice.pk, bob.pk]
    assert partner(alice).name == "Bob"
    assert again.members[0] is alice  # the signed-in user is the one the request holds


def test_it_sees_the_partner_rename_at_once(alice, bob, couple):
    Couple.objects.current_for(alice)
    bob.display_name = "Robert"
    bob.save()
    assert partner(alice).name == "Robert"


def test_it_sees_a_new_email_when_there_is_no_name(alice, bob, couple):
    bob.display_name = ""
    bob.save()
    Couple.objects.current_for(alice)
    bob.email = "rob@example.com"
    bob.save(update_fields=["email"])
    assert partner(alice).name == "rob"


def test_it_keeps_the_cache_when_only_a_login_is_recorded(alice, bob, couple, django_assert_num_queries):
    Couple.objects.current_for(alice)
    bob.save(update_fields=["last_login"])
    with django_assert_num_queries(0):
        Couple.objects.current_for(alice)


def test_it_never_saves_more_than_it_loaded_of_the_partner(alice, bob, couple):
    before = (bob.time_zone, bob.password, bob.reminder_time)
    Couple.objects.current_for(alice)
    remembered = partner(alice)
    remembered.display_name = "Bobby"
    remembered.save()
    bob.refresh_from_db()
    assert bob.display_name == "Bobby"
    assert (bob.time_zone, bob.password, bob.reminder_time) == before


def test_it_sees_the_couple_time_zone_change_at_once(alice_client, alice, couple):
    Couple.objects.current_for(alice)
    response = alice_client.post(reverse("couples:time_zone"), {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    assert current(alice).time_zone == "Asia/Tokyo"


def test_it_sees_an_unpair_and_a_new_pairing_at_once(alice, bob, charlie, couple, django_capture_on_commit_callbacks):
    Couple.objects.current_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        unpair(couple=couple)
    assert Couple.objects.current_for(alice) is None
    invite = create_invite(inviter=alice)
    with django_capture_on_commit_callbacks(execute=True):
        new = accept_invite(invite=invite, user=charlie)
    assert current(alice).pk == new.pk
    assert partner(alice).pk == charlie.pk
