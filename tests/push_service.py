"""A push service in the test process: it takes Web Push requests over HTTP, decrypts
each payload (RFC 8291, aes128gcm) with the subscription's private keys, checks the
VAPID header's claims, and keeps what it got. A browser's push service does the same
before handing the message to the phone, so a test sees exactly what a phone would.
"""

import base64
import json
import os
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Phone:
    """One browser's subscription: its keys are made here, as a browser makes them."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def subscription_json(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


@dataclass
class Delivered:
    phone: Phone
    payload: dict
    headers: dict[str, str]

    @property
    def vapid_claims(self) -> dict:
        token = self.headers["authorization"].removeprefix("vapid ").split(",")[0].strip().removeprefix("t=")
        return json.loads(unb64url(token.split(".")[1]))


class PushService:
    def __init__(self) -> None:
        self.phones: dict[str, Phone] = {}
        self.status: dict[str, int] = {}  # path -> status to answer (201 unless set)
        self.delivered: list[Delivered] = []
        self.lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = service.status.get(self.path, 201)
                phone = service.phones.get(self.path)
                if phone is not None and status == 201:
                    plain = http_ece.decrypt(
                        body, private_key=phone.private_key, auth_secret=phone.auth_secret, version="aes128gcm"
                    )
                    with service.lock:
                        service.delivered.append(
                            Delivered(phone, json.loads(plain), {k.lower(): v for k, v in self.headers.items()})
                        )
                self.send_response(status if phone is not None else 404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args) -> None:  # quiet in test output
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def phone(self, name: str) -> Phone:
        phone = Phone(endpoint=f"{self.url}/push/{name}")
        self.phones[f"/push/{name}"] = phone
        return phone

    def gone(self, phone: Phone) -> None:
        self.status[phone.endpoint.removeprefix(self.url)] = 410

    def start(self) -> "PushService":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def subscribe(user, phone: Phone):
    """`user`'s browser subscribed to push on `phone`."""
    from notifications.models import PushSubscription

    keys = phone.subscription_json()["keys"]
    return PushSubscription.objects.create(user=user, endpoint=phone.endpoint, **keys)
