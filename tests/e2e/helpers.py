"""Steps the browser journeys share."""

import re

from tests.factories import PASSWORD


def sign_in(page, url: str, email: str, *, lands_on: str = "today") -> None:
    """Sign in with the factories' password and wait for the page it lands on
    (`lands_on`: a path segment, or alternatives such as "today|couple")."""
    page.goto(f"{url}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(rf".*/({lands_on})/$"))
