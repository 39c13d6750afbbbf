"""Polling one agency feed: fetch (conditional GET) or list the drop folder, import every
item through the wire importer, record the feed's health.

- HTTP(S): the last ``ETag`` and ``Last-Modified`` are sent back (``If-None-Match``,
  ``If-Modified-Since``); 304 means nothing new. The body is an Atom or RSS feed (entries
  linking to NewsML-G2 / NITF items, fetched one by one, or carrying their own text), or a
  NewsML-G2 newsItem / newsMessage, or an NITF document.
- Drop folder: every file in it, oldest first; an imported file moves to ``done/``, one that
  cannot be read to ``failed/``.
- One bad item (unreadable, refused XML, a fetch that fails) is noted in the feed's last error
  and never stops the others. A feed that cannot be fetched at all (network, HTTP 5xx, not a
  feed) counts a failure: the next poll waits the feed's interval doubled per failure in a row,
  at most ``BACKOFF_CAP``.
- Idempotent: every item is its own transaction and the same guid and version is one item,
  so a poll cut short anywhere is repeated by the next with nothing lost or doubled (the
  validators are saved only once every entry was handled).
"""

from __future__ import annotations

import base64
import logging
import shutil
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.agency import ingest
from articles.agency.models import AgencyFeed
from articles.agency.syndication import parse_feed
from articles.wire.detect import FEED, NEWSML, NITF, detect_format
from articles.wire.importer import WireImporter, WireImportError
from articles.wire.newsml import parse_newsml_each
from articles.wire.story import MAX_WIRE_BYTES, WireParseError

logger = logging.getLogger(__name__)

MAX_FEED_BYTES = 8 * 1024 * 1024
MAX_FOLDER_FILES = 500  # per poll; the rest wait for the next
TIMEOUT_SECONDS = 20
BACKOFF_CAP = timedelta(hours=2)
LOCK_NAMESPACE = 0x4146  # "AF": one poll of a feed at a time
USER_AGENT = "Newsroom-agency-poller/1"
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/vnd.iptc.g2.newsmessage+xml, "
    "application/vnd.iptc.g2.newsitem+xml, application/nitf+xml, application/xml;q=0.9, */*;q=0.1"
)


