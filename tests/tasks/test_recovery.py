"""A task whose worker dies mid-run is taken up again, and its effect happens once."""

import datetime
import os
import signal
import time

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.tasks.recovery import recover_abandoned
from articles.tasks.retry import LOCK_NAMESPACE
from tests.tasks import sample_tasks
from tests.tasks.helpers import start_worker


def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_a_running_task_whose_lock_is_held_is_left_alone_a_free_one_is_recovered(tmp_path):
    result = sample_tasks.publish_once.enqueue(str(tmp_path))
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", started_at=long_ago, worker_ids=["gone"]
    )
    other_session = connection.get_new_connection(connection.get_connection_params())
    try:
        with other_session.cursor() as cursor:  # a live worker, running it
            cursor.execute(
                "SELECT pg_advisory_lock(%s, hashtext(%s))", [LOCK_NAMESPACE, str(result.id)]
            )
        assert recover_abandoned() == []
    finally:
        other_session.close()  # the worker dies: PostgreSQL drops its lock
    assert recover_abandoned() == [str(result.id)]
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    # Just claimed (within the grace period): not yet holding its lock, not abandoned.
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", started_at=timezone.now())
    assert recover_abandoned() == []


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_run_loses_nothing_and_the_effect_happens_once(tmp_path):
    (tmp_path / "hold").touch()
    result = sample_tasks.publish_once.enqueue(str(tmp_path))
    worker = start_worker(tmp_path / "worker1.log")
    try:
        wait_for(lambda: (tmp_path / "started").exists())
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"  # and would stay so
    wait_for(lambda: recover_abandoned(grace=datetime.timedelta(0)) == [str(result.id)], 10)
    (tmp_path / "hold").unlink()
    second = start_worker(tmp_path / "worker2.log", "--batch")
    assert second.wait(30) == 0, (tmp_path / "worker2.log").read_text()
    done = DBTaskResult.objects.get(pk=result.id)
    assert (done.status, done.return_value, len(done.worker_ids)) == ("SUCCESSFUL", "done", 2)
    assert len((tmp_path / "started").read_text().splitlines()) == 2
    assert (tmp_path / "effect").read_text() == "done\n"
