"""The feed poller on the task queue: every minute the scheduler runs `poll_due_feeds`, which
enqueues one `poll_agency_feed` per active feed that is due and moves the feed's next poll on
(the poll sets the real next time when it ends: its interval, or longer after failures)."""

from datetime import timedelta

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from articles.agency import polling
from articles.agency.models import AgencyFeed
from articles.tasks.retry import RetryPolicy, retrying_task

POLL_POLICY = RetryPolicy(
    base=timedelta(seconds=30),
    cap=timedelta(minutes=10),
    max_age=timedelta(hours=1),
    retry_on=(DatabaseError,),
)


@retrying_task(POLL_POLICY)
def poll_agency_feed(feed_id: int) -> str:
    if not AgencyFeed.objects.filter(pk=feed_id, active=True).exists():
        return "inactive"
    return polling.poll_feed(feed_id).summary


@retrying_task()
def poll_due_feeds() -> int:
    now = timezone.now()
    with transaction.atomic():
        due = list(
            AgencyFeed.objects.select_for_update(skip_locked=True)
            .filter(active=True)
            .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        )
        for feed in due:
            # A lease: a poll that never ends (a dead worker) is due again after this.
            feed.next_poll_at = now + max(
                timedelta(minutes=feed.interval_minutes), timedelta(minutes=5)
            )
            feed.save(update_fields=["next_poll_at"])
            poll_agency_feed.enqueue(feed.pk)
    return len(due)
