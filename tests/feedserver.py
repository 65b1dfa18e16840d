"""A real HTTP server on 127.0.0.1 (an ephemeral port, a thread of the test process) serving
feeds from a folder, plus the faults a feed reader meets: broken XML, a 304 for an unchanged
feed, a slow answer, a redirect, a 404."""

from __future__ import annotations

import email.utils
import hashlib
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BROKEN_XML = (b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Broken</title>\n'
              b'<item><title>Half an item</title><description>cut off here')
MODIFIED = email.utils.formatdate(1_700_000_000, usegmt=True)
TYPES = {".rss": "application/rss+xml", ".atom": "application/atom+xml",
         ".rdf": "application/rdf+xml", ".xml": "application/xml", ".opml": "text/x-opml",
         ".html": "text/html; charset=utf-8"}


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, folders: list[Path]):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.folders = folders
        self.requests: list[tuple[str, dict]] = []     # (path, headers) as received
        self.release = threading.Event()                # lets a slow answer finish

    def handle_error(self, request, client_address) -> None:
        pass           # a client that gave up (the slow answer's timeout) is no test failure

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def file(self, name: str) -> Path | None:
        for folder in self.folders:
            path = folder / name
            if name and "/" not in name and path.is_file():
                return path
        return None


class _Handler(BaseHTTPRequestHandler):
    server: FeedServer

    def log_message(self, *args) -> None:      # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server.requests.append((self.path, dict(self.headers)))
        path = self.path.lstrip("/")
        if path == "broken.xml":
            return self._send(200, BROKEN_XML, "application/rss+xml")
        if path.startswith("redirect/"):
            self.send_response(301)
            self.send_header("Location", self.server.url(path.removeprefix("redirect/")))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if path.startswith("slow/"):
            self.server.release.wait(30)           # the test ends it at teardown
            return None                             # the client has long given up
        if path.startswith("story/"):               # an item's link: its page, if served
            path = path.removeprefix("story/") + ".html"
        file = self.server.file(path)
        if file is None:
            return self._send(404, b"not found", "text/plain")
        body = file.read_bytes().replace(b"127.0.0.1:8765", self.server.base[7:].encode())
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        return self._send(200, body, TYPES.get(file.suffix, "application/octet-stream"),
                          {"ETag": etag, "Last-Modified": MODIFIED})

    def _send(self, status: int, body: bytes, kind: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(*folders: Path):
    """A FeedServer over `folders` (the first holding a name wins), stopped on exit."""
    server = FeedServer([Path(f) for f in folders])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


SYNTHETIC_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Harbour Gazette</title>
<link>http://127.0.0.1:8765/</link>
<description>Local news</description>
<item>
  <title>Ferry &lt;Tern&gt; returns to service</title>
  <link>http://127.0.0.1:8765/story/ferry</link>
  <guid isPermaLink="false">gazette-ferry-1</guid>
  <pubDate>Tue, 03 Mar 2026 08:15:00 +0000</pubDate>
  <dc:creator>Ada Quill</dc:creator>
  <description>The ferry is back.</description>
  <content:encoded><![CDATA[<p>The <b>harbour ferry</b> Tern returned to service on Tuesday
  after a winter refit.</p><p>Skipper Morven Ash said the crossing "felt like spring".</p>
  <script>alert('nope')</script>]]></content:encoded>
</item>
<item>
  <title>Lighthouse keepers vote on strike</title>
  <link>http://127.0.0.1:8765/story/lighthouse</link>
  <pubDate>Mon, 02 Mar 2026 17:40:00 +0000</pubDate>
  <description>&lt;p&gt;Keepers at the north light will vote on a strike over
  pay.&lt;/p&gt;</description>
</item>
<item>
  <title>Gull census counts record numbers</title>
  <guid>http://127.0.0.1:8765/story/gulls</guid>
  <description>Volunteers counted 4,210 gulls on the breakwater.</description>
</item>
</channel>
</rss>
"""

SYNTHETIC_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Quay Weekly</title>
<id>urn:quay</id>
<updated>2026-03-04T10:00:00Z</updated>
<entry>
  <title>Quayside market expands</title>
  <id>urn:quay:market</id>
  <link href="http://127.0.0.1:8765/quay/market"/>
  <published>2026-03-04T09:30:00Z</published>
  <updated>2026-03-04T09:30:00Z</updated>
  <author><name>Bryn Tallow</name></author>
  <content type="html">&lt;p&gt;The quayside market adds twelve stalls.&lt;/p&gt;</content>
</entry>
</feed>
"""


def synthetic_feeds(folder: Path) -> Path:
    """Two small feeds written into `folder` (the core tests need no ../shared)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "gazette.rss").write_text(SYNTHETIC_RSS, encoding="utf-8")
    (folder / "quay.atom").write_text(SYNTHETIC_ATOM, encoding="utf-8")
    return folder
