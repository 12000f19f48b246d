"""The daily pages render with Jinja (core.jinja, jinja_templates/), every other page with Django's
templates (templates/): two layouts that must not drift apart, and one CSRF token per page."""

import re

import pytest

from tests.factories import make_answer, make_day

pytestmark = pytest.mark.django_db

NONCE = re.compile(r'nonce="[^"]*"')
TOKEN = re.compile(r'csrfmiddlewaretoken" value="([^"]+)"')


def _part(html: str, start: str, end: str) -> str:
    found = re.search(f"{start}.*?{end}", html, re.S)
    assert found is not None, f"no {start} in the page"
    return found.group(0)


def _layout(html: str) -> dict[str, str]:
    """The parts both layouts share: the head (but its title and nonces), the header (but
    which link is current), the footer, and what wraps the page's own content."""
    head = re.sub(r"<title>.*?</title>", "", _part(html, "<head>", "</head>"), flags=re.S)
    header = _part(html, '<header class="site-header">', "</header>").replace(' aria-current="page"', "")
    body_tag = re.sub(r'"X-CSRFToken": "[^"]*"', "", _part(html, "<body", ">"))
    return {
        "doctype": html[: html.index("<head>")],
        "head": NONCE.sub("", head),
        "body": body_tag,
        "header": header,
        "main": _part(html, "<main", ">"),
        "footer": _part(html, '<footer class="site-footer">', "</footer>"),
        "end": html[html.index("</main>") :].split("</footer>")[1],
    }


def test_it_lays_out_jinja_pages_as_base_html_does(alice_client, couple, library):
    jinja_page = alice_client.get("/today/")  # jinja_templates/layout.html
    django_page = alice_client.get("/couple/")  # templates/base.html
    assert jinja_page.status_code == django_page.status_code == 200
    jinja_layout, django_layout = _layout(jinja_page.text), _layout(django_page.text)
    for part, markup in django_layout.items():
        assert " ".join(jinja_layout[part].split()) == " ".join(markup.split()), part


def test_it_masks_the_csrf_token_once_for_every_form_of_a_page(client, couple, alice, bob, library):
    """A revealed day has three forms (reactions, reply, the header's token): one token."""
    from prompts import services

    day = make_day(couple)
    services.submit_answer(daily_prompt=day, user=alice, text="The walk by the river")
    services.submit_answer(daily_prompt=day, user=bob, text="Cooking together")
    client.force_login(alice)
    page = client.get("/today/").text
    tokens = TOKEN.findall(page)
    assert len(tokens) == 2  # the reaction and reply forms
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page)
    assert header_token is not None
    assert set(tokens) == {header_token.group(1)}


def test_it_takes_back_the_masked_token_it_puts_in_a_page(couple, alice, bob, library):
    """config.context_processors masks the CSRF secret itself: the middleware must accept
    what it made, and refuse a token that is not the secret's."""
    from django.test import Client

    from prompts import services

    day = make_day(couple)
    services.submit_answer(daily_prompt=day, user=alice, text="The walk by the river")
    services.submit_answer(daily_prompt=day, user=bob, text="Cooking together")
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.get("/today/")  # the first visit: Django makes the secret and its cookie
    page = client.get("/today/").text  # then the secret is masked here
    token = TOKEN.findall(page)[0]
    assert len(token) == 64 and token.isalnum()
    tampered = token[:32] + ("a" if token[32] != "a" else "b") + token[33:]
    refused = client.post(day.links["react"], {"kind": "moved", "csrfmiddlewaretoken": tampered})
    assert refused.status_code == 403
    accepted = client.post(day.links["react"], {"kind": "moved", "csrfmiddlewaretoken": token})
    assert accepted.status_code in (200, 302)
    assert day.reactions.get().kind == "moved"


def test_it_masks_each_page_anew(alice_client, couple, library):
    """The same secret, a fresh mask on every page (what guards the token against BREACH)."""
    first, second = (TOKEN.findall(alice_client.get("/today/").text)[0] for _ in range(2))
    assert first != second and first[32:] != second[32:]


def test_it_escapes_what_a_translated_sentence_carries(client, couple, alice, bob, library):
    bob.display_name = '<b>Bo & "co"</b>'
    bob.save()
    day = make_day(couple)
    make_answer(day, alice, "The walk by the river")
    client.force_login(alice)
    page = client.get("/today/").text
    assert "hidden until &lt;b&gt;Bo &amp; &#34;co&#34;&lt;/b&gt; answers too." in page
    assert "<b>Bo" not in page


def test_it_loads_the_macro_library_once_unless_templates_reload(settings):
    """core.jinja.Macros keeps each macro in production; in development (templates
    reload) every lookup reads prompts/macros.html again, so an edit shows at once."""
    from jinja2 import DictLoader, Environment

    from core.jinja import Macros

    for reload in (False, True):
        env = Environment(
            autoescape=True, loader=DictLoader({"prompts/macros.html": "{% macro hi() %}one{% endmacro %}"})
        )
        env.auto_reload = reload
        macros = Macros(env)
        assert macros.hi() == "one"
        env.loader = DictLoader({"prompts/macros.html": "{% macro hi() %}two{% endmacro %}"})
        assert env.cache is not None
        env.cache.clear()  # what a reload does when the file changed
        assert macros.hi() == ("two" if reload else "one")


def test_it_renders_the_header_afresh_in_development(settings, monkeypatch):
    from core import jinja

    rendered: list[str] = []

    def render(name: str, context: dict) -> str:
        rendered.append(name)
        return "<p>x</p>"

    monkeypatch.setattr(jinja, "render_to_string", render)
    monkeypatch.setattr(jinja, "_fragments", {})
    for debug, renders in ((True, 2), (False, 3)):
        settings.DEBUG = debug
        for _ in range(2):
            assert jinja.cached_fragment("site-test", [debug], "site_header.html", {}) == "<p>x</p>"
        assert len(rendered) == renders
