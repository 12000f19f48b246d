"""Encryption at rest for what a couple writes (answers, and at merge notes and replies).

The field is django-fernet-encrypted-fields' EncryptedTextField with our own keys: that
library derives its keys from SECRET_KEY, and ours come from FIELD_ENCRYPTION_KEYS
instead, so a leaked SECRET_KEY (sessions, signed links) does not open the answers, and
each secret can be rotated on its own. The first key encrypts; every key decrypts
(cryptography's MultiFernet), so a new key goes first, `manage.py rotate_encryption_keys`
re-encrypts every row with it, and then the old key can be dropped (README, "Keys").

Two differences from the library, both deliberate: an empty string is stored encrypted
(the library stores NULL, which a NOT NULL column refuses), and a value the keys cannot
decrypt raises instead of being shown as it is: a lost key must be loud, never a page
full of ciphertext.

One exception, in the JSON field: an empty structure ({}: every plain text answer's data)
is stored as an empty column, not as a token. It holds no words, a token's length tells
as much, and every page showing a text answer decrypted it: half of a history page's
decryptions. Rows written before hold a token of {} and read as before.
"""

import json
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import models
from encrypted_fields.fields import EncryptedTextField as _LibraryEncryptedTextField


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    """The MultiFernet of the current FIELD_ENCRYPTION_KEYS (read on each use, so tests and
    the rotation command see a changed setting)."""
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


# How EncryptedJSONField stores an empty structure: no token (see above).
EMPTY = ""


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    return fernet().decrypt(value.encode()).decode()


class EncryptedTextField(_LibraryEncryptedTextField):
    """A TextField whose column holds a Fernet token. Lookups other than isnull cannot
    match (each encryption of the same text differs): read, then compare in Python."""

    @property
    def f(self) -> MultiFernet:
        # The library's one use of its keys: ours come from FIELD_ENCRYPTION_KEYS.
        return fernet()

    def get_prep_value(self, value: Any) -> Any:
        value = models.TextField.get_prep_value(self, value)
        return None if value is None else encrypt(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else decrypt(value)


class EncryptedJSONField(EncryptedTextField):
    """JSON (a structured answer: a scale's value, parts, a guess) as one Fernet token in
    a text column: serialised, then encrypted; {} as "" (EMPTY, above). Rotation treats
    it as any encrypted text, and leaves "" as it is."""

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return EMPTY if value == {} else encrypt(json.dumps(value, ensure_ascii=False))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return {} if value == EMPTY else json.loads(decrypt(value))

    def to_python(self, value: Any) -> Any:
        return value

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)
