"""Attune as an app on the phone: the manifest and service worker register, the offline
page shows once the server is gone, and an answer being typed survives a reload."""

import contextlib
import socket
from datetime import time

import pytest
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from tests.e2e.helpers import sign_in
from tests.factories import PASSWORD, make_couple, make_user

pytestmark = pytest.mark.browser

DRAFT = "Half a thought about the walk on Sunday, not finished yet"


class OneRequestPerConnection(QuietWSGIRequestHandler):
    """No keep-alive: once the server stops, no open connection can still reach it."""

    def handle(self) -> None:
        self.handle_one_request()
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_WR)  # type: ignore[attr-defined]


class StoppableServerThread(LiveServerThread):
    def _create_server(self, connections_override=None):
        return self.server_class(
            (self.host, self.port),
            OneRequestPerConnection,
            allow_reuse_address=False,
            connections_override=connections_override,
        )


@pytest.fixture
def own_server(transactional_db):
    """A live server of this test's own, so the test can stop it (the shared one lives
    for the whole session)."""
    server = LiveServer("localhost:0", start=False)
    server.thread.__class__ = StoppableServerThread
    server.start()
    yield server
    if server.thread.is_alive():
        server.stop()


def test_it_installs_keeps_a_draft_and_shows_the_offline_page(own_server, library, phone, check_page):
    alice, bob = make_user("alice@example.com", "Alice"), make_user("bob@example.com", "Bob")
    make_couple(alice, bob)
    url = own_server.url
    page = phone("alice")
    sign_in(page, url, "alice@example.com")

    # --- the manifest: name, standalone, start URL, PNG icons 192 and 512 that load ----
    manifest_url = page.locator("link[rel=manifest]").evaluate("link => link.href")
    manifest = page.evaluate("url => fetch(url).then(r => r.json())", manifest_url)
    assert manifest["name"] == "Attune" and manifest["display"] == "standalone" and manifest["start_url"] == "/"
    pngs = {icon["sizes"]: icon["src"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert set(pngs) == {"192x192", "512x512"}
    for src in pngs.values():
        status = page.evaluate("([src, base]) => fetch(new URL(src, base)).then(r => r.status)", [src, manifest_url])
        assert status == 200

    # --- the service worker registers, at the root scope, and controls the page ------
    scope = page.evaluate("() => navigator.serviceWorker.ready.then(reg => reg.scope)")
    assert scope == f"{url}/"
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")

    # --- Chromium itself finds it installable (Lighthouse 12 no longer audits this).
    # Playwright's contexts are incognito-like, which Chromium always names; any other
    # error (manifest, icons, service worker, start URL) fails the test.
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [error["errorId"] for error in errors if error["errorId"] != "in-incognito"] == []

    # --- a draft answer survives a reload, and goes once the answer is saved ---------
    answer = page.locator("textarea[name=text]")
    answer.fill(DRAFT)
    page.reload()
    expect(page.locator("textarea[name=text]")).to_have_value(DRAFT)
    check_page(page, "today, draft restored")
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.get_by_role("button", name="Share my answer").click()
    expect(page.locator(".answer-text")).to_contain_text(DRAFT)
    kept = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('attune:draft:'))")
    assert kept == []

    # --- the server stops: a page opened now is the offline page from the cache -------
    own_server.stop()
    page.goto(f"{url}/history/")
    expect(page.get_by_role("heading", name="No connection right now")).to_be_visible()
    check_page(page, "offline page")


def test_it_saves_notification_choices_in_place(live_server, transactional_db, phone, check_page, settings):
    from notifications.models import Channels, Recipient
    from notifications.preferences import choices_for

    settings.VAPID_PUBLIC_KEY = (
        "BAqnMD1qUfSHOqkC0HGV3vkFsYd6Csgw_R1yc8z9D4E7eTq-tBd3q1FvYtAzC8k2o2LxvYv0VJcQ0vQ-qrwcqmQ"
    )
    settings.VAPID_PRIVATE_KEY = "unused-here"
    alice = make_user("alice@example.com", "Alice")
    page = phone("alice")
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill("alice@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/settings/")
    page.get_by_role("link", name="Choose how we reach you").click()

    section = page.locator("#notification-preferences")
    expect(section.get_by_text("iOS 16.4 or later")).to_be_visible()
    expect(section.get_by_role("button", name="Allow push on this phone")).to_be_visible()
    check_page(page, "notifications page")

    section.get_by_role("group", name="Reveal ready").get_by_label("Both").check()
    section.get_by_role("group", name="Daily reminder").get_by_label("Neither").check()
    section.get_by_label("Quiet from").fill("22:30")
    section.get_by_label("Quiet until").fill("07:00")
    section.get_by_role("button", name="Save notifications").click()
    expect(page.locator("#notification-preferences").get_by_text("Saved.")).to_be_visible()
    check_page(page, "settings, notifications saved")

    choices = choices_for(alice)
    assert (choices["reveal_ready"], choices["daily_reminder"]) == (Channels.BOTH, Channels.NONE)
    assert Recipient.objects.get(user=alice).quiet_start == time(22, 30)


def test_it_shows_every_push_as_a_notification(live_server, transactional_db, phone):
    """The service worker's push handler, fed by Chromium's DevTools as a push service
    would feed it: the notice is shown with the payload's words and link."""
    make_user("alice@example.com", "Alice")
    page = phone("alice")
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("() => navigator.serviceWorker.ready")

    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")

    def ours() -> list[dict]:
        found = {r["registrationId"]: r for r in registrations if r["scopeURL"] == f"{live_server.url}/"}
        return [r for r in found.values() if not r["isDeleted"]]

    for _ in range(100):  # the event comes soon after enable
        if ours():
            break
        page.wait_for_timeout(50)
    (registration,) = ours()
    payload = '{"title": "Attune", "body": "Bob answered too", "url": "/today/"}'
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration["registrationId"], "data": payload},
    )
    page.wait_for_function(
        "() => navigator.serviceWorker.ready.then(reg => reg.getNotifications()).then(list => list.length > 0)"
    )
    shown = page.evaluate(
        "() => navigator.serviceWorker.ready.then(reg => reg.getNotifications())"
        ".then(list => list.map(n => ({title: n.title, body: n.body, url: n.data.url})))"
    )
    assert shown == [{"title": "Attune", "body": "Bob answered too", "url": "/today/"}]


