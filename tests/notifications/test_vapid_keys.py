"""`manage.py generate_vapid_keys` prints a key pair that works: the two lines go in the
environment as they are, and the public key is the private key's."""

import base64
from io import StringIO

from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from py_vapid import Vapid02


def unb64(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def test_it_prints_a_matching_key_pair_as_environment_lines():
    out = StringIO()
    call_command("generate_vapid_keys", stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    assert set(lines) == {"VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY"}
    public = unb64(lines["VAPID_PUBLIC_KEY"])
    assert len(public) == 65 and public[0] == 4  # what browsers take as applicationServerKey
    derived = Vapid02.from_raw(lines["VAPID_PRIVATE_KEY"].encode()).public_key.public_bytes(
        encoding=serialization.Encoding.X962, format=serialization.PublicFormat.UncompressedPoint
    )
    assert derived == public


def test_it_makes_a_new_pair_each_time():
    first, second = StringIO(), StringIO()
    call_command("generate_vapid_keys", stdout=first)
    call_command("generate_vapid_keys", stdout=second)
    assert first.getvalue() != second.getvalue()
