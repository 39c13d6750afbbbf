"""What is kept of readers' visits: a number per article per hour, nothing about the reader.

HourlyReads is the roll-up's result, the only lasting record. PendingRead is the buffer of
counted reads when no Redis is configured (one row per read: an article and an hour, nothing
else). AppliedBatch is the roll-up's ledger of Redis batches already added, so a batch applied
by a roll-up that died before clearing it is never added twice.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HourlyReads(models.Model):
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="hourly_reads",
        verbose_name=_("article"),
    )
    hour = models.DateTimeField(_("hour"))
    reads = models.PositiveIntegerField(_("reads"), default=0)

    class Meta:
        verbose_name = _("hourly reads")
        verbose_name_plural = _("hourly reads")
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="hourly_reads_once"),
        ]
        indexes = [models.Index(fields=["hour"], name="hourly_reads_hour_idx")]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}: {self.reads}"


class PendingRead(models.Model):
    """One counted read waiting for the roll-up (only without Redis). A plain id, not a
    foreign key: the beacon writes it without asking whether the article exists; the roll-up
    keeps only public articles."""

    article_id = models.BigIntegerField()
    hour = models.DateTimeField()

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}"


class AppliedBatch(models.Model):
    name = models.CharField(max_length=100, unique=True)
    applied_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.name
