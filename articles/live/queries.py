"""What readers may see of live coverage and corrections, each rule once, and the queries the
reader pages, the poll endpoint, feeds and the corrections page make.

An entry is public when it is published, not deleted, and its article is public
(`articles.querysets.public_condition`): nothing else reaches a reader. A note (correction or
update) is public when its article is."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.querysets import public_condition

ENTRIES_PER_PAGE = 20
# The newest entries in each poll answer: what a page polling every interval needs, and
# small. A page that has fallen further behind (a tab hidden for long) reloads.
POLL_ENTRIES = 10
KEY_EVENTS_SHOWN = 30
# The poll tells pages about the entries changed last (edited, deleted, unpublished): this
# many, newest change first. A page that last polled before the oldest of them reloads.
RECENT_CHANGES = 50


class LiveEntryQuerySet(models.QuerySet):
    def public(self):
        """Entries readers may see: published, not deleted, of a public article."""
        return self.filter(
            public_condition("article__"),
            status="published",
            deleted_at__isnull=True,
            posted_at__lte=timezone.now(),
        )

    def of(self, article):
        return self.filter(article=article)

    def newest_first(self):
        return self.order_by("-posted_at", "-id")

    def before(self, posted_at, pk):
        """Entries older than the entry (posted_at, pk) in the page's order: "load more"."""
        return self.filter(Q(posted_at__lt=posted_at) | Q(posted_at=posted_at, pk__lt=pk))

    def with_entry_data(self):
        """What an entry shows: its byline, without a query per entry."""
        return self.select_related("author")


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Notes of public articles."""
        return self.filter(public_condition("article__"))

    def corrections(self):
        return self.filter(kind="correction")

    def newest_first(self):
        return self.order_by("-noted_at", "-id")


def poll_seconds() -> int:
    """How often readers' pages ask for news (LIVE_POLL_SECONDS): the server says it in every
    poll answer, so raising it under load slows every open page at its next poll."""
    return max(5, int(getattr(settings, "LIVE_POLL_SECONDS", 15)))


def coverage_of(article):
    """The article's live coverage, or None."""
    from articles.live.models import LiveCoverage

    return LiveCoverage.objects.filter(article=article).first()


def entry_cursor(entry) -> str:
    """Where "load more" continues after `entry`: its time (microseconds) and id."""
    moment = entry.posted_at
    return f"{int(moment.timestamp())}{moment.microsecond:06d}-{entry.pk}"


def parse_cursor(cursor: str):
    """(posted_at, pk) of a cursor from `entry_cursor`, or None when it is not one."""
    micros, _, pk = cursor.partition("-")
    if not (micros.isdigit() and pk.isdigit()) or len(micros) > 20 or len(pk) > 18:
        return None
    try:
        moment = datetime.datetime.fromtimestamp(int(micros) / 1_000_000, tz=datetime.UTC)
        moment = moment.replace(microsecond=int(micros[-6:]))
    except (OverflowError, ValueError, OSError):
        return None
    return moment, int(pk)


def entries_page(
    article, *, page: int = 1, cursor=None, size: int = ENTRIES_PER_PAGE
) -> tuple[list, object]:
    """A page of `size` public entries, newest first, and the entry the next page starts
    after (None on the last page): one query, whatever the page."""
    entries = public_entries(article)
    if cursor is not None:
        entries = entries.before(*cursor)
        start = 0
    else:
        start = (max(page, 1) - 1) * size
    rows = list(entries[start : start + size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, rows[-1] if more else None


def public_entries(article):
    """The coverage's public entries with what they show, newest first."""
    from articles.live.models import LiveEntry

    return LiveEntry.objects.public().of(article).with_entry_data().newest_first()


def key_events(article) -> list:
    """The coverage's public key events, newest first (the summary at the top)."""
    from articles.live.models import LiveEntry

    return list(
        LiveEntry.objects.public()
        .of(article)
        .filter(key_event=True)
        .newest_first()
        .only("pk", "headline", "posted_at", "article_id")[:KEY_EVENTS_SHOWN]
    )


def pinned_entry(coverage):
    """The pinned entry, if it is public."""
    if coverage is None or coverage.pinned_entry_id is None:
        return None
    from articles.live.models import LiveEntry

    return LiveEntry.objects.public().with_entry_data().filter(pk=coverage.pinned_entry_id).first()


def recent_changes(article) -> tuple[list, list, object]:
    """The last changes to the coverage's entries: ([ids of public entries edited after they
    were posted], [ids of entries readers saw that are no longer public], the time of the
    oldest change listed when there were more, else None). What a page that polled recently
    needs to catch up with edits and deletions; new entries come with the newest ones."""
    from articles.live.models import LiveEntry

    changed = list(
        LiveEntry.objects.of(article)
        .filter(posted_at__isnull=False)  # never published: readers never saw it
        .order_by("-updated_at", "-id")
        .values_list("pk", "updated_at", "posted_at")[:RECENT_CHANGES]
    )
    public_ids = set(
        LiveEntry.objects.public()
        .filter(pk__in=[pk for pk, _updated, _posted in changed])
        .values_list("pk", flat=True)
    )
    edited = [pk for pk, updated, posted in changed if pk in public_ids and updated > posted]
    removed = [pk for pk, _updated, _posted in changed if pk not in public_ids]
    since = changed[-1][1] if len(changed) == RECENT_CHANGES else None
    return sorted(edited), removed, since
