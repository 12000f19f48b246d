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

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template import defaultfilters
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django_htmx.jinja import htmx_script
from jinja2 import ChainableUndefined, Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from core.urls import url_for


def url(name: str, *args: Any) -> str:
    """{% url %}: a link without arguments is reversed once per process."""
    return reverse(name, args=args) if args else url_for(name)


# Translations and dates are the same for every request in a language: a page of
# history asked for some eighty of them, each found afresh by Django. A translation is
# our own text, trusted as markup (as Jinja's gettext has it); what is formatted into
# it is escaped.
@lru_cache(maxsize=4096)
def _translated(message: str, language: str | None) -> Markup:
    return Markup(translation.gettext(message))  # noqa: S704


@lru_cache(maxsize=4096)
def _translated_plural(singular: str, plural: str, number: int, language: str | None) -> Markup:
    return Markup(translation.ngettext(singular, plural, number))  # noqa: S704


# `_()`, `gettext()` and `ngettext()` in templates, as Jinja's new-style gettext has them
# (the translation is markup, each variable escaped as it is formatted in), as plain
# functions: Jinja's own wrappers pass each call through the context three times.
def gettext(message: str, **variables: Any) -> Markup:
    return _translated(message, translation.get_language()) % variables


def ngettext(singular: str, plural: str, number: int, **variables: Any) -> Markup:
    variables.setdefault("num", number)
    return _translated_plural(singular, plural, number, translation.get_language()) % variables


def static(path: str) -> str:
    """{% static %}, straight from the storage: Django's tag first asks the app registry
    whether staticfiles is installed, on every call (it always is here)."""
    return staticfiles_storage.url(path)


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


_fragments: dict[tuple[str, tuple[Any, ...]], SafeString] = {}


def cached_fragment(name: str, vary_on: list[Any], template_name: str, context: dict[str, Any]) -> SafeString:
    """What {% cache name *vary_on using="fragments" %}{% include template_name %} gives
    in base.html: rendered once per process and variant, then kept in a plain dict (the
    header has a few variants, the footer one per language), with none of a cache's key
    hashing and pickling. Never kept in development, where a template edit must show."""
    if settings.DEBUG:
        return render_to_string(template_name, context)
    key = (name, tuple(vary_on))
    if key not in _fragments:
        _fragments[key] = render_to_string(template_name, context)
    return _fragments[key]


class Macros:
    """prompts/macros.html, as `macros` in every template (`macros.reveal(mine, theirs)`).
    An {% import %} in each template cost a little on every render of it (Jinja checks
    the page's globals against the library's); this is the library made once, kept
    unless templates reload (development), where an edit must show at once."""

    def __init__(self, env: Environment) -> None:
        self._env = env

    def __getattr__(self, name: str) -> Any:
        macro = getattr(self._env.get_template("prompts/macros.html").module, name)
        if not self._env.auto_reload:
            setattr(self, name, macro)  # later lookups find it without coming here
        return macro


def environment(**options: Any) -> Environment:
    # As in Django's templates, a missing value, or an attribute of one (`r.mine.kind`
    # with no reaction of mine), is empty rather than an error.
    options["undefined"] = ChainableUndefined
    options.pop("autoescape", None)  # Django's backend asks for it too: always on
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    # New-style gettext: `_("... %(name)s", name=x)` escapes x and formats after
    # translating; {% trans %} passes its variables the same way.
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(
        _=gettext,
        gettext=gettext,
        ngettext=ngettext,
        static=static,
        url=url,
        htmx_script=htmx_script,
        django_include=django_include,
        cached_fragment=cached_fragment,
        macros=Macros(env),
    )
    env.filters.update(
        date=date,
        linebreaksbr=linebreaksbr,
        default_if_none=default_if_none,
    )
    return env
