"""The retry layer on the real queue: exponential back-off, capped, up to a maximum age."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.tasks.retry import RetryPolicy
from tests.tasks import sample_tasks
from tests.tasks.helpers import make_waiting_tasks_due, run_queue, waiting_tasks


def test_delays_double_up_to_the_cap_and_stop_at_the_maximum_age():
    policy = RetryPolicy(
        base=datetime.timedelta(seconds=30),
        cap=datetime.timedelta(hours=1),
        max_age=datetime.timedelta(hours=24),
    )
    assert [policy.delay(n).total_seconds() for n in range(1, 10)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]
    assert policy.delay(10_000) == datetime.timedelta(hours=1)
    start = timezone.now()
    assert policy.next_run(3, start, start) == start + datetime.timedelta(minutes=2)
    late = start + datetime.timedelta(hours=23, minutes=59)
    assert policy.next_run(30, start, late) is None


@pytest.mark.django_db(transaction=True)
def test_a_failing_task_runs_again_later_until_it_succeeds(tmp_path):
    result = sample_tasks.fail_until.enqueue(str(tmp_path), 2)
    run_queue()
    [retry] = waiting_tasks()
    first = DBTaskResult.objects.get(pk=result.id)
    assert first.status == "FAILED" and "Flaky" in first.exception_class_path
    assert retry.args_kwargs["kwargs"]["_retry"]["attempt"] == 2
    wait = (retry.run_after - first.started_at).total_seconds()
    assert wait == pytest.approx(2, abs=0.5)
    run_queue()  # not due yet: nothing runs
    assert len((tmp_path / "runs").read_text().splitlines()) == 1
    make_waiting_tasks_due()
    run_queue()
    [retry] = waiting_tasks()
    assert (retry.run_after - retry.enqueued_at).total_seconds() == pytest.approx(4, abs=0.5)
    make_waiting_tasks_due()
    run_queue()
    assert not waiting_tasks().exists()
    last = DBTaskResult.objects.filter(status="SUCCESSFUL").get()
    assert last.return_value == 3


@pytest.mark.django_db(transaction=True)
def test_a_task_past_its_maximum_age_is_given_up(tmp_path):
    sample_tasks.fail_until.enqueue(str(tmp_path), 100)
    run_queue()
    [retry] = waiting_tasks()
    since = (timezone.now() - datetime.timedelta(days=2)).isoformat()
    retry.args_kwargs["kwargs"]["_retry"]["since"] = since
    retry.save()
    make_waiting_tasks_due()
    run_queue()
    assert not waiting_tasks().exists()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 2
