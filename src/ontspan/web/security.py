"""What keeps the web app safe even on a home network: headers, Host check, pairing, CSRF.

Three ASGI layers, outermost first: security headers on every response (errors included), the
Host check (no DNS rebinding, never a wildcard), and in LAN mode the pairing gate (a device
needs the cookie a one-time link gives it)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
from collections.abc import Callable
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "media-src 'self' blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
# Only what the player uses (keeping the screen on, autoplay of its own audio); the rest is off.
PERMISSIONS_POLICY = ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                      "serial=(), midi=(), magnetometer=(), gyroscope=(), "
                      "accelerometer=(), display-capture=(), "
                      "screen-wake-lock=(self), autoplay=(self), fullscreen=(self)")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"permissions-policy", PERMISSIONS_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
# An image that is only drawn: its own inline styles, no script, no fetches, no framing.
IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# The one page that may use the microphone: a therapist recording their own voice.
MICROPHONE_PAGES = ("/voice",)
_WITH_MICROPHONE = [(k, v.replace(b"microphone=()", b"microphone=(self)"))
                    for k, v in SECURITY_HEADERS]

ASGIApp = Any  # an ASGI callable; Starlette types it loosely too


class SecurityHeaders:
    """Adds the security headers to every HTTP response: pages, files, 400s, 403s and 500s."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        headers = _WITH_MICROPHONE if scope["path"] in MICROPHONE_PAGES else SECURITY_HEADERS

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                # A response may narrow its own policy (the chart's SVG allows its inline
                # styles and nothing else); every other header is always ours.
                own = [(k, v) for k, v in message.get("headers", [])
                       if k.lower() == b"content-security-policy"]
                names = {name for name, _ in headers}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = [*kept, *own, *[(k, v) for k, v in headers
                                                     if not (own and k == own[0][0].lower())]]
            await send(message)

        await self.app(scope, receive, with_headers)


def host_name(header: str) -> str:
    """The name in a Host header without its port; IPv6 literals come in brackets."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else ""
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


async def _plain(send: Any, status: int, body: str) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
    await send({"type": "http.response.body", "body": body.encode()})


class HostCheck:
    """Refuses any Host not on the list, so a rebound DNS name cannot reach the app."""

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        if any(h in ("*", "") or "*" in h for h in allowed):
            raise ValueError("the Host check cannot be switched off")
        self.app = app
        self.allowed = {h.lower().strip("[]") for h in allowed}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = dict(scope.get("headers", []))
            name = host_name(headers.get(b"host", b"").decode("latin-1"))
            if name not in self.allowed:
                await _plain(send, 400, "Invalid host header")
                return
        await self.app(scope, receive, send)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Pairing:
    """LAN mode: a one-time link carries a random token; using it gives that device a cookie.

    Paired devices are kept as hashes (in `store` if given), so a phone stays paired when the
    server restarts; a new link is made each time one is used and passed to `on_paired`."""

    COOKIE = "device"

    def __init__(self, base: str, on_paired: Callable[[str], None] | None = None,
                 store: Path | None = None) -> None:
        self.base = base.rstrip("/")
        self.on_paired = on_paired
        self.store = store
        self.devices: set[str] = set()
        if store is not None and store.exists():
            self.devices = set(json.loads(store.read_text(encoding="utf-8")))
        self.token = secrets.token_urlsafe(24)

    @property
    def link(self) -> str:
        return f"{self.base}/pair?token={self.token}"

    def paired(self, cookie: str | None) -> bool:
        return bool(cookie) and _digest(cookie or "") in self.devices

    def pair(self, token: str) -> str | None:
        """A new device secret when `token` is the current one (which is then used up)."""
        if not secrets.compare_digest(token.encode(), self.token.encode()):
            return None
        secret = secrets.token_urlsafe(32)
        self.devices.add(_digest(secret))
        if self.store is not None:
            from ontspan.files import write_text_atomic

            write_text_atomic(self.store, json.dumps(sorted(self.devices)))
        self.token = secrets.token_urlsafe(24)
        if self.on_paired is not None:
            self.on_paired(self.link)
        return secret


class PairingGate:
    """Lets through only paired devices; /pair?token=… pairs one."""

    def __init__(self, app: ASGIApp, pairing: Pairing, refused: str) -> None:
        self.app = app
        self.pairing = pairing
        self.refused = refused

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        cookies = SimpleCookie()
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                with contextlib.suppress(Exception):  # a malformed cookie is no pairing
                    cookies.load(value.decode("latin-1"))
        device = cookies.get(Pairing.COOKIE)
        if self.pairing.paired(device.value if device else None):
            await self.app(scope, receive, send)
            return
        if scope["path"] == "/pair" and scope["type"] == "http":
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            secret = self.pairing.pair((query.get("token") or [""])[0])
            if secret is not None:
                # Lax, not Strict: the link arrives from a camera app, a cross-site navigation.
                cookie = (f"{Pairing.COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; "
                          f"Max-Age={400 * 24 * 3600}")
                await send({"type": "http.response.start", "status": 303,
                            "headers": [(b"location", b"/"), (b"set-cookie", cookie.encode())]})
                await send({"type": "http.response.body", "body": b""})
                return
        if scope["type"] == "http":
            await _plain(send, 403, self.refused)


def check_form(request: Request, data: Any) -> dict[str, str]:
    """The posted form, after the same-origin check and the CSRF token check."""
    origin = request.headers.get("origin")
    if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":
        raise PermissionError("cross-site request refused")
    token = request.cookies.get("csrf")
    sent = data.get("csrf")
    if not token or not isinstance(sent, str) or not secrets.compare_digest(token, sent):
        raise PermissionError("missing or wrong form token; reload the page")
    return {k: v for k, v in data.items() if isinstance(v, str)}


def script_json(data: Any) -> str:
    """JSON safe inside <script type="application/json">: no `</script>`, no `<!--`."""
    text = json.dumps(data, ensure_ascii=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
