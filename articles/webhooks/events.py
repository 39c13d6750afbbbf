"""Events and their deliveries, written in the write path's transaction (the outbox).

`articles.actions` calls these after each change: what readers would notice becomes an
event (a public article published, updated, unpublished, deleted), with one delivery per
active subscription that asked for its type. Delivery tasks are enqueued only once the
transaction commits (`transaction.on_commit`), so a slow or dead receiver never slows or
fails a publish, and nothing is announced that was rolled back. A second change to the same
article in the same transaction (the desk saves the article, then its tags) updates the event
already written instead of adding one. With no active subscription nothing is written.
"""

from django.db import transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles.webhooks.models import (
    EventType,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from articles.webhooks.payload import article_payload, gone_payload

# PostgreSQL's id of the current (top-level) transaction.
CURRENT_TRANSACTION = "pg_current_xact_id()::text::bigint"


def anyone_listening() -> bool:
    return WebhookSubscription.objects.filter(active=True).exists()


def article_changed(article, *, was_public: bool) -> None:
    """One article saved (`articles.actions.article_saved`)."""
    now_public = article.is_public
    if (was_public or now_public) and anyone_listening():
        _announce(article.pk, was_public, now_public, lambda: article_payload(article))


def tags_changed(article_ids) -> None:
    """Tags of these articles changed: public ones are updated (their payload lists tags)."""
    from articles.models import Article

    if not anyone_listening():
        return
    for article in Article.objects.published().filter(pk__in=article_ids).select_related("section"):
        _announce(article.pk, True, True, lambda article=article: article_payload(article))


def articles_published(article_ids) -> None:
    """Articles written in bulk (the wire importer) and published: the public ones."""
    from articles.models import Article

    if not anyone_listening():
        return
    for article in Article.objects.published().filter(pk__in=article_ids).select_related("section"):
        _announce(article.pk, False, True, lambda article=article: article_payload(article))


def public_among(queryset) -> list[int]:
    """Before a delete: which of these articles are public now."""
    if not anyone_listening():
        return []
    return list(queryset.order_by().published().values_list("pk", flat=True))


def articles_deleted(public_ids) -> None:
    """After a delete: the articles that were public are announced as deleted."""
    for article_id in public_ids:
        _announce(article_id, True, False, None, gone=EventType.DELETED)


def _announce(article_id, was_public, now_public, payload, *, gone=EventType.UNPUBLISHED):
    existing = WebhookEvent.objects.filter(
        article_id=article_id, transaction_id=RawSQL(CURRENT_TRANSACTION, [])
    ).first()
    if existing is not None:  # what the article was when this transaction began
        was_public = existing.type != EventType.PUBLISHED
    if now_public:
        event_type = EventType.UPDATED if was_public else EventType.PUBLISHED
    else:
        event_type = gone if was_public else None
    data = payload() if now_public else gone_payload(article_id)
    if existing is not None and existing.type == event_type:
        existing.payload = data
        existing.save(update_fields=["payload"])
        return
    if existing is not None:
        existing.delete()  # e.g. published, then unpublished, in one transaction: nothing
    if event_type is not None:
        record(event_type, article_id, data)


def record(event_type, article_id, payload) -> WebhookEvent | None:
    """Write an event and its deliveries; enqueue their delivery once this commits."""
    subscriptions = list(
        WebhookSubscription.objects.filter(active=True, events__contains=[event_type])
    )
    if not subscriptions:
        return None
    now = timezone.now()
    event = WebhookEvent.objects.create(
        type=event_type,
        article_id=article_id,
        payload=payload,
        created_at=now,
        transaction_id=RawSQL(CURRENT_TRANSACTION, []),
    )
    deliveries = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(subscription=s, event=event, next_attempt_at=now) for s in subscriptions]
    )
    due = [d.pk for d in deliveries if d.subscription.paused_at is None]
    transaction.on_commit(lambda: enqueue_deliveries(due))
    return event


def enqueue_deliveries(delivery_ids) -> None:
    from articles.webhooks.tasks import deliver_webhook

    for delivery_id in delivery_ids:
        deliver_webhook.enqueue(delivery_id)
