"""A real agency feed server for the poller's tests: http.server in a thread on a free port,
serving an Atom feed and NewsML-G2 items from a dict the test changes, with ETag /
If-None-Match, Last-Modified / If-Modified-Since, forced errors and basic authentication."""

import hashlib
import http.server
import threading
from dataclasses import dataclass, field

from newsroom.dev.local_servers import free_port


@dataclass
class FeedServer:
    documents: dict[str, bytes | tuple] = field(default_factory=dict)  # path -> body
    fail_with: int | None = None  # answer every request with this status
    credentials: tuple[str, str] | None = None
    requests: list[tuple[str, dict]] = field(default_factory=list)
    port: int = field(default_factory=free_port)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, dict(self.headers.items())))
                if server.fail_with:
                    return self._answer(server.fail_with, b"down")
                if server.credentials and not self._authorised():
                    return self._answer(401, b"who?")
                body = server.documents.get(self.path)
                if body is None:
                    return self._answer(404, b"no")
                if isinstance(body, tuple):  # ("redirect", url)
                    self.send_response(302)
                    self.send_header("Location", body[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    return self._answer(304, b"", etag=etag)
                self._answer(200, body, etag=etag)

            def _authorised(self):
                import base64

                user, password = server.credentials
                expected = base64.b64encode(f"{user}:{password}".encode()).decode()
                return self.headers.get("Authorization") == f"Basic {expected}"

            def _answer(self, status, body, etag=None):
                self.send_response(status)
                if etag:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", "Sat, 02 May 2026 10:00:00 GMT")
                self.send_header("Content-Type", "application/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def paths(self):
        return [path for path, _headers in self.requests]


def atom(entries: list[tuple[str, str]]) -> bytes:
    """An Atom feed whose entries (id, item path) link to NewsML-G2 items."""
    body = "".join(
        f"<entry><id>{entry_id}</id><title>item</title><updated>2026-05-02T10:00:00Z</updated>"
        f'<link rel="enclosure" type="application/vnd.iptc.g2.newsitem+xml" href="{path}"/></entry>'
        for entry_id, path in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>urn:feed</id><title>AFP Arabic</title><updated>2026-05-02T10:00:00Z</updated>{body}</feed>"
    ).encode()


def news_item(guid: str, version: int, headline: str, body: str, status="usable") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="{guid}" version="{version}"
    standard="NewsML-G2" standardversion="2.34" xml:lang="ar">
  <itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:AFP"><name>أ ف ب</name></provider>
    <versionCreated>2026-05-02T10:0{version}:00Z</versionCreated><pubStatus qcode="stat:{status}"/></itemMeta>
  <contentMeta><headline>{headline}</headline></contentMeta>
  <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml">
    <body><p>{body}</p></body></html></inlineXML></contentSet>
</newsItem>""".encode()
