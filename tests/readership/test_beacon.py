"""The beacon: a page counted once per reader and hour, whatever served it; bots, prefetches,
editors, other sites and ids that are not public count zero; no query, no cookie."""

import pytest
from django.utils import timezone

from articles.models import Article
from articles.readership.rollup import roll_up
from tests.factories import make_article
from tests.readership.conftest import beacon, reader_client, reads_of

pytestmark = pytest.mark.django_db


def test_a_page_from_the_page_cache_is_still_counted_once_through_its_beacon(any_store):
    article = make_article("خبر يقرأه الناس")
    first, second = reader_client(), reader_client()
    assert first.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    cached = second.get(article.get_absolute_url())
    assert cached["X-Page-Cache"] == "hit"
    assert f'data-read-beacon="/read/{article.pk}/"'.encode() in cached.content
    beacon(second, article)
    roll_up()
    assert reads_of(article) == 1


def test_the_same_reader_twice_in_the_hour_counts_once(any_store):
    article = make_article()
    reader = reader_client()
    beacon(reader, article)
    beacon(reader, article)
    assert reader.get(f"/read/{article.pk}/pixel.gif").status_code == 200
    beacon(reader_client(), article)  # another reader
    roll_up()
    assert reads_of(article) == 2


def test_the_next_hour_counts_again(any_store, monkeypatch):
    article = make_article()
    reader = reader_client()
    beacon(reader, article)
    later = timezone.now() + timezone.timedelta(hours=1)
    monkeypatch.setattr("articles.readership.counting.datetime", _Clock(later))
    beacon(reader, article)
    roll_up()
    assert reads_of(article) == 2


class _Clock:
    def __init__(self, moment):
        self.moment = moment

    def now(self, tz=None):
        return self.moment

    def __getattr__(self, name):
        import datetime

        return getattr(datetime.datetime, name)


def test_the_noscript_pixel_counts_like_the_beacon(any_store):
    article = make_article()
    response = reader_client().get(f"/read/{article.pk}/pixel.gif")
    assert response["Content-Type"] == "image/gif"
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"GIF89a")
    roll_up()
    assert reads_of(article) == 1


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1",
        "",
    ],
)
def test_a_bot_counts_zero(any_store, user_agent):
    article = make_article()
    beacon(reader_client(user_agent=user_agent), article)
    roll_up()
    assert reads_of(article) == 0


def test_prefetches_and_other_sites_count_zero(any_store):
    article = make_article()
    beacon(reader_client(HTTP_SEC_PURPOSE="prefetch;prerender"), article)
    beacon(reader_client(HTTP_PURPOSE="prefetch"), article)
    beacon(reader_client(HTTP_SEC_FETCH_SITE="cross-site"), article)
    beacon(reader_client(HTTP_SEC_FETCH_SITE="same-origin"), article)  # counted
    roll_up()
    assert reads_of(article) == 1


def test_an_editor_counts_zero(any_store, editor):
    article = make_article()
    desk = reader_client()
    desk.force_login(editor)
    assert "beacon" not in desk.get(article.get_absolute_url()).content.decode()
    beacon(desk, article)
    roll_up()
    assert reads_of(article) == 0


def test_ids_that_are_not_public_count_zero(any_store):
    draft = make_article(status=Article.Status.DRAFT)
    in_review = make_article(status=Article.Status.REVIEW)
    scheduled = make_article(published_at=timezone.now() + timezone.timedelta(hours=2))
    archived = make_article(status=Article.Status.ARCHIVED)
    public = make_article()
    reader = reader_client()
    for article in (draft, in_review, scheduled, archived, public):
        beacon(reader, article)
    assert reader.post("/read/999999999/").status_code == 204  # no such article
    result = roll_up()
    assert [reads_of(a) for a in (draft, in_review, scheduled, archived)] == [0, 0, 0, 0]
    assert reads_of(public) == 1
    assert result.dropped == 5


def test_an_address_is_rate_limited(any_store, settings):
    settings.READERSHIP_RATE_PER_MINUTE = 3
    articles = [make_article() for _ in range(5)]
    crowd = [
        reader_client(address="192.0.2.50", user_agent=f"Mozilla/5.0 Reader/{i}") for i in range(5)
    ]
    for client, article in zip(crowd, articles, strict=True):
        beacon(client, article)
    beacon(reader_client(address="192.0.2.51"), articles[4])  # another address
    roll_up()
    assert [reads_of(a) for a in articles] == [1, 1, 1, 0, 1]


