"""Who may reach the web app, and what a request may bring: logins, host names, uploads, sizes.

The app is a local program first. On loopback it needs no login; on any other address it needs the
logins of `Config.auth`. Whatever the address, it answers only to host names it knows (so a hostile
web page cannot reach it through DNS rebinding), slows down guessed passwords, refuses oversized
requests before they are read, and takes uploaded files only from Gradio's own upload folder.
"""
from __future__ import annotations

import ipaddress
import os
import socket
import threading
import time
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit
from .. import AccessError, RequestTooLarge, UploadRefused

MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # per file, whichever way it comes in
MAX_REQUEST_BYTES = 1024 * 1024  # any other request: a question or notes are far smaller
LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


# -- addresses and logins --------------------------------------------------------------------------

def is_loopback(host: str) -> bool:
    """Decided on the address the server binds, not on the name's text: '127.0.0.1.nip.io' is not."""
    host = host.strip().strip("[]")
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_logins(spec: str | None) -> list[tuple[str, str]]:
    """'anna:geheim,bob:ook-geheim' -> [(user, password), ...]; a malformed entry is an error."""
    pairs = []
    for number, item in enumerate((spec or "").split(","), start=1):
        user, colon, password = item.partition(":")
        if not colon or not user.strip() or not password:
            raise AccessError(f"MDT_AUTH entry {number} is not 'user:password' (entries are separated by commas)")
        if user.strip() in (u for u, _ in pairs):
            raise AccessError(f"MDT_AUTH names the user {user.strip()!r} twice")
        pairs.append((user.strip(), password))
    return pairs


def access_credentials(host: str, spec: str | None) -> list[tuple[str, str]] | None:
    """The logins the app requires on `host`: None on loopback without MDT_AUTH, else the parsed list."""
    if not spec:
        if is_loopback(host):
            return None
        raise AccessError(f"listening on {host} makes the app reachable from other machines: "
                          "set MDT_AUTH=user:password to require a login, or use --host 127.0.0.1")
    return parse_logins(spec)


def allowed_hosts(bound: str, configured: tuple[str, ...] = ()) -> set[str]:
    """The host names (lower case, no port) the app answers to, besides any IP literal."""
    names = set(LOCAL_NAMES) | {h.lower() for h in configured}
    if not is_loopback(bound):
        names.add(bound.lower())
        if bound in ("0.0.0.0", "::", ""):  # every address of this machine: its own names too
            for name in (socket.gethostname(), socket.getfqdn()):
                if name:
                    names.add(name.lower())
    return names


def host_of(value: str) -> str:
    """The host part of a Host header or an Origin URL, lower case, without port or brackets."""
    value = value.strip()
    if "://" in value:
        value = urlsplit(value).netloc
    if value.startswith("["):
        return value[1:value.find("]")].lower() if "]" in value else ""
    return value.rsplit(":", 1)[0].lower() if value.count(":") == 1 else value.lower()


def is_known_host(host: str, names: set[str]) -> bool:
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
        return True  # an address typed by the user: no name that a stranger's DNS could point here
    except ValueError:
        return host in names


class LoginLimiter:
    """Failed logins per client: after `limit` failures in `window` seconds, that client waits
    until the oldest failure leaves the window. Successful logins do not count."""

    def __init__(self, limit: int = 5, window: float = 60.0):
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> float:
        """Seconds this client must wait before trying again; 0 when it may try now."""
        now = time.monotonic()
        with self._lock:
            failures = self._failures.get(client)
            if not failures:
                return 0.0
            while failures and now - failures[0] > self.window:
                failures.popleft()
            if len(failures) < self.limit:
                return 0.0
            return max(0.1, self.window - (now - failures[0]))

    def failed(self, client: str) -> None:
        with self._lock:
            self._failures.setdefault(client, deque(maxlen=self.limit * 4)).append(time.monotonic())
            if len(self._failures) > 10_000:  # many clients: forget the quietest
                for key in list(self._failures)[:5_000]:
                    del self._failures[key]


# -- uploads --------------------------------------------------------------------------------------

def upload_folder() -> Path:
    """Gradio's own folder for files that users upload (GRADIO_TEMP_DIR or <tmp>/gradio)."""
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder()).resolve()


def checked_upload(path, folder: Path | None = None, max_bytes: int = MAX_UPLOAD_BYTES) -> Path:
    """The uploaded file's path, if it is a regular file inside the upload folder (resolved, no
    symbolic link on the way) of at most max_bytes; UploadRefused otherwise. Nothing is read."""
    folder = (folder or upload_folder()).resolve()
    given = Path(str(getattr(path, "path", None) or getattr(path, "name", None) or path))
    try:
        resolved = given.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        raise UploadRefused("not an uploaded file") from None
    if not resolved.is_relative_to(folder) or resolved != Path(os.path.abspath(given)):
        raise UploadRefused("not an uploaded file")
    if not resolved.is_file():
        raise UploadRefused("not an uploaded file")
    if resolved.stat().st_size > max_bytes:
        raise UploadRefused(f"larger than {max_bytes // (1024 * 1024)} MB")
    return resolved


# -- every request --------------------------------------------------------------------------------

class RequestGuard:
    """ASGI middleware in front of the whole app: known hosts only (Host and, when sent, Origin),
    a size limit on request bodies (uploads have Gradio's own), and a slow-down for failed logins
    on Gradio's login route."""

    def __init__(self, app, hosts: set[str], limiter: LoginLimiter, upload_path: str = "/gradio_api/upload",
                 max_body: int = MAX_REQUEST_BYTES):
        self.app = app
        self.hosts = hosts
        self.limiter = limiter
        self.upload_path = upload_path
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        origin = headers.get("origin")
        if not is_known_host(host_of(headers.get("host", "")), self.hosts) or (
                origin and origin != "null" and not is_known_host(host_of(origin), self.hosts)):
            return await _plain(send, 421 if scope["type"] == "http" else 403, "unknown host name")
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        limit = None if path.startswith(self.upload_path) else self.max_body
        length = headers.get("content-length", "")
        if limit is not None and length.isdigit() and int(length) > limit:
            return await _plain(send, 413, "request too large")
        client = (scope.get("client") or ("?", 0))[0]
        is_login = scope.get("method") == "POST" and path.rstrip("/").endswith("/login")
        if is_login:
            wait = self.limiter.retry_after(client)
            if wait:
                return await _plain(send, 429, "too many failed logins; try again later",
                                    [(b"retry-after", str(int(wait) + 1).encode())])

        received = 0

        async def counted_receive():
            nonlocal received
            message = await receive()
            if limit is not None and message.get("type") == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestTooLarge()
            return message

        async def watched_send(message):
            if is_login and message.get("type") == "http.response.start" and message.get("status") != 200:
                self.limiter.failed(client)
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except RequestTooLarge:
            await _plain(send, 413, "request too large")


async def _plain(send, status: int, text: str, extra: list | None = None) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())] + (extra or [])})
    await send({"type": "http.response.body", "body": body})
