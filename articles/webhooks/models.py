"""Webhook subscriptions, the events outbox and the deliveries (docs/webhooks.md)."""

import secrets
import uuid

from django.contrib.postgres.fields import ArrayField
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    PUBLISHED = "article.published", _("article published")
    UPDATED = "article.updated", _("public article updated")
    UNPUBLISHED = "article.unpublished", _("article unpublished")
    DELETED = "article.deleted", _("public article deleted")
    # Reserved: "article.corrected", once the newsroom records corrections.


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class WebhookSubscription(models.Model):
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("URL"), max_length=500, validators=[URLValidator(schemes=["http", "https"])]
    )
    secret = models.CharField(
        _("secret"),
        max_length=128,
        default=new_secret,
        help_text=_("Signs every delivery (HMAC-SHA256); share it with the receiver only."),
    )
    events = ArrayField(
        models.CharField(max_length=40, choices=EventType.choices),
        verbose_name=_("events"),
        default=list,
    )
    active = models.BooleanField(_("active"), default=True)
    paused_at = models.DateTimeField(
        _("paused at"),
        null=True,
        blank=True,
        help_text=_("Set when deliveries kept failing; events wait until it is resumed."),
    )
    consecutive_failures = models.PositiveIntegerField(_("consecutive failed events"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self):
        return self.name

    @property
    def is_receiving(self) -> bool:
        return self.active and self.paused_at is None


class WebhookEvent(models.Model):
    """The outbox: written in the same transaction as the change it announces."""

    id = models.UUIDField(_("event id"), primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(_("type"), max_length=40, choices=EventType.choices)
    article_id = models.BigIntegerField(_("article id"), db_index=True)
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("created"), db_index=True)
    # The PostgreSQL transaction that wrote it: a second change to the same article in the
    # same transaction (a save, then its tags) updates this event instead of adding one.
    transaction_id = models.BigIntegerField(editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")

    def __str__(self):
        return f"{self.type} {self.article_id}"


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.ForeignKey(
        WebhookEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-event__created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="one_delivery_per_event")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_pending_idx",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self):
        return f"{self.event} → {self.subscription}"
