"""Tasks whose worker died mid-run are taken up again.

django-tasks-db marks a task RUNNING when a worker claims it and leaves it so if the worker is
killed: nothing would ever run it again. A retrying task (`articles.tasks.retry`) holds an
advisory lock while it runs, which PostgreSQL releases when the worker's connection goes. So a
retrying task that is RUNNING, was started more than `grace` ago and whose lock nobody holds
was abandoned: it is made READY again, and a worker runs it (its effect must happen once:
tasks are idempotent). Runs every minute (articles.tasks.periodic).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.tasks.retry import RETRYING_TASKS, is_running_somewhere, retrying_task

# Longer than the moment between a worker claiming a task and the task taking its lock.
GRACE = timedelta(seconds=30)


def recover_abandoned(grace: timedelta = GRACE) -> list[str]:
    """Make abandoned runs of retrying tasks ready again; their ids."""
    _import_task_modules()
    now = timezone.now()
    recovered = []
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING,
            started_at__lte=now - grace,
            task_path__in=list(RETRYING_TASKS),
        )
        for result in running:
            if is_running_somewhere(result.id):
                continue
            result.status = TaskResultStatus.READY
            result.run_after = now
            result.save(update_fields=["status", "run_after"])
            recovered.append(str(result.id))
    return recovered


def _import_task_modules():
    """Retrying tasks register themselves when their module is imported."""
    from articles.tasks.periodic import import_task_modules

    import_task_modules()


@retrying_task()
def recover_abandoned_tasks() -> list[str]:
    return recover_abandoned()
