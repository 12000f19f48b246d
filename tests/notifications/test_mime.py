"""Notice emails built as bytes: what a mail client reads back is what we meant."""

import email
import email.policy

from notifications.mime import NoticeEmail, build
from notifications.rendering import Rendered, render_shared, slot_marker

LONG_URL = "http://testserver/unsubscribe/" + "x" * 150 + "/"


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def test_it_builds_a_message_that_parses_back_to_what_was_meant():
    raw = build(
        sender="Attune <attune@example.org>",
        to="zoe@example.com",
        subject="Zoë answered too",
        text="Hi O'Brien & Co,\nsee you\n" + LONG_URL,
        html="<p>Hi O&#x27;Brien &amp; Co</p>",
        headers={"List-Unsubscribe": f"<{LONG_URL}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    parsed = parse(raw)
    assert parsed["Subject"] == "Zoë answered too"
    assert parsed["To"] == "zoe@example.com"
    assert parsed["From"] == "Attune <attune@example.org>"
    assert parsed["List-Unsubscribe"] == f"<{LONG_URL}>"
    assert f"List-Unsubscribe: <{LONG_URL}>".encode() in raw  # whole, not an encoded word
    assert parsed["Message-ID"] and parsed["Date"]
    assert parsed.get_body(("plain",)).get_content().replace("\r\n", "\n") == "Hi O'Brien & Co,\nsee you\n" + LONG_URL
    assert parsed.get_body(("html",)).get_content() == "<p>Hi O&#x27;Brien &amp; Co</p>"
    assert b"\r\n" in raw and b"\n\n" not in raw.replace(b"\r\n", b"")


def test_it_keeps_a_line_break_in_a_value_out_of_the_headers():
    raw = build(
        sender="a@example.org", to="b@example.org", subject="Hi\r\nBcc: eve@example.org", text="x", html="x", headers={}
    )
    parsed = parse(raw)
    assert parsed["Bcc"] is None
    assert parsed["Subject"] == "Hi Bcc: eve@example.org"


def test_it_falls_back_to_base64_for_a_line_too_long_for_8bit():
    text = "y" * 1200
    parsed = parse(build(sender="a@example.org", to="b@example.org", subject="s", text=text, html="h", headers={}))
    plain = parsed.get_body(("plain",))
    assert plain["Content-Transfer-Encoding"] == "base64"
    assert plain.get_content().rstrip("\n") == text


def test_it_is_an_ordinary_django_email_for_every_backend():
    message = NoticeEmail(subject="Zoë", text="body é", html="<p>body</p>", to="b@example.org", headers={})
    assert message.to == ["b@example.org"] and message.body == "body é"
    assert message.alternatives[0][1] == "text/html"
    assert message.message()["Subject"] == "Zoë"


def test_it_fills_slots_escaped_in_html_and_as_typed_in_text():
    shared = Rendered(
        subject=f"{slot_marker('name')} answered",
        text=f"Hi {slot_marker('name')}",
        html=f"<p>Hi {slot_marker('name')}</p>",
    )
    filled = shared.fill({"name": "O'Brien & <Co>"})
    assert filled.text == "Hi O'Brien & <Co>"
    assert filled.html == "<p>Hi O&#x27;Brien &amp; &lt;Co&gt;</p>"
    assert filled.subject == "O'Brien & <Co> answered"


def test_it_renders_markers_through_autoescaping_unchanged():
    rendered = render_shared(
        "prompts/email/daily_reminder",
        {"site_url": "http://s", "settings_url": "http://s/settings/"},
        ("name", "partner_name", "unsubscribe_url"),
    )
    assert slot_marker("partner_name") in rendered.html and slot_marker("name") in rendered.text
    filled = rendered.fill({"name": "Al & Co", "partner_name": "Bo", "unsubscribe_url": "http://s/u/1/"})
    assert "Hi Al & Co," in filled.text and "Hi Al &amp; Co," in filled.html
    assert "\ue000" not in filled.text + filled.html + filled.subject


def test_it_writes_addresses_with_names_encoded_and_bare_ones_as_they_are():
    raw = build(
        sender="Zoë at Attune <z@example.org>", to="b.c+d@example.org", subject="s", text="t", html="h", headers={}
    )
    parsed = parse(raw)
    assert parsed["From"].addresses[0].display_name == "Zoë at Attune"
    assert parsed["From"].addresses[0].addr_spec == "z@example.org"
    assert b"\r\nTo: b.c+d@example.org\r\n" in raw


def test_it_measures_a_line_in_octets_for_8bit():
    # 998 octets is the limit of a line (RFC 5322); "é" is two of them in UTF-8.
    fits, too_long = "é" * 499, "é" * 500
    parsed = parse(
        build(
            sender="a@example.org", to="b@example.org", subject="s", text=f"{fits}\r\nnext", html=too_long, headers={}
        )
    )
    plain, html = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert plain["Content-Transfer-Encoding"] == "8bit"
    assert plain.get_content().splitlines() == [fits, "next"]
    assert html["Content-Transfer-Encoding"] == "base64"
    assert html.get_content().rstrip("\n") == too_long
