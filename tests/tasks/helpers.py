"""Driving the task queue from tests: workers in this process (deterministic, no sleeping)
or as real `manage.py db_worker` processes on the test database."""

import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

from django.db import connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

ROOT = Path(__file__).resolve().parent.parent.parent


def run_queue(worker_id="test-worker") -> int:
    """Run every task that is ready now, in this process, until none is; how many ran."""
    before = DBTaskResult.objects.exclude(status=TaskResultStatus.READY).count()
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()
    return DBTaskResult.objects.exclude(status=TaskResultStatus.READY).count() - before


def make_waiting_tasks_due() -> int:
    """Time passes: tasks waiting for their run_after (retries) are due now."""
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, run_after__gt=timezone.now()
    ).update(run_after=timezone.now())


def waiting_tasks():
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY)


def database_url_for_tests() -> str:
    """The site's DATABASE_URL (a server's or the embedded one's), naming the test database."""
    from django.conf import settings

    parts = urllib.parse.urlsplit(settings.DATABASE_URL)
    return parts._replace(path="/" + connection.settings_dict["NAME"]).geturl()


def start_worker(log_path, *extra, command="db_worker") -> subprocess.Popen:
    """A real `manage.py db_worker` (or another command) on the test database."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings_test",
        "DATABASE_URL": database_url_for_tests(),
        "PYTHONPATH": str(ROOT),
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    if command == "db_worker":
        arguments = ["db_worker", "--queue-name=*", "--no-reload", "--interval=0.1"]
        arguments += ["--no-startup-delay", *extra]
    else:
        arguments = [command, *extra]
    return subprocess.Popen(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        stdout=open(log_path, "w"),  # the process keeps it
        stderr=subprocess.STDOUT,
    )