# The browser's push service is out of reach here (Chromium would register with Google's
# servers), so the page is handed a subscription as the browser keeps one after a yes.
# What is tested is ours: that opening any page posts it back, so the server's copy
# stays fresh (push services rotate endpoints; iOS drops stale ones).
KEPT_SUBSCRIPTION = """
(() => {
  const endpoint = "https://push.example/send/alices-phone";
  const kept = {endpoint, toJSON: () => ({endpoint, keys: {p256dh: "BKeptKeyForTheTest", auth: "keptauth"}})};
  PushManager.prototype.getSubscription = function () { return Promise.resolve(kept); };
})();
"""


def test_it_refreshes_this_phones_push_subscription_on_every_open(
    live_server, transactional_db, library, phone, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from notifications.models import PushSubscription

    settings.PUSH_SERVICE_HOSTS = ["push.example"]
    alice, bob = make_user("alice@example.com", "Alice"), make_user("bob@example.com", "Bob")
    make_couple(alice, bob)
    page = phone("alice")
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.add_init_script(KEPT_SUBSCRIPTION)
    sign_in(page, live_server.url, "alice@example.com")

    def saved() -> PushSubscription | None:
        for _ in range(100):
            found = PushSubscription.objects.filter(user=alice).first()
            if found is not None:
                return found
            page.wait_for_timeout(50)
        return None

    subscription = saved()
    assert subscription is not None and subscription.endpoint == "https://push.example/send/alices-phone"
    long_ago = timezone.now() - timedelta(days=30)
    PushSubscription.objects.filter(pk=subscription.pk).update(seen_at=long_ago)
    page.goto(f"{live_server.url}/history/")
    for _ in range(100):
        if PushSubscription.objects.get(pk=subscription.pk).seen_at > long_ago:
            break
        page.wait_for_timeout(50)
    assert PushSubscription.objects.get(pk=subscription.pk).seen_at > long_ago
    assert PushSubscription.objects.filter(user=alice).count() == 1
