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
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translation.gettext, translation.ngettext, newstyle=True
    )
    env.globals.update(
        static=static,
        url=url,
        htmx_script=htmx_script,
        django_include=django_include,
        cached_fragment=cached_fragment,
    )
    env.filters.update(
        date=defaultfilters.date,
        linebreaksbr=linebreaksbr,
        default_if_none=default_if_none,
    )
    return env
