"""Every form of ours, fuzzed: generated unicode, control characters, huge values,
missing and extra fields, with and without htmx. Never a 500, and a rejected
submission changes nothing of alice and bob's."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .routes import World, build_world, route_names
from .test_authorisation_matrix import _fingerprint

# Our apps' routes that take a POST. Not fuzzed: allauth's own screens (its tests),
# bearer-token links, and buttons without fields whose every POST is a success
# (a new invite link, a new calendar address).
APPS = ("accounts:", "couples:", "prompts:", "assessments:", "rituals:", "privacy:")
# Deleting the ritual would leave the rest of the run finding nothing (404); deleting
# alice has its own tests (the typed word, signing in again).
NOT_FUZZED = {
    "couples:create_invite",
    "rituals:calendar_regenerate",
    "rituals:feed",
    "couples:join",
    "rituals:delete",
    "privacy:delete_account",
}
REJECTED = {400, 404, 405, 409, 410, 422, 429}

# Text that breaks naive code: control characters, surrogates-free astral characters,
# right-to-left marks, NUL, very long runs.
NASTY = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(["", " ", "\x00", "\u202e", "0", "-1", "99999999999999999999", "1e309", "NaN", "💥" * 3000]),
    st.text(alphabet="\x00\x01\x08\x0b\x1f\x7f\r\n\t", max_size=20),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.just("x" * 100_000),
)


def fuzzed_routes(client: Client, world: World) -> list[str]:
    """Our routes that take a POST at all (an empty one is not refused as a method)."""
    candidates = sorted(name for name in route_names() if name.startswith(APPS) and name not in NOT_FUZZED)
    return [name for name in candidates if client.post(reverse(name, kwargs=world.kwargs(name))).status_code != 405]


def field_names(client: Client, world: World) -> list[str]:
    """Every field name the pages show alice: the forms, read from the HTML."""
    names: set[str] = set()
    for name in route_names():
        if not name.startswith(APPS):
            continue
        response = client.get(reverse(name, kwargs=world.kwargs(name)))
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            names.update(re.findall(r'name="([^"]+)"', response.content.decode()))
    names.discard("csrfmiddlewaretoken")
    return sorted(names)


@pytest.fixture
def world(library) -> World:
    return build_world(library)


@pytest.mark.timeout(600)
def test_it_never_fails_on_any_input_and_rejections_change_nothing(world):
    alice = Client()
    alice.force_login(world.alice)
    known = field_names(alice, world)
    assert len(known) > 20, known
    routes = fuzzed_routes(alice, world)
    assert {"prompts:today", "accounts:settings", "rituals:new", "rituals:rate", "couples:time_zone"} <= set(routes)
    baseline = {"value": _fingerprint(world)}

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(
        route=st.sampled_from(routes),
        data=st.dictionaries(st.one_of(st.sampled_from(known), st.text(max_size=10)), NASTY, max_size=8),
        htmx=st.booleans(),
    )
    def submit(route: str, data: dict[str, str], htmx: bool) -> None:
        url = reverse(route, kwargs=world.kwargs(route))
        # NUL cannot travel in a form body's keys as browsers send them; values keep it.
        data = {key.replace("\x00", ""): value for key, value in data.items()}
        headers = {"HX-Request": "true"} if htmx else {}
        response = alice.post(url, data, headers=headers)
        assert response.status_code < 500, (route, data)
        now = _fingerprint(world)
        if response.status_code in REJECTED:
            assert now == baseline["value"], (route, response.status_code, data)
        baseline["value"] = now

    submit()
