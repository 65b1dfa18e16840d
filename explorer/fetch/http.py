"""One polite HTTP GET: a user agent, a timeout, redirects followed, gzip, a size cap, and a
conditional request (ETag / Last-Modified) so an unchanged feed costs a 304 and no body."""

from __future__ import annotations

import gzip
import socket
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

MAX_BYTES = 20_000_000       # a feed or page larger than this is refused, not read into memory
TIMEOUT = 20.0               # seconds without an answer before a fetch gives up


def user_agent() -> str:
    try:
        number = version("news-explorer")
    except PackageNotFoundError:
        number = "dev"
    return f"news-explorer/{number} (+feed reader; terminal app)"


class FetchError(Exception):
    """A fetch that failed; the message is one short line (status, timeout, refused...)."""


@dataclass(frozen=True)
class Response:
    url: str                 # after redirects
    status: int              # 200, or 304 (not modified: no body)
    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str


def get(url: str, *, etag: str | None = None, last_modified: str | None = None,
        timeout: float = TIMEOUT) -> Response:
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError("not an http(s) URL")
    headers = {"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate",
               "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
                         "text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            body = answer.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise FetchError(f"larger than {MAX_BYTES // 1_000_000} MB")
            body = _decoded(body, answer.headers.get("Content-Encoding", ""))
            return Response(answer.geturl(), answer.status, body, answer.headers.get("ETag"),
                            answer.headers.get("Last-Modified"),
                            answer.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Response(exc.geturl() or url, 304, b"", exc.headers.get("ETag") or etag,
                            exc.headers.get("Last-Modified") or last_modified, "")
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise FetchError(f"timed out after {timeout:g} s") from None
        raise FetchError(str(getattr(reason, "strerror", None) or reason)) from None
    except (socket.timeout, TimeoutError):
        raise FetchError(f"timed out after {timeout:g} s") from None
    except (OSError, ValueError) as exc:        # a reset connection, a malformed URL
        raise FetchError(" ".join(str(exc).split()) or type(exc).__name__) from None


def _decoded(body: bytes, encoding: str) -> bytes:
    encoding = encoding.strip().lower()
    try:
        if encoding == "gzip":
            return gzip.decompress(body)
        if encoding == "deflate":
            return zlib.decompress(body)
    except (OSError, zlib.error) as exc:
        raise FetchError(f"bad {encoding} body: {exc}") from None
    return body
