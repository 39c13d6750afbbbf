"""Periodic tasks: enqueued when due, once, however many schedulers run."""

import datetime
import signal
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.tasks import periodic
from articles.tasks.models import Schedule
from tests.tasks.helpers import run_queue

EVERY_MINUTE = {"articles.tasks.recovery.recover_abandoned_tasks": datetime.timedelta(minutes=1)}
PATH = next(iter(EVERY_MINUTE))


def queued():
    return DBTaskResult.objects.filter(task_path=PATH).count()


@pytest.mark.django_db(transaction=True)
def test_a_periodic_task_is_enqueued_when_due_and_not_again_while_it_waits():
    now = timezone.now()
    assert periodic.enqueue_due(now, EVERY_MINUTE) == [PATH]
    assert periodic.enqueue_due(now, EVERY_MINUTE) == []  # not due again yet
    later = now + datetime.timedelta(minutes=2)
    assert periodic.enqueue_due(later, EVERY_MINUTE) == []  # the last one has not run yet
    assert queued() == 1
    run_queue()
    even_later = later + datetime.timedelta(minutes=2)
    assert periodic.enqueue_due(even_later, EVERY_MINUTE) == [PATH]
    assert Schedule.objects.get(task_path=PATH).next_run_at == even_later + datetime.timedelta(
        minutes=1
    )


@pytest.mark.django_db(transaction=True)
def test_several_schedulers_at_once_enqueue_a_due_task_once():
    now = timezone.now()
    periodic.enqueue_due(now - datetime.timedelta(minutes=5), {})  # (no schedules yet)
    start = threading.Barrier(6)
    results = []

    def scheduler():
        try:
            start.wait()
            results.append(periodic.enqueue_due(now, EVERY_MINUTE))
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [[]] * 5 + [[PATH]]
    assert queued() == 1


@pytest.mark.django_db(transaction=True)
def test_run_scheduler_once_enqueues_every_registered_periodic_task(capsys):
    handler = signal.getsignal(signal.SIGTERM)
    call_command("run_scheduler", "--once")
    # The process that called it keeps its own signal handling (forked workers inherit it).
    assert signal.getsignal(signal.SIGTERM) is handler
    out = capsys.readouterr().out
    for path in periodic.PERIODIC_TASKS:
        assert f"enqueued {path}" in out
    assert run_queue() == len(periodic.PERIODIC_TASKS)
    assert not DBTaskResult.objects.filter(status="FAILED").exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_run_scheduler_stops_between_steps_on_sigterm(tmp_path):
    from tests.tasks.helpers import start_worker

    scheduler = start_worker(tmp_path / "scheduler.log", command="run_scheduler")
    try:
        deadline = time.monotonic() + 20
        while not Schedule.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        scheduler.send_signal(signal.SIGTERM)
        assert scheduler.wait(10) == 0, (tmp_path / "scheduler.log").read_text()
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
    assert queued() == 1
