"""Request types for views, so mypy knows what middleware and decorators attach."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """Every request: django-htmx's middleware sets `htmx`."""

    htmx: HtmxDetails