def test_the_beacon_with_redis_asks_the_database_nothing(redis_store, django_assert_num_queries):
    article = make_article()
    reader = reader_client()
    with django_assert_num_queries(0):
        beacon(reader, article)
        beacon(reader, article)
    roll_up()
    assert reads_of(article) == 1


def test_wrong_methods_and_paths(any_store):
    article = make_article()
    reader = reader_client()
    assert reader.get(f"/read/{article.pk}/").status_code == 405
    assert reader.post(f"/read/{article.pk}/pixel.gif").status_code == 405
    assert reader.post("/read/0/").status_code == 404
    assert reader.post("/read/abc/").status_code == 404
    assert reader.post("/read/1234567890123456789012/").status_code == 404
    roll_up()
    assert reads_of(article) == 0


def test_beacon_answers_set_no_cookie_and_are_never_cached(any_store):
    article = make_article()
    response = beacon(reader_client(), article)
    assert not response.cookies
    assert response["Cache-Control"] == "no-store"
    assert response.content == b""


def test_redis_down_the_reader_still_gets_an_answer(settings, database_store):
    settings.READERSHIP_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    article = make_article()
    beacon(reader_client(), article)


def test_beacons_wait_half_a_second_in_memory_then_go_to_redis_together(redis_store):
    article = make_article()
    for _ in range(3):
        beacon(reader_client(), article)
    beacon(reader_client(user_agent="curl/8.5"), article)  # refused at once, never queued
    assert len(redis_store.waiting) <= 3
    import time

    time.sleep(1.2)  # the process's flusher has sent them
    assert redis_store.waiting == []
    hits = redis_store.client.hgetall(redis_store.hits_key(timezone.now()))
    assert hits == {str(article.pk).encode(): b"3"}


def test_with_no_wait_each_beacon_is_counted_in_its_request(redis_store, settings):
    settings.READERSHIP_FLUSH_SECONDS = 0
    from django.test import RequestFactory

    from articles.readership.counting import count_read

    article = make_article()
    request = RequestFactory().post(
        "/", HTTP_USER_AGENT="Mozilla/5.0 Reader", REMOTE_ADDR="192.0.2.9"
    )
    assert count_read(request, article.pk) == "counted"
    assert count_read(request, article.pk) == "repeat"
    assert redis_store.waiting == []


@pytest.mark.django_db(databases=["default", "replica_1"])
def test_a_buffered_beacon_never_pins_the_reader_to_the_primary(database_store, settings):
    """With read replicas, a write pins the browser to the primary (a cookie, no shared pages
    for a few seconds): a beacon, though it writes a buffer row, must not."""
    from articles.readership.models import PendingRead
    from newsroom import db_router

    settings.DATABASE_ROUTERS = [db_router.ROUTER]
    try:
        article = make_article()
        db_router.unpin()
        response = beacon(reader_client(), article)
        assert db_router.PIN_COOKIE not in response.cookies
        assert not response.cookies
        assert PendingRead.objects.using("default").filter(article_id=article.pk).count() == 1
    finally:
        db_router.unpin()


def test_a_thousand_waiting_beacons_go_to_redis_in_a_few_calls(redis_store, settings):
    """More than one script call's worth (BATCH), each counted once."""
    import time

    from articles.readership.counting import BATCH

    settings.READERSHIP_RATE_PER_MINUTE = 10_000
    now = timezone.now()
    for reader in range(2 * BATCH + 10):
        redis_store.count(7, "192.0.2.1", f"Mozilla/5.0 Reader/{reader}", now)
    redis_store.count(7, "192.0.2.1", "Mozilla/5.0 Reader/0", now)  # a repeat
    redis_store.flush()  # (or the process's flusher, which may have taken some already)
    expected = str(2 * BATCH + 10).encode()
    for _ in range(40):
        if redis_store.client.hget(redis_store.hits_key(now), "7") == expected:
            break
        time.sleep(0.05)
    assert redis_store.client.hget(redis_store.hits_key(now), "7") == expected
