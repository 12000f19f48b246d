"""The development email backend prints what a person reads (config/mail.py)."""

import email
import io
import os
import quopri
import subprocess
import sys
from base64 import b64encode
from pathlib import Path

from django.core.mail import EmailMultiAlternatives

from config.mail import ConsoleEmailBackend

ROOT = Path(__file__).resolve().parent.parent
# Long enough to be folded by quoted-printable, with `=` and `&` that encodings mangle.
LINK = "http://127.0.0.1:8123/accounts/password/reset/key/3f-4kq8zx/?next=%2Ftoday%2F&token=" + "a1b2c3d4e5" * 9
SUBJECT = "Attune: Zoë, your reminder — café ☕ at eight"


def _printed(*messages) -> str:
    out = io.StringIO()
    ConsoleEmailBackend(stream=out).send_messages(list(messages))
    return out.getvalue()


class Prebuilt:
    """Like the notices built as bytes: `message()` parses them back (compat32 policy)."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def message(self) -> email.message.Message:
        return email.message_from_bytes(self.raw)


def test_it_prints_a_long_link_whole_and_the_subject_decoded():
    message = EmailMultiAlternatives(
        SUBJECT,
        f"Hello Zoë,\n\nSet a new password: {LINK}\n\nÀ bientôt\n",
        "Attune <attune@localhost>",
        ["Zoë Müller <zoe@example.com>"],
    )
    message.attach_alternative(f'<p><a href="{LINK}">Set a new password</a></p>', "text/html")

    printed = _printed(message)

    assert f"Subject: {SUBJECT}\n" in printed
    assert "To: Zoë Müller <zoe@example.com>\n" in printed
    assert "From: Attune <attune@localhost>\n" in printed
    assert f"Set a new password: {LINK}\n" in printed
    assert "À bientôt" in printed
    assert "=3D" not in printed and "=?utf-8?" not in printed.lower()
    assert "text/html" in printed and "<a href" not in printed


def test_it_reads_a_message_parsed_from_prebuilt_bytes():
    text = f"Hi Zoë, today's question is waiting: {LINK}\n".encode()
    raw = b"\r\n".join(
        [
            b"From: Attune <attune@localhost>",
            b"To: zoe@example.com",
            b"Subject: =?utf-8?b?" + b64encode(SUBJECT.encode()) + b"?=",
            b"MIME-Version: 1.0",
            b'Content-Type: multipart/alternative; boundary="b1"',
            b"",
            b"--b1",
            b'Content-Type: text/plain; charset="utf-8"',
            b"Content-Transfer-Encoding: quoted-printable",
            b"",
            quopri.encodestring(text).replace(b"\n", b"\r\n"),
            b"--b1",
            b'Content-Type: text/html; charset="utf-8"',
            b"Content-Transfer-Encoding: base64",
            b"",
            b64encode(f'<a href="{LINK}">Answer</a>'.encode()),
            b"--b1--",
            b"",
        ]
    )
    assert b"=\r\n" in raw and b"=3D" in raw  # the source really is folded and escaped

    printed = _printed(Prebuilt(raw))

    assert f"Subject: {SUBJECT}\n" in printed
    assert f"Hi Zoë, today's question is waiting: {LINK}\n" in printed
    assert "=3D" not in printed and "text/html" in printed


def _mailers(tmp_path: Path, **env: str) -> str:
    environ = {key: value for key, value in os.environ.items() if key != "EMAIL_URL"}
    environ |= {"DEBUG": "1", "VAR_DIR": str(tmp_path), **env}
    code = "from django.conf import settings; print(settings.MAILERS['default'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environ | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_it_prints_emails_readably_in_development_and_sends_them_otherwise(tmp_path):
    assert "'BACKEND': 'config.mail.ConsoleEmailBackend'" in _mailers(tmp_path)
    assert "'BACKEND': 'config.mail.ConsoleEmailBackend'" in _mailers(tmp_path, EMAIL_URL="console://")
    smtp = _mailers(tmp_path, EMAIL_URL="smtp://mailer:secret@mail.example.org:587/?tls=True")
    assert "ConsoleEmailBackend" not in smtp
    assert "'host': 'mail.example.org'" in smtp and "'use_tls': True" in smtp
