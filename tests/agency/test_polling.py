"""Agency feeds polled from a real HTTP server in the test (and a drop folder): conditional
GET, a 500 survived with back-off, a malformed item that stops nothing, versions and kills
within one poll, and polls cut short that lose and duplicate nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.agency import ingest, polling
from articles.agency.models import AgencyFeed, IncomingItem
from articles.models import Article
from tests.agency.feed_server import FeedServer, atom, news_item
from tests.factories import make_section, make_source

pytestmark = pytest.mark.django_db

G1, G2, G3 = "urn:newsml:afp.com:1", "urn:newsml:afp.com:2", "urn:newsml:afp.com:3"


@pytest.fixture
def server():
    server = FeedServer().start()
    server.documents = {
        "/feed.xml": atom(
            [("e1", "/items/1.xml"), ("e2", "/items/bad.xml"), ("e3", "/items/3.xml")]
        ),
        "/items/1.xml": news_item(G1, 1, "الحكومة تعلن خطة لخفض الأسعار", "أعلنت الحكومة خطة."),
        "/items/bad.xml": b"<newsItem guid='x'><contentMeta><headline>broken",
        "/items/3.xml": news_item(G3, 1, "افتتاح معرض الكتاب في الرياض", "افتتح معرض الكتاب."),
    }
    yield server
    server.stop()


@pytest.fixture
def feed(server):
    make_source("فرانس برس", aliases=["أ ف ب", "AFP"])
    return AgencyFeed.objects.create(
        name="AFP عربي",
        url=server.url("/feed.xml"),
        section=make_section("أخبار"),
        interval_minutes=5,
    )


def test_feed_is_polled_then_answers_304_then_survives_a_500_and_resumes(server, feed):
    report = polling.poll_feed(feed.pk)
    assert report.status == "fetched"
    # The malformed item is an error line; the two others are imported.
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "افتتاح معرض الكتاب في الرياض",
        "الحكومة تعلن خطة لخفض الأسعار",
    ]
    assert set(Article.objects.values_list("section__slug", flat=True)) == {feed.section.slug}
    assert len(report.errors) == 1 and "bad.xml" in report.errors[0]
    feed.refresh_from_db()
    assert feed.etag and feed.last_success_at and "bad.xml" in feed.last_error
    assert feed.items_today() == 2 and feed.failures == 0
    assert feed.next_poll_at > timezone.now() + timedelta(minutes=4)

    # Second poll: the validators go back and the server answers 304; nothing fetched.
    server.requests.clear()
    assert polling.poll_feed(feed.pk).status == "not_modified"
    _path, headers = server.requests[0]
    assert headers["If-None-Match"] == feed.etag
    assert headers["If-Modified-Since"] == "Sat, 02 May 2026 10:00:00 GMT"
    assert server.paths() == ["/feed.xml"]

    # The agency is down: a failure, recorded, and the next poll waits longer.
    server.fail_with = 500
    report = polling.poll_feed(feed.pk)
    feed.refresh_from_db()
    assert report.status == "failed"
    assert feed.failures == 1 and "500" in feed.last_error
    assert feed.next_poll_at >= timezone.now() + timedelta(minutes=9)
    polling.poll_feed(feed.pk)
    feed.refresh_from_db()
    assert feed.failures == 2 and feed.next_poll_at >= timezone.now() + timedelta(minutes=19)

    # Back up, with something new: the poll resumes and the count of failures is reset.
    server.fail_with = None
    server.documents["/feed.xml"] = atom([("e1", "/items/1.xml"), ("e4", "/items/4.xml")])
    server.documents["/items/4.xml"] = news_item(G2, 1, "ارتفاع أسعار الذهب", "ارتفع الذهب.")
    assert polling.poll_feed(feed.pk).status == "fetched"
    feed.refresh_from_db()
    assert feed.failures == 0
    assert Article.objects.count() == 3  # item 1 again is the same item
    assert IncomingItem.objects.count() == 3


def test_a_kill_unpublishes_a_published_article_within_one_poll(server, feed, client):
    feed.publish = True
    feed.save()
    polling.poll_feed(feed.pk)
    article = Article.objects.get(title="الحكومة تعلن خطة لخفض الأسعار")
    assert article.is_public and client.get(article.get_absolute_url()).status_code == 200
    server.documents["/feed.xml"] = atom([("e1-kill", "/items/1-kill.xml")])
    server.documents["/items/1-kill.xml"] = news_item(G1, 2, "سحب", "سحب.", status="canceled")
    report = polling.poll_feed(feed.pk)
    assert [result.status for result in report.results] == ["killed"]
    article.refresh_from_db()
    assert not article.is_public
    assert client.get(article.get_absolute_url()).status_code == 404
    # Nothing else lost: the other story is still live.
    assert Article.objects.get(title="افتتاح معرض الكتاب في الرياض").is_public


def test_a_new_version_updates_the_untouched_article_from_the_feed(server, feed):
    polling.poll_feed(feed.pk)
    server.documents["/feed.xml"] = atom([("e1", "/items/1-v2.xml")])
    server.documents["/items/1-v2.xml"] = news_item(
        G1, 2, "الحكومة تعلن خطة لخفض الأسعار", "أعلنت الحكومة خطة تشمل الخبز والوقود."
    )
    report = polling.poll_feed(feed.pk)
    assert [result.status for result in report.results] == ["updated"]
    assert "الخبز والوقود" in Article.objects.get(title__startswith="الحكومة").body_ar


class WorkerDied(BaseException):
    """What a killed worker looks like from inside: nothing after it runs."""


def test_a_poll_cut_short_loses_nothing_and_duplicates_nothing(server, feed, monkeypatch):
    real = ingest.import_item
    calls = []

    def crash_on_the_second(importer, item, *, feed=None):
        calls.append(item.guid)
        if len(calls) == 2:
            raise WorkerDied
        return real(importer, item, feed=feed)

    monkeypatch.setattr(ingest, "import_item", crash_on_the_second)
    with pytest.raises(WorkerDied):
        polling.poll_feed(feed.pk)
    feed.refresh_from_db()
    assert feed.etag == ""  # validators not kept: the next poll fetches everything again
    assert Article.objects.count() == 1
    monkeypatch.setattr(ingest, "import_item", real)
    polling.poll_feed(feed.pk)
    assert Article.objects.count() == 2
    assert IncomingItem.objects.count() == 2


def test_an_unexpected_failure_of_one_item_stops_nothing(server, feed, monkeypatch):
    real = ingest.import_item

    def bug_on_the_first(importer, item, *, feed=None):
        if item.guid == G1:
            raise KeyError("a bug")
        return real(importer, item, feed=feed)

    monkeypatch.setattr(ingest, "import_item", bug_on_the_first)
    report = polling.poll_feed(feed.pk)
    assert report.status == "fetched" and len(report.errors) == 2  # the bug, the bad XML
    assert list(Article.objects.values_list("title", flat=True)) == ["افتتاح معرض الكتاب في الرياض"]


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_polls_due_feeds_through_the_task_queue(server, feed):
    from articles.tasks.periodic import enqueue_due
    from tests.tasks.helpers import run_queue

    every_minute = {"articles.agency.tasks.poll_due_feeds": timedelta(minutes=1)}
    assert enqueue_due(tasks=every_minute) == ["articles.agency.tasks.poll_due_feeds"]
    run_queue()  # the periodic task enqueues the feed's poll, which runs too
    assert Article.objects.count() == 2
    feed.refresh_from_db()
    assert feed.last_success_at is not None
    # Not due again before its interval: the next step enqueues no poll.
    enqueue_due(tasks=every_minute, now=timezone.now() + timedelta(minutes=1))
    run_queue()
    assert IncomingItem.objects.count() == 2
    assert server.paths().count("/feed.xml") == 1


def test_credentials_go_with_basic_authentication(server, feed):
    server.credentials = ("desk", "s3cret")
    assert polling.poll_feed(feed.pk).status == "failed"
    feed.refresh_from_db()
    assert "401" in feed.last_error
    feed.username, feed.password = "desk", "s3cret"
    feed.save()
    assert polling.poll_feed(feed.pk).status == "fetched"
    assert Article.objects.count() == 2


def test_credentials_are_not_sent_on_to_another_server_after_a_redirect(server, feed):
    elsewhere = FeedServer().start()
    try:
        elsewhere.documents = dict(server.documents)
        server.documents["/feed.xml"] = ("redirect", elsewhere.url("/feed.xml"))
        feed.username, feed.password = "desk", "s3cret"
        feed.save()
        polling.poll_feed(feed.pk)
        assert "Authorization" in server.requests[0][1]
        assert elsewhere.requests and not any(
            "Authorization" in headers for _path, headers in elsewhere.requests
        )
    finally:
        elsewhere.stop()


def test_a_newsml_message_feed_imports_each_good_item(server, feed):
    message = (
        '<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>'
        + news_item(G1, 1, "خبر أول", "نص.").decode().split("?>", 1)[1]
        + "<newsItem guid='no-headline' version='1'><contentMeta/></newsItem>"
        + news_item(G2, 1, "خبر ثان", "نص آخر.").decode().split("?>", 1)[1]
        + "</itemSet></newsMessage>"
    )
    server.documents["/feed.xml"] = message.encode()
    report = polling.poll_feed(feed.pk)
    assert [result.status for result in report.results] == ["created", "created"]
    assert len(report.errors) == 1


def test_drop_folder_imports_files_and_moves_them(tmp_path, feed):
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "a.xml").write_bytes(news_item(G1, 1, "خبر من المجلد", "نص."))
    (folder / "b.xml").write_bytes(b"<nitf><broken")
    (folder / "c.txt").write_text("خبر نصي\n\nالقاهرة - أ ف ب:\n\nنص الخبر.\n")
    feed.kind, feed.folder = AgencyFeed.Kind.FOLDER, str(folder)
    feed.save()
    report = polling.poll_feed(feed.pk)
    assert sorted(r.status for r in report.results) == ["created", "created"]
    assert sorted(p.name for p in (folder / "done").iterdir()) == ["a.xml", "c.txt"]
    assert [p.name for p in (folder / "failed").iterdir()] == ["b.xml"]
    assert not [p for p in folder.iterdir() if p.is_file()]
    feed.refresh_from_db()
    assert "b.xml" in feed.last_error and feed.items_today() == 2


def test_a_missing_drop_folder_is_a_failure_with_back_off(tmp_path, feed):
    feed.kind, feed.folder = AgencyFeed.Kind.FOLDER, str(tmp_path / "nowhere")
    feed.save()
    assert polling.poll_feed(feed.pk).status == "failed"
    feed.refresh_from_db()
    assert feed.failures == 1 and "nowhere" in feed.last_error
