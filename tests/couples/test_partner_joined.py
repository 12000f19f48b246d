"""The inviter learns their partner joined: an email, and the waiting invite page moves on."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse

from couples import services, tasks
from couples.models import Couple
from notifications.models import Outcome

from ..factories import make_answer, make_couple, make_day, text_of

STATUS = reverse("couples:status")


def test_it_emails_the_inviter_once_the_partner_joins(alice, charlie, django_capture_on_commit_callbacks):
    invite = services.create_invite(inviter=alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_invite(invite=invite, user=charlie)
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "Charlie joined you on Attune"
    assert "Charlie opened your invite" in message.body
    assert "http://testserver/today/" in message.body


def test_it_sends_the_joined_email_once(alice, charlie):
    invite = services.create_invite(inviter=alice)
    couple = services.accept_invite(invite=invite, user=charlie)
    assert tasks.send_partner_joined(couple.pk, alice.pk) == Outcome.SENT
    assert tasks.send_partner_joined(couple.pk, alice.pk) == Outcome.SKIPPED
    assert len(mail.outbox) == 1


def test_it_sends_nothing_once_the_couple_has_ended(alice, charlie):
    invite = services.create_invite(inviter=alice)
    couple = services.accept_invite(invite=invite, user=charlie)
    services.unpair(couple=couple)
    assert tasks.send_partner_joined(couple.pk, alice.pk) == Outcome.SKIPPED
    assert mail.outbox == []


def test_it_polls_with_nothing_to_swap_while_waiting(client, alice, htmx):
    services.create_invite(inviter=alice)
    client.force_login(alice)
    page = text_of(client.get(reverse("couples:couple")))
    assert 'hx-get="/couple/status/"' in page and "every 5s" in page
    response = client.get(STATUS, **htmx)
    assert response.status_code == 204
    assert "HX-Redirect" not in response


def test_it_moves_the_inviter_on_once_paired(client, alice, charlie, htmx, library):
    invite = services.create_invite(inviter=alice)
    client.force_login(alice)
    assert client.get(STATUS, **htmx).status_code == 204
    services.accept_invite(invite=invite, user=charlie)
    response = client.get(STATUS, **htmx)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("prompts:today")
    assert "Charlie joined you" in text_of(client.get(reverse("prompts:today")))


def test_it_redirects_a_plain_request(client, alice, charlie):
    client.force_login(alice)
    assert client.get(STATUS).url == reverse("couples:couple")
    make_couple(alice, charlie)
    assert client.get(STATUS).url == reverse("prompts:today")


def test_it_refuses_other_methods_on_the_poll(alice_client):
    assert alice_client.post(STATUS).status_code == 405


def test_it_asks_a_signed_out_visitor_to_sign_in(client):
    assert client.get(STATUS).status_code == 302


# --- The Partner page ----------------------------------------------------------------


def test_it_shows_who_is_paired_and_the_days_together(alice_client, alice, bob, couple, library):
    Couple.objects.filter(pk=couple.pk).update(created_at=couple.created_at - timedelta(days=2))
    day = make_day(couple)
    make_answer(day, alice, "a")
    make_answer(day, bob, "b")
    day.revealed_at = day.created_at
    day.save()
    Couple.forget_members_of([alice.pk, bob.pk])
    body = text_of(alice_client.get(reverse("couples:couple")))
    assert "Alice and Bob" in body
    assert "3 days" in body
    assert "<dt>Questions you both answered</dt>\n      <dd>1</dd>" in body


def test_it_offers_a_share_message_with_the_link(client, alice):
    invite = services.create_invite(inviter=alice)
    client.force_login(alice)
    body = text_of(client.get(reverse("couples:couple")))
    link = f"http://testserver/join/{invite.token}/"
    message = body[body.index('id="invite-message"') : body.index("</textarea>")]
    assert "Alice would like to try Attune with you" in message
    assert link in message
    assert 'data-share-text="#invite-message"' in body


def test_it_says_with_whom_when_a_paired_person_opens_a_link(client, alice, charlie, dana, other_couple):
    invite = services.create_invite(inviter=alice)
    client.force_login(charlie)
    response = client.get(reverse("couples:join", args=[invite.token]))
    assert response.status_code == 409
    assert "You are paired with Dana" in text_of(response)
