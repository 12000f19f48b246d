"""core.urls: a link reversed once per process says what reverse() says, for any id."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.urls import url_with_id
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


def test_it_lists_a_days_own_links():
    links = DailyPrompt(pk=31).links
    assert links["day"] == "/days/31/"
    assert links["react"] == "/days/31/react/"
    assert links["favourite"] == reverse("prompts:favourite", args=[31])
