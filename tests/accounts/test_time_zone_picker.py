"""The time zone picker: every zone, grouped by region, the current one selected, built
without a template per option; used by the settings and couple forms."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.forms import SettingsForm, TimeZoneField, time_zone_options_html
from accounts.models import time_zone_names
from couples.forms import CoupleTimeZoneForm

from ..factories import text_of


def test_it_groups_zones_by_region_with_friendly_names():
    html = time_zone_options_html("Europe/Paris")
    assert html.startswith('<option value="UTC">UTC</option>')
    assert '<optgroup label="Europe">' in html and '<optgroup label="America">' in html
    assert '<option value="America/New_York">New York</option>' in html
    assert '<option value="America/Argentina/Buenos_Aires">Argentina / Buenos Aires</option>' in html
    assert '<option value="Europe/Paris" selected>Paris</option>' in html
    assert html.count(" selected>") == 1
    america = html.split('<optgroup label="America">')[1].split("</optgroup>")[0]
    assert america.index("Argentina / Buenos Aires") < america.index("New York")


def test_it_lists_every_zone_once():
    html = time_zone_options_html(None)
    assert html.count("<option ") == len(time_zone_names())
    for name in time_zone_names():
        assert f'<option value="{name}"' in html
    assert " selected>" not in html


def test_it_keeps_old_style_names_under_other():
    html = time_zone_options_html("US/Eastern")
    other = html.split('<optgroup label="Other">')[1]
    assert '<option value="US/Eastern" selected>US / Eastern</option>' in other


@pytest.mark.parametrize("bad", ["Mars/Olympus", "", "../etc/passwd", "europe/paris"])
def test_it_rejects_an_unknown_zone_with_a_message(bad):
    assert TimeZoneField().clean("Asia/Tokyo") == "Asia/Tokyo"
    with pytest.raises(ValidationError, match=r"Choose a time zone from the list, like Europe/Paris\."):
        TimeZoneField().clean(bad)


def test_it_marks_the_utc_fallback_so_the_browser_may_suggest_its_own(alice):
    alice.time_zone = "UTC"
    assert "data-time-zone-fallback" in str(SettingsForm(instance=alice)["time_zone"])
    alice.time_zone = "Europe/Paris"
    assert "data-time-zone-fallback" not in str(SettingsForm(instance=alice)["time_zone"])
    posted = SettingsForm({"display_name": "Alice", "time_zone": "UTC", "reminder_time": "20:00"}, instance=alice)
    assert "data-time-zone-fallback" not in str(posted["time_zone"])  # the person chose it


def test_it_offers_the_phones_zone_with_no_inline_script_or_style(alice):
    html = str(SettingsForm(instance=alice)["time_zone"])
    assert "data-time-zone-use" in html and "data-time-zone-note" in html
    assert html.count(" hidden") >= 2  # shown only by static/js/attune.js
    assert "style=" not in html and "<script" not in html and "hx-on" not in html


def test_it_renders_the_settings_page_within_its_budget(alice_client, django_assert_max_num_queries):
    # the session and the user; the notifications section's preferences and quiet hours
    with django_assert_max_num_queries(4):
        response = alice_client.get(reverse("accounts:settings"))
    body = response.content.decode()
    assert body.count("<option ") == len(time_zone_names())
    assert '<option value="Europe/London" selected>London</option>' in body


def test_it_selects_the_couples_zone_on_the_couple_page(alice_client, couple):
    couple.time_zone = "America/Argentina/Buenos_Aires"
    couple.save()
    body = text_of(alice_client.get(reverse("couples:couple")))
    assert '<option value="America/Argentina/Buenos_Aires" selected>Argentina / Buenos Aires</option>' in body
    assert body.count("<option ") == len(time_zone_names())


def test_it_uses_the_same_picker_for_the_couple(couple):
    assert "data-time-zone-picker" in str(CoupleTimeZoneForm(instance=couple)["time_zone"])
