"""Seed for the Lighthouse bench: a couple, and alice's session key (one JSON line)."""

import json
import os
from importlib import import_module

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from tests.factories import make_couple, make_user

    alice, bob = make_user("alice@example.com", "Alice"), make_user("bob@example.com", "Bob")
    make_couple(alice, bob)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(alice.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = alice.get_session_auth_hash()
    store.save()
    print(json.dumps({"session": store.session_key}))


if __name__ == "__main__":
    main()
