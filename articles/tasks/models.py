"""One row per periodic task (articles.tasks.periodic): when it was last enqueued and when it
is next due. Schedulers lock due rows with SELECT … FOR UPDATE SKIP LOCKED."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Schedule(models.Model):
    task_path = models.CharField(_("task"), max_length=255, unique=True)
    next_run_at = models.DateTimeField(_("next run"))
    last_enqueued_at = models.DateTimeField(_("last enqueued"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodic task")
        verbose_name_plural = _("periodic tasks")

    def __str__(self):
        return self.task_path
