"""The roll-up: exactly once, whatever dies when; counts survive a Redis restart."""

import pytest

from articles.readership import rollup
from articles.readership.models import AppliedBatch, HourlyReads, PendingRead
from articles.readership.rollup import roll_up
from tests.factories import make_article
from tests.readership.conftest import beacon, reader_client, reads_of

pytestmark = pytest.mark.django_db


def read_by(article, readers):
    for _ in range(readers):
        beacon(reader_client(), article)


def test_rolling_up_twice_is_rolling_up_once(any_store):
    article = make_article()
    read_by(article, 3)
    first = roll_up()
    second = roll_up()
    assert (first.reads, second.reads) == (3, 0)
    assert reads_of(article) == 3
    assert HourlyReads.objects.filter(article=article).count() == 1
    read_by(article, 2)  # later reads in the same hour add to the same row
    roll_up()
    assert reads_of(article) == 5
    assert HourlyReads.objects.filter(article=article).count() == 1


def test_a_roll_up_that_dies_before_clearing_redis_is_retried_without_double_counting(
    redis_store, monkeypatch
):
    article = make_article()
    read_by(article, 4)
    real_delete = redis_store.client.delete

    def dies(*keys):
        raise ConnectionError("the worker died here")

    monkeypatch.setattr(redis_store.client, "delete", dies)
    with pytest.raises(ConnectionError):
        roll_up()
    assert reads_of(article) == 4  # added, and its batch recorded as applied
    assert AppliedBatch.objects.count() == 1
    monkeypatch.setattr(redis_store.client, "delete", real_delete)
    again = roll_up()
    assert again.reads == 0 and again.batches == 1  # found, known, cleared
    assert reads_of(article) == 4
    assert not list(redis_store.client.scan_iter(match=f"{redis_store.prefix}:batch:*"))


def test_a_roll_up_that_dies_while_adding_changes_nothing_and_is_retried(any_store, monkeypatch):
    article = make_article()
    read_by(article, 2)
    real_add = rollup._add

    def dies(result, rows):
        real_add(result, rows)
        raise RuntimeError("the database went away mid-transaction")

    monkeypatch.setattr(rollup, "_add", dies)
    with pytest.raises(RuntimeError):
        roll_up()
    assert reads_of(article) == 0  # rolled back
    monkeypatch.setattr(rollup, "_add", real_add)
    roll_up()
    assert reads_of(article) == 2
    assert PendingRead.objects.count() == 0


def test_reads_waiting_in_redis_since_a_dead_roll_up_are_taken_by_the_next(
    redis_store, monkeypatch
):
    """The hits were renamed to a batch, then the roll-up died before adding it."""
    article = make_article()
    read_by(article, 3)
    monkeypatch.setattr(rollup.transaction, "atomic", _dies)
    with pytest.raises(ConnectionError):
        roll_up()
    monkeypatch.undo()
    assert list(redis_store.client.scan_iter(match=f"{redis_store.prefix}:batch:*"))
    read_by(article, 1)  # new reads go to a fresh hash meanwhile
    roll_up()
    assert reads_of(article) == 4


def _dies(*args, **kwargs):
    raise ConnectionError("the database is down")


def test_counts_survive_a_redis_restart_up_to_the_last_roll_up(redis_store, client):
    from articles.readership import lists

    article = make_article("الخبر الأكثر قراءة")
    read_by(article, 3)
    roll_up()
    read_by(article, 2)  # not rolled up yet: lost with Redis
    redis_store.flush()
    redis_store.client.flushdb()
    from django.core.cache import cache

    cache.clear()
    roll_up()
    assert reads_of(article) == 3
    assert [entry.id for entry in lists.for_scope()["day"]] == [article.pk]
    assert "الخبر الأكثر قراءة" in client.get("/").content.decode()
    read_by(article, 1)  # counting goes on after the restart
    roll_up()
    assert reads_of(article) == 4


def test_buffered_reads_are_rolled_up_once_redis_is_configured(database_store, settings, request):
    article = make_article()
    read_by(article, 2)
    redis = request.getfixturevalue("redis_store")
    assert redis is not database_store
    read_by(article, 1)
    roll_up()
    assert reads_of(article) == 3


@pytest.mark.django_db(transaction=True)
def test_the_roll_up_is_a_periodic_task_run_by_the_queue(any_store):
    from articles.tasks.periodic import PERIODIC_TASKS, enqueue_due
    from tests.tasks.helpers import run_queue

    path = "articles.readership.rollup.roll_up_reads"
    assert path in PERIODIC_TASKS
    article = make_article()
    read_by(article, 2)
    assert enqueue_due(tasks={path: PERIODIC_TASKS[path]}) == [path]
    assert run_queue() == 1
    assert reads_of(article) == 2


def test_the_roll_up_command_says_what_it_added(database_store, capsys):
    from django.core.management import call_command

    article = make_article()
    read_by(article, 2)
    call_command("roll_up_reads")
    assert "2 reads added" in capsys.readouterr().out
    assert reads_of(article) == 2
