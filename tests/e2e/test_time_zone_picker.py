"""The time zone picker in a real browser: the phone's zone is offered, and picked for
someone still on the UTC fallback; saving keeps it."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_it_picks_the_phones_zone_for_someone_on_the_fallback(live_server, transactional_db, phone, check_page):
    make_user("uma@example.com", "Uma", time_zone="UTC")
    page = phone("uma", timezone_id="Asia/Tokyo")
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill("uma@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/settings/")

    select = page.locator("select[name=time_zone]")
    expect(select).to_have_value("Asia/Tokyo")
    expect(page.get_by_text("We picked Asia/Tokyo, this phone's time zone.")).to_be_visible()
    use_phone = page.get_by_role("button", name=re.compile("Use this phone's time zone"))
    expect(use_phone).to_be_hidden()
    check_page(page, "settings, zone picked from the phone")

    select.select_option("Europe/Paris")
    expect(use_phone).to_be_visible()
    expect(use_phone).to_contain_text("Asia/Tokyo")
    use_phone.click()
    expect(select).to_have_value("Asia/Tokyo")

    with page.expect_response(lambda response: response.request.method == "POST"):
        page.locator("#settings-form").get_by_role("button", name="Save").click()
    assert User.objects.get(email="uma@example.com").time_zone == "Asia/Tokyo"