class FeedUnavailable(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class PollReport:
    status: str = "fetched"  # "fetched", "not_modified", "failed", "busy"
    results: list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        counts: dict[str, int] = {}
        for result in self.results:
            counts[result.status] = counts.get(result.status, 0) + 1
        parts = [self.status, *(f"{k} {v}" for k, v in sorted(counts.items()))]
        if self.errors:
            parts.append(f"errors {len(self.errors)}")
        return ", ".join(parts)


def poll_feed(feed_id: int) -> PollReport:
    """Poll one feed now (whatever its schedule); another poll of it running means "busy"."""
    with _feed_lock(feed_id) as locked:
        if not locked:
            return PollReport(status="busy")
        feed = AgencyFeed.objects.select_related("section", "source").get(pk=feed_id)
        importer = WireImporter(publish=feed.publish, section=feed.section)
        report = PollReport()
        try:
            if feed.kind == AgencyFeed.Kind.FOLDER:
                _poll_folder(feed, importer, report)
            else:
                _poll_http(feed, importer, report)
        except FeedUnavailable as error:
            report.status = "failed"
            report.errors.append(error.reason)
            _record_failure(feed, error.reason)
            return report
        _record_success(feed, report)
        return report


# --- HTTP(S) ----------------------------------------------------------------------------------


def fetch(url: str, feed: AgencyFeed, *, conditional: bool, limit: int = MAX_FEED_BYTES):
    """(status, body, headers); 304 gives (304, b"", headers). Raises FeedUnavailable."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise FeedUnavailable(
            _("only http and https addresses are fetched: %(url)s") % {"url": url}
        )
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": ACCEPT})
    if conditional and feed.etag:
        request.add_header("If-None-Match", feed.etag)
    if conditional and feed.last_modified:
        request.add_header("If-Modified-Since", feed.last_modified)
    if feed.username or feed.password:
        token = base64.b64encode(f"{feed.username}:{feed.password}".encode()).decode()
        # Not repeated on a redirect: the credentials go to the feed's own address only.
        request.add_unredirected_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(limit + 1)
            headers = response.headers
            status = response.status
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return 304, b"", error.headers
        raise FeedUnavailable(
            _("HTTP %(code)s from %(url)s") % {"code": error.code, "url": url}
        ) from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise FeedUnavailable(
            _("cannot fetch %(url)s: %(reason)s") % {"url": url, "reason": reason}
        ) from None
    if len(body) > limit:
        raise FeedUnavailable(
            _("%(url)s is larger than %(limit)s MB") % {"url": url, "limit": limit // 2**20}
        )
    return status, body, headers


def _poll_http(feed: AgencyFeed, importer: WireImporter, report: PollReport) -> None:
    status, body, headers = fetch(feed.url, feed, conditional=True)
    if status == 304:
        report.status = "not_modified"
        return
    kind = detect_format(body)
    if kind == FEED:
        try:
            entries = parse_feed(body)
        except WireParseError as error:
            raise FeedUnavailable(
                _("the feed cannot be read: %(reason)s") % {"reason": error.reason}
            ) from None
        for entry in entries:
            label = entry.guid or entry.item_url
            if entry.error:
                report.errors.append(f"{label}: {entry.error}")
            elif entry.item_url:
                _import_linked(feed, importer, urljoin(feed.url, entry.item_url), report)
            else:
                _import_one(importer, entry.item, feed, label, report)
    elif kind == NEWSML:
        try:
            parsed = parse_newsml_each(body)
        except WireParseError as error:
            raise FeedUnavailable(
                _("the feed cannot be read: %(reason)s") % {"reason": error.reason}
            ) from None
        for number, item in enumerate(parsed, 1):
            if isinstance(item, WireParseError):
                report.errors.append(f"{feed.url} #{number}: {item.reason}")
            else:
                _import_one(importer, item, feed, item.guid, report)
    elif kind == NITF:
        _import_data(feed, importer, body, feed.url, report)
    else:
        raise FeedUnavailable(
            _("%(url)s is not an Atom, RSS, NewsML-G2 or NITF feed") % {"url": feed.url}
        )
    feed.etag = (headers.get("ETag") or "")[:300]
    feed.last_modified = (headers.get("Last-Modified") or "")[:100]


def _import_linked(feed, importer, url: str, report: PollReport) -> None:
    try:
        _status, data, _headers = fetch(url, feed, conditional=False, limit=MAX_WIRE_BYTES)
    except FeedUnavailable as error:
        report.errors.append(error.reason)
        return
    _import_data(feed, importer, data, url, report)


def _import_data(feed, importer, data: bytes, label: str, report: PollReport) -> bool:
    try:
        report.results += importer.import_items(data, name=label, feed=feed)
    except (WireParseError, WireImportError) as error:
        report.errors.append(f"{label}: {error.reason}")
        return False
    except DatabaseError:
        raise  # the database is gone: the poll stops, the task retries
    except Exception as error:  # a bug on one item must not stop the feed
        logger.exception("agency feed %s: item %s failed", feed.pk, label)
        report.errors.append(f"{label}: {error!r}")
        return False
    return True


def _import_one(importer, item, feed, label: str, report: PollReport) -> None:
    try:
        report.results.append(ingest.import_item(importer, item, feed=feed))
    except WireImportError as error:
        report.errors.append(f"{label}: {error.reason}")
    except DatabaseError:
        raise
    except Exception as error:
        logger.exception("agency feed %s: item %s failed", feed.pk, label)
        report.errors.append(f"{label}: {error!r}")


# --- Drop folders -----------------------------------------------------------------------------


def _poll_folder(feed: AgencyFeed, importer: WireImporter, report: PollReport) -> None:
    folder = Path(feed.folder)
    if not folder.is_dir():
        raise FeedUnavailable(_("the drop folder %(folder)s does not exist") % {"folder": folder})
    try:
        files = sorted(
            (path for path in folder.iterdir() if path.is_file() and not path.name.startswith(".")),
            key=lambda path: (path.stat().st_mtime, path.name),
        )[:MAX_FOLDER_FILES]
    except OSError as error:
        raise FeedUnavailable(str(error)) from None
    for path in files:
        try:
            data = path.read_bytes()[: MAX_WIRE_BYTES + 1]
        except OSError as error:
            report.errors.append(f"{path.name}: {error}")
            continue
        imported = _import_data(feed, importer, data, path.name, report)
        # Moved only after its items committed: a crash before the move imports it again
        # next time, which finds the same items and changes nothing.
        _move(path, folder / ("done" if imported else "failed"))


def _move(path: Path, into: Path) -> None:
    into.mkdir(exist_ok=True)
    target = into / path.name
    if target.exists():
        target = into / f"{path.stem}-{timezone.now():%Y%m%d%H%M%S%f}{path.suffix}"
    shutil.move(str(path), str(target))


# --- The feed's health ------------------------------------------------------------------------


def _record_success(feed: AgencyFeed, report: PollReport) -> None:
    now = timezone.now()
    feed.failures = 0
    feed.last_polled_at = feed.last_success_at = now
    if report.errors:
        feed.last_error_at = now
        feed.last_error = "\n".join(report.errors[:10])
    feed.next_poll_at = now + timedelta(minutes=feed.interval_minutes)
    feed.save(
        update_fields=[
            "etag",
            "last_modified",
            "failures",
            "last_polled_at",
            "last_success_at",
            "last_error_at",
            "last_error",
            "next_poll_at",
        ]
    )


def backoff(feed: AgencyFeed) -> timedelta:
    """The wait after `feed.failures` failed polls in a row: the interval, doubled each time."""
    interval = timedelta(minutes=feed.interval_minutes)
    return min(BACKOFF_CAP, interval * 2 ** min(feed.failures, 16))


def _record_failure(feed: AgencyFeed, reason: str) -> None:
    now = timezone.now()
    feed.failures += 1
    feed.last_polled_at = feed.last_error_at = now
    feed.last_error = reason
    feed.next_poll_at = now + backoff(feed)
    feed.save(
        update_fields=["failures", "last_polled_at", "last_error_at", "last_error", "next_poll_at"]
    )


class _feed_lock:
    """A session advisory lock per feed: a second poll of the same feed says "busy"."""

    def __init__(self, feed_id: int):
        self.params = [LOCK_NAMESPACE, int(feed_id)]
        self.locked = False

    def __enter__(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", self.params)
            self.locked = cursor.fetchone()[0]
        return self.locked

    def __exit__(self, *exc) -> None:
        if self.locked:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", self.params)
            except DatabaseError:
                pass  # a broken connection dropped the lock with it
