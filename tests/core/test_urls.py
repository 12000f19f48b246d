"""core.urls: a link reversed once per process says what reverse() says, for any id."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.urls import url_with_id, urls_with_id
from prompts.models import DailyPrompt


@pytest.mark.parametrize("pk", [1, 7, 42, 987_654_321, 2**40])
@pytest.mark.parametrize("name", ["prompts:day", "prompts:react", "prompts:favourite", "prompts:today_status"])
def test_it_builds_the_link_reverse_would(name, pk):
    assert url_with_id(name, pk) == reverse(name, args=[pk])


def test_it_follows_the_script_prefix():
    try:
        set_script_prefix("/attune/")
        assert url_with_id("prompts:day", 5) == "/attune/days/5/"
    finally:
        set_script_prefix("/")
    assert url_with_id("prompts:day", 5) == "/days/5/"


def test_it_refuses_a_name_that_takes_no_id():
    with pytest.raises(NoReverseMatch):
        url_with_id("prompts:history", 5)


@pytest.mark.parametrize("pk", [1, 987_654_321])
def test_it_builds_several_links_for_one_id_as_reverse_would(pk):
    names = {"day": "prompts:day", "react": "prompts:react", "status": "prompts:today_status"}
    assert urls_with_id(names, pk) == {key: reverse(name, args=[pk]) for key, name in names.items()}
    try:
        set_script_prefix("/attune/")
        assert urls_with_id(names, pk)["day"] == f"/attune/days/{pk}/"
    finally:
        set_script_prefix("/")


def test_it_lists_a_days_own_links():
    links = DailyPrompt(pk=31).links
    assert links["day"] == "/days/31/"
    assert links["react"] == "/days/31/react/"
    assert links["favourite"] == reverse("prompts:favourite", args=[31])
