"""The performance budget: /today/ on a phone, cold, is at most 50 KB of compressed
HTML, CSS and JS (issue 10). `make bench BENCH=weight` prints the figures."""

from django.urls import reverse

from tests.page_weight import BUDGET_BYTES, weigh


def test_it_keeps_today_within_the_byte_budget(alice_client, couple, library):
    weight = weigh(alice_client, reverse("prompts:today"))
    print(f"\n/today/ cold:\n{weight.report()}")
    assert any(url.endswith(".css") for url in weight.parts)
    assert any(url.endswith(".js") for url in weight.parts)
    assert weight.total <= BUDGET_BYTES, weight.report()


def test_it_counts_every_linked_stylesheet_and_script(alice_client, couple, library):
    weight = weigh(alice_client, reverse("prompts:today"))
    assert {url.rsplit("/", 1)[-1] for url in weight.parts} >= {"attune.css", "attune.js", "phone.js"}
    assert any("htmx" in url for url in weight.parts)
