"""The Jinja2 environment of the hot pages (jinja_templates/: /today/, a day's page, /history/,
an evening), which people open every day: Jinja compiles a template to Python, so a
page renders in a fraction of what Django's template engine needs for the same markup.
Every other page stays a Django template (templates/).

What the Django templates of those pages used, made available here: translations
(`_()`, `{% trans %}`, with Django's catalogues), `static()`, `url()` (reversed once
per process, core.urls), htmx's script tag, the `date`, `linebreaksbr` and
`default_if_none` filters, and `django_include()` for a Django template shown inside a
Jinja page (the help sheet, today's rituals). Django's Jinja2 backend adds `request`,
`csrf_input` and `csrf_token` and runs the same context processors.
"""

import datetime
from functools import lru_cache
from typing import Any

from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.template import defaultfilters
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django_htmx.jinja import htmx_script
from jinja2 import ChainableUndefined, Environment, pass_context
from jinja2.runtime import Context

from core.urls import url_for

# As base.html's {% cache %} tags: the header and footer are the same for everyone on a
# section of the site, so each process renders each variant once, in either engine.
FRAGMENT_SECONDS = 86400


def url(name: str, *args: Any) -> str:
    """{% url %}: a link without arguments is reversed once per process."""
    return reverse(name, args=args) if args else url_for(name)


# Translations and dates are the same for every request in a language: a page of
# history asked for some eighty of them, each found afresh by Django.
@lru_cache(maxsize=4096)
def _translated(message: str, language: str | None) -> str:
    return translation.gettext(message)


@lru_cache(maxsize=4096)
def _translated_plural(singular: str, plural: str, number: int, language: str | None) -> str:
    return translation.ngettext(singular, plural, number)


def gettext(message: str) -> str:
    return _translated(message, translation.get_language())


def ngettext(singular: str, plural: str, number: int) -> str:
    return _translated_plural(singular, plural, number, translation.get_language())


@lru_cache(maxsize=4096)
def _formatted_date(value: datetime.date, format_string: str, language: str | None) -> str:
    return defaultfilters.date(value, format_string)


def date(value: Any, format_string: str) -> str:
    """Django's `date` filter; a calendar date (not a moment) is formatted once per language."""
    if type(value) is datetime.date:
        return _formatted_date(value, format_string, translation.get_language())
    return defaultfilters.date(value, format_string)


def default_if_none(value: Any, default: Any = "") -> Any:
    return default if value is None else value


def linebreaksbr(value: Any) -> str:
    return defaultfilters.linebreaksbr(value, autoescape=True)


@pass_context
def django_include(context: Context, template_name: str, **extra: Any) -> SafeString:
    """A Django template inside a Jinja page, with the page's context and `extra`."""
    return render_to_string(template_name, {**context.get_all(), **extra})  # marked safe by Django


def cached_fragment(name: str, vary_on: list[Any], template_name: str, context: dict[str, Any]) -> SafeString:
    """What {% cache 86400 name *vary_on using="fragments" %}{% include template_name %}
    gives in base.html, under the same key: both layouts share one rendering."""
    fragments = caches["fragments"]
    key = make_template_fragment_key(name, vary_on)
    html = fragments.get(key)
    if html is None:
        html = render_to_string(template_name, context)
        fragments.set(key, html, FRAGMENT_SECONDS)
    return html  # a SafeString, as Django rendered it (pickled with its class)


def environment(**options: Any) -> Environment:
    # As in Django's templates, a missing value, or an attribute of one (`r.mine.kind`
    # with no reaction of mine), is empty rather than an error.
    options["undefined"] = ChainableUndefined
    options.pop("autoescape", None)  # Django's backend asks for it too: always on
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    # New-style gettext: `_("... %(name)s", name=x)` escapes x and formats after translating.
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        static=static,
        url=url,
        htmx_script=htmx_script,
        django_include=django_include,
        cached_fragment=cached_fragment,
    )
    env.filters.update(
        date=date,
        linebreaksbr=linebreaksbr,
        default_if_none=default_if_none,
    )
    return env
