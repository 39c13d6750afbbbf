"""The roll-up: counted reads waiting in Redis (or the buffer table) become hourly counts per
article in PostgreSQL, then the most-read lists are worked out again.

A periodic task (`roll_up_reads`, every 10 minutes: articles/tasks/periodic.py, run by
`manage.py run_scheduler`) does it, or `manage.py roll_up_reads` by hand. Only public articles are kept
(`Article.objects.published()`, the one publication rule); reads of anything else are dropped.

Exactly once, however it fails:
- Redis: each hour's hash `hits:<hour>` is first renamed to `batch:<random id>:<hour>` (atomic:
  new beacons start a fresh hash). A batch is added to HourlyReads in one transaction that also
  records its name in AppliedBatch (unique); only then is it deleted from Redis. A roll-up that
  dies after the rename leaves the batch for the next one; one that dies after the commit
  leaves a batch whose name is in the ledger, which the next one deletes without adding it.
- Buffer table: the rows are deleted and added in one transaction (DELETE … RETURNING), so a
  roll-up that dies half-way has changed nothing.
Counts already rolled up live in PostgreSQL: a Redis restart loses only the reads since the
last roll-up.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from articles.readership import lists
from articles.readership.counting import HOUR_FORMAT, RedisStore, store
from articles.readership.models import AppliedBatch, HourlyReads
from articles.tasks.retry import RetryPolicy, retrying_task

# How long the ledger remembers applied batches (longer than a batch can wait in Redis).
LEDGER_DAYS = 8


@dataclass
class RollupResult:
    reads: int = 0  # reads added to the hourly counts
    dropped: int = 0  # reads of articles that are not public
    batches: int = 0
    lists_changed: bool = False

    def __str__(self):
        return (
            f"{self.reads} reads added, {self.dropped} dropped, {self.batches} batches; "
            f"lists {'changed' if self.lists_changed else 'unchanged'}"
        )


def roll_up(*, refresh_lists: bool = True) -> RollupResult:
    result = RollupResult()
    current = store()
    if isinstance(current, RedisStore):
        current.flush()  # this process's waiting beacons (others send theirs on their own)
        _roll_up_redis(current, result)
    # Always: reads buffered before Redis was configured are not lost.
    _roll_up_buffer(result)
    AppliedBatch.objects.filter(
        applied_at__lt=timezone.now() - timedelta(days=LEDGER_DAYS)
    ).delete()
    if refresh_lists:
        result.lists_changed = lists.refresh()
    return result


def _roll_up_redis(redis_store: RedisStore, result: RollupResult) -> None:
    client, prefix = redis_store.client, redis_store.prefix
    for key in list(client.scan_iter(match=f"{prefix}:hits:*", count=500)):
        hour = key.decode().rsplit(":", 1)[1]
        batch = f"{prefix}:batch:{uuid.uuid4().hex}:{hour}"
        if _rename(client, key, batch):
            client.expire(batch, 7 * 24 * 3600)
    for key in list(client.scan_iter(match=f"{prefix}:batch:*", count=500)):
        name = key.decode()[len(prefix) + 1 :]
        hour = _hour(name.rsplit(":", 1)[1])
        counts = {int(pk): int(n) for pk, n in client.hgetall(key).items()}
        with transaction.atomic():
            _, new = AppliedBatch.objects.get_or_create(name=name)
            if new:
                _add(result, [(pk, hour, n) for pk, n in counts.items()])
        client.delete(key)
        result.batches += 1


def _rename(client, key, batch) -> bool:
    import redis

    try:
        client.rename(key, batch)
    except redis.ResponseError:  # gone: another roll-up took it first
        return False
    return True


def _hour(label: str) -> datetime:
    return datetime.strptime(label, HOUR_FORMAT).replace(tzinfo=UTC)


def _roll_up_buffer(result: RollupResult) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "WITH taken AS (DELETE FROM articles_pendingread RETURNING article_id, hour) "
            "SELECT article_id, hour, count(*) FROM taken GROUP BY article_id, hour"
        )
        rows = cursor.fetchall()
        if rows:
            _add(result, rows)
            result.batches += 1


def _add(result: RollupResult, rows) -> None:
    """Add (article id, hour, reads) to the hourly counts, public articles only."""
    from articles.models import Article

    ids = {pk for pk, _hour, _n in rows}
    public = set(Article.objects.published().filter(pk__in=ids).values_list("pk", flat=True))
    kept = [(pk, hour, n) for pk, hour, n in rows if pk in public and n > 0]
    result.dropped += sum(n for pk, _hour, n in rows if pk not in public)
    if not kept:
        return
    table = HourlyReads._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (article_id, hour, reads) "
            "SELECT * FROM unnest(%s::bigint[], %s::timestamptz[], %s::int[]) "
            "ON CONFLICT (article_id, hour) "
            f"DO UPDATE SET reads = {table}.reads + EXCLUDED.reads",
            [[pk for pk, _, _ in kept], [hour for _, hour, _ in kept], [n for _, _, n in kept]],
        )
    result.reads += sum(n for _pk, _hour, n in kept)


@retrying_task(RetryPolicy(base=timedelta(seconds=30), cap=timedelta(minutes=5)))
def roll_up_reads() -> str:
    return str(roll_up())
