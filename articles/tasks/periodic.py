"""Periodic tasks, in one list, and the scheduler's one step (`manage.py run_scheduler`).

Each periodic task has a Schedule row. `enqueue_due` locks the rows that are due with
SELECT … FOR UPDATE SKIP LOCKED, enqueues their tasks and moves them on in the same
transaction (the task queue is a table of the same database), so however many schedulers run,
a due task is enqueued once. A task whose previous run is still waiting in the queue is not
enqueued again (a stopped worker does not find a pile of them when it comes back).
"""

import importlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

# task path: how often. Every task here is idempotent and takes no arguments.
PERIODIC_TASKS = {
    "articles.tasks.recovery.recover_abandoned_tasks": timedelta(minutes=1),
    "articles.webhooks.tasks.record_go_lives": timedelta(minutes=1),
    "articles.webhooks.tasks.enqueue_stranded_deliveries": timedelta(minutes=5),
    "articles.readership.rollup.roll_up_reads": timedelta(minutes=10),
    "articles.agency.tasks.poll_due_feeds": timedelta(minutes=1),
}

# Modules that define tasks (imported by the scheduler and by recovery).
TASK_MODULES = [
    "articles.tasks.recovery",
    "articles.webhooks.tasks",
    "articles.readership.rollup",
    "articles.agency.tasks",
]


def import_task_modules():
    for module in TASK_MODULES:
        importlib.import_module(module)


def enqueue_due(now=None, tasks=None) -> list[str]:
    """Enqueue the periodic tasks that are due; their paths."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from articles.tasks.models import Schedule

    now = now or timezone.now()
    tasks = PERIODIC_TASKS if tasks is None else tasks
    Schedule.objects.bulk_create(
        [Schedule(task_path=path, next_run_at=now) for path in tasks], ignore_conflicts=True
    )
    enqueued = []
    with transaction.atomic():
        due = Schedule.objects.select_for_update(skip_locked=True).filter(
            task_path__in=list(tasks), next_run_at__lte=now
        )
        for schedule in due:
            waiting = DBTaskResult.objects.filter(
                task_path=schedule.task_path, status=TaskResultStatus.READY
            ).exists()
            if not waiting:
                import_string(schedule.task_path).enqueue()
                schedule.last_enqueued_at = now
                enqueued.append(schedule.task_path)
            schedule.next_run_at = now + tasks[schedule.task_path]
            schedule.save(update_fields=["next_run_at", "last_enqueued_at"])
    return enqueued
