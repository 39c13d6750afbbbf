"""Tasks that retry with exponential back-off, and that say while they run that they run.

`@retrying_task(policy)` makes a Django task (`django_tasks.task`) of a function. When the
function raises one of the policy's exceptions, the same task is enqueued again with
`run_after = now + min(cap, base * 2 ** (attempt - 1))`, unless that would be later than
`max_age` after the first attempt was enqueued; the failing run is still recorded as FAILED
(with its traceback) by the worker. The attempt number and the first enqueue time travel in a
reserved keyword argument, `_retry`. While a run lasts it holds a session-level PostgreSQL
advisory lock named by its task result id, so `articles.tasks.recovery` can tell a task
still running from one whose worker died (PostgreSQL drops the lock with the connection).

Tasks must be idempotent: a run cut short is run again, so their effect may be attempted
twice and must happen once.
"""

from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone
from django_tasks import task

# The first key of the two-key advisory locks held by running tasks (so they never collide
# with other advisory locks of the application).
LOCK_NAMESPACE = 0x4E57  # "NW"

# Module paths of every retrying task: recovery only resets tasks that hold the lock.
RETRYING_TASKS: dict[str, object] = {}


@dataclass(frozen=True)
class RetryPolicy:
    base: timedelta = timedelta(seconds=10)
    cap: timedelta = timedelta(hours=1)
    max_age: timedelta = timedelta(hours=24)
    retry_on: tuple[type[BaseException], ...] = (Exception,)

    def delay(self, attempt: int) -> timedelta:
        """The wait after failed attempt number `attempt` (1 for the first)."""
        return min(self.cap, self.base * 2 ** min(attempt - 1, 30))

    def next_run(self, attempt: int, first_enqueued_at: datetime, now: datetime):
        """When attempt `attempt + 1` runs, or None when that is past the maximum age."""
        run_at = now + self.delay(attempt)
        return None if run_at - first_enqueued_at > self.max_age else run_at


@dataclass(frozen=True)
class Attempt:
    policy: RetryPolicy
    number: int
    first_enqueued_at: datetime
    started_at: datetime

    def next_run(self):
        """When the task runs again if this attempt fails (counted from this attempt's start,
        so the task and the retry layer agree), or None: it is given up."""
        return self.policy.next_run(self.number, self.first_enqueued_at, self.started_at)


_current_attempt: contextvars.ContextVar[Attempt | None] = contextvars.ContextVar(
    "current_attempt", default=None
)


def current_attempt() -> Attempt | None:
    """The attempt of the retrying task running now (None outside one): its number, and
    `next_run()`, when it runs again if this attempt fails (None: it will not)."""
    return _current_attempt.get()


def retrying_task(policy: RetryPolicy | None = None, **task_options):
    """Decorate a function as a task that retries by `policy` (a default one when None)."""
    policy = policy or RetryPolicy()

    def decorate(func):
        def run(context, *args, _retry=None, **kwargs):
            attempt = Attempt(
                policy,
                _retry["attempt"] if _retry else 1,
                datetime.fromisoformat(_retry["since"])
                if _retry
                else context.task_result.enqueued_at or timezone.now(),
                timezone.now(),
            )
            token = _current_attempt.set(attempt)
            try:
                with running_lock(context.task_result.id):
                    return func(*args, **kwargs)
            except policy.retry_on:
                run_after = attempt.next_run()
                if run_after is not None:
                    again = {"attempt": attempt.number + 1, "since": attempt.first_enqueued_at}
                    wrapped.using(run_after=run_after).enqueue(
                        *args, _retry={**again, "since": again["since"].isoformat()}, **kwargs
                    )
                raise
            finally:
                _current_attempt.reset(token)

        # The task is found by the function's own name (its module path); no __wrapped__, so
        # django-tasks sees `context` as the first argument.
        for name in ("__module__", "__name__", "__qualname__", "__doc__"):
            setattr(run, name, getattr(func, name))
        wrapped = task(takes_context=True, **task_options)(run)
        RETRYING_TASKS[wrapped.module_path] = wrapped
        return wrapped

    return decorate


def _lock_key(result_id) -> tuple[str, list]:
    return "%s, hashtext(%s)", [LOCK_NAMESPACE, str(result_id)]


@contextlib.contextmanager
def running_lock(result_id):
    """Hold the advisory lock that says "task result `result_id` is running here"."""
    sql, params = _lock_key(result_id)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_advisory_lock({sql})", params)
    try:
        yield
    finally:
        # (a broken connection has dropped the lock with it)
        with contextlib.suppress(Exception), connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_advisory_unlock({sql})", params)


def is_running_somewhere(result_id) -> bool:
    """True when some session holds the running lock of `result_id`."""
    sql, params = _lock_key(result_id)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_try_advisory_lock({sql})", params)
        if not cursor.fetchone()[0]:
            return True
        cursor.execute(f"SELECT pg_advisory_unlock({sql})", params)
    return False
