"""Signing and sending one delivery (pure HTTP, no database).

A delivery is a POST of the event as JSON with these headers:

  X-Newsroom-Event         the event type, e.g. article.published
  X-Newsroom-Event-Id      the event's uuid: the same on every retry, so receivers drop duplicates
  X-Newsroom-Timestamp     seconds since the epoch when this attempt was signed
  X-Newsroom-Signature     sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the secret>

Any 2xx answer is success; anything else (a redirect too: it is not followed), a refused
connection or a timeout is a failure. Timeouts are short (`TIMEOUT` seconds to connect and for
each read), and at most `MAX_RESPONSE_BYTES` of the answer are read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

TIMEOUT = 5.0
MAX_RESPONSE_BYTES = 1024
USER_AGENT = "Newsroom-Webhooks/1"


def event_body(event) -> bytes:
    document = {
        "id": str(event.id),
        "type": event.type,
        "created_at": event.created_at.isoformat(),
        "data": event.payload,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str = ""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is answered as it is: a failure


_opener = urllib.request.build_opener(_NoRedirects)


def post(url: str, secret: str, event, *, timeout: float | None = None) -> Outcome:
    body = event_body(event)
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Newsroom-Event": event.type,
            "X-Newsroom-Event-Id": str(event.id),
            "X-Newsroom-Timestamp": timestamp,
            "X-Newsroom-Signature": signature(secret, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=timeout or TIMEOUT) as response:
            response.read(MAX_RESPONSE_BYTES)
            code = response.status
    except urllib.error.HTTPError as error:
        return Outcome(False, error.code, f"HTTP {error.code}")
    except (OSError, ValueError) as error:  # refused, timed out, reset, bad URL
        return Outcome(False, None, f"{type(error).__name__}: {error}"[:500])
    if 200 <= code < 300:
        return Outcome(True, code)
    return Outcome(False, code, f"HTTP {code}")
