"""The webhook tasks: deliver one delivery (retrying), and two periodic sweeps.

Retries: a failed attempt is tried again after 30 s, 1 min, 2 min … (doubling, at most an hour
apart) for 24 hours after the delivery was first enqueued; then the delivery is given up
(`failed`). A subscription whose last `PAUSE_AFTER_FAILED_EVENTS` events were all given up is
paused; its events keep being recorded and wait, and are delivered when the desk resumes it.
"""

from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Case, Exists, F, OuterRef, When
from django.utils import timezone

from articles.tasks.retry import RetryPolicy, current_attempt, retrying_task
from articles.webhooks import delivery as http
from articles.webhooks import events
from articles.webhooks.models import EventType, WebhookDelivery, WebhookEvent, WebhookSubscription

PAUSE_AFTER_FAILED_EVENTS = 5
DELIVERY_POLICY = RetryPolicy(
    base=timedelta(seconds=30), cap=timedelta(hours=1), max_age=timedelta(hours=24)
)
# Scheduled articles go live by themselves: those that went live this long ago at most and
# were never announced are announced by `record_go_lives`.
GO_LIVE_WINDOW = timedelta(hours=1)
# A pending delivery this far past its time with no task queued for it lost its task.
STRANDED_AFTER = timedelta(minutes=5)


class DeliveryFailed(Exception):
    pass


@retrying_task(DELIVERY_POLICY)
def deliver_webhook(delivery_id: int) -> str:
    """POST one delivery, once: a delivery already delivered or given up, being delivered by
    another worker, not yet due, or of a paused subscription is left alone."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription", "event")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return "nothing to do"
        subscription = delivery.subscription
        now = timezone.now()
        if not subscription.is_receiving:
            return "paused"
        if delivery.next_attempt_at and delivery.next_attempt_at > now + timedelta(seconds=1):
            return "not due"
        outcome = http.post(subscription.url, subscription.secret, delivery.event)
        _note_attempt(delivery, outcome)
    if not outcome.ok:
        raise DeliveryFailed(f"{subscription.url}: {outcome.error}")
    return "delivered"


def _note_attempt(delivery, outcome) -> None:
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = outcome.status_code
    delivery.last_error = outcome.error
    subscriptions = WebhookSubscription.objects.filter(pk=delivery.subscription_id)
    if outcome.ok:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        subscriptions.filter(consecutive_failures__gt=0).update(consecutive_failures=0)
    else:
        attempt = current_attempt()
        retry_at = attempt.next_run() if attempt else None
        delivery.next_attempt_at = retry_at
        if retry_at is None:
            delivery.status = WebhookDelivery.Status.FAILED
            subscriptions.update(
                consecutive_failures=F("consecutive_failures") + 1,
                paused_at=Case(
                    When(
                        consecutive_failures__gte=PAUSE_AFTER_FAILED_EVENTS - 1,
                        paused_at__isnull=True,
                        then=now,
                    ),
                    default=F("paused_at"),
                ),
            )
    delivery.save()


def redeliver(deliveries) -> int:
    """Deliver these again from the desk, whatever became of them (the receiver recognises a
    repeat by its event id): pending now, with a fresh 24 hours of retries."""
    ids = list(deliveries.values_list("pk", flat=True))
    WebhookDelivery.objects.filter(pk__in=ids).update(
        status=WebhookDelivery.Status.PENDING, next_attempt_at=timezone.now()
    )
    transaction.on_commit(lambda: events.enqueue_deliveries(ids))
    return len(ids)


def resume(subscriptions) -> int:
    """Resume paused subscriptions: failures forgotten, their waiting deliveries sent now."""
    ids = list(subscriptions.values_list("pk", flat=True))
    WebhookSubscription.objects.filter(pk__in=ids).update(paused_at=None, consecutive_failures=0)
    waiting = WebhookDelivery.objects.filter(
        subscription__in=ids, status=WebhookDelivery.Status.PENDING
    )
    redeliver(waiting)
    return len(ids)


@retrying_task()
def record_go_lives() -> int:
    return announce_go_lives()


def announce_go_lives() -> int:
    """Announce scheduled articles that went live by themselves (no write marks that moment):
    public articles whose time came within GO_LIVE_WINDOW and that have no published event
    since. Idempotent; concurrent runs wait for each other."""
    from articles.models import Article

    if not events.anyone_listening():
        return 0
    announced = WebhookEvent.objects.filter(
        article_id=OuterRef("pk"),
        type=EventType.PUBLISHED,
        created_at__gte=OuterRef("published_at"),
    )
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 1)", [0x4E57])
        went_live = list(
            Article.objects.published()
            .filter(published_at__gt=timezone.now() - GO_LIVE_WINDOW)
            .exclude(Exists(announced))
            .values_list("pk", flat=True)
        )
        events.articles_published(went_live)
    return len(went_live)


@retrying_task()
def enqueue_stranded_deliveries() -> int:
    return requeue_stranded()


def requeue_stranded() -> int:
    """Enqueue pending deliveries that lost their task (the process died between the commit
    and the enqueue): due for STRANDED_AFTER, of a receiving subscription, none queued."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    queued = {
        args_kwargs["args"][0]
        for args_kwargs in DBTaskResult.objects.filter(
            task_path=deliver_webhook.module_path,
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        ).values_list("args_kwargs", flat=True)
        if args_kwargs.get("args")
    }
    stranded = [
        pk
        for pk in WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at__lte=timezone.now() - STRANDED_AFTER,
            subscription__active=True,
            subscription__paused_at__isnull=True,
        ).values_list("pk", flat=True)[:1000]
        if pk not in queued
    ]
    events.enqueue_deliveries(stranded)
    return len(stranded)
