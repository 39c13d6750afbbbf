"""Background work on Django's Tasks API (the django-tasks backport, PostgreSQL worker from
django-tasks-db), with a thin layer of ours; docs/tasks.md.

  retry.py     `retrying_task`: a task that fails runs again later (exponential back-off,
               capped, up to a maximum age); while it runs it holds a PostgreSQL advisory lock
  recovery.py  tasks whose worker died mid-run (RUNNING, lock free) are made ready again
  periodic.py  the periodic tasks, in one list, and `enqueue_due` (manage.py run_scheduler)
  models.py    Schedule: one row per periodic task, so several schedulers never double-enqueue

Nothing here is imported at app loading except models.py: modules that define tasks import
the task backend, which is configured only once settings are read.
"""
