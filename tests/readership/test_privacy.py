"""Nothing that could recognise a reader is stored: not in any table, not in Redis, no cookie."""

import pytest
from django.db import connection

from articles.readership.rollup import roll_up
from tests.factories import make_article
from tests.readership.conftest import beacon, reader_client, reads_of

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"
AGENT = "Mozilla/5.0 (X11; Linux x86_64) UniqueReaderAgent/9.9.9 Safari/537.36"


def every_table_as_text() -> str:
    """Every row of every table of the database, as text."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(table_name) FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        tables = [name for (name,) in cursor.fetchall()]
        dump = []
        for table in tables:
            cursor.execute(f"SELECT t::text FROM {table} t")
            dump += [row for (row,) in cursor.fetchall()]
    return "\n".join(dump)


def read_and_roll_up(article, *, roll=True):
    reader = reader_client(address=ADDRESS, user_agent=AGENT)
    for response in (
        reader.get(article.get_absolute_url()),
        beacon(reader, article),
        reader.get(f"/read/{article.pk}/pixel.gif"),
    ):
        assert not response.cookies, response
        assert "Set-Cookie" not in response
    if roll:
        roll_up()


def assert_not_in(text: str, where: str):
    for secret in (ADDRESS, "UniqueReaderAgent", "203.0.113"):
        assert secret not in text, f"{secret!r} found in {where}"


def test_no_address_user_agent_or_cookie_in_any_table(any_store):
    article = make_article()
    read_and_roll_up(article, roll=False)
    assert_not_in(every_table_as_text(), "the tables, before the roll-up")
    roll_up()
    assert reads_of(article) == 1
    assert_not_in(every_table_as_text(), "the tables, after the roll-up")


def test_no_address_or_user_agent_in_redis(redis_store):
    article = make_article()
    read_and_roll_up(article, roll=False)
    redis_store.flush()  # (the process sends waiting beacons every half second)
    client, prefix = redis_store.client, redis_store.prefix
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    assert keys  # the counts and the hashes are there
    seen = []
    for key in keys:
        seen.append(key.decode())
        kind = client.type(key).decode()
        if kind == "string":
            seen.append(client.get(key).decode(errors="replace"))
        elif kind == "hash":
            seen += [f"{k.decode()}={v.decode()}" for k, v in client.hgetall(key).items()]
        else:
            pytest.fail(f"unexpected {kind} at {key}")
        ttl = client.ttl(key)
        assert 0 < ttl <= 8 * 24 * 3600, f"{key} never expires"
    assert_not_in("\n".join(seen), "Redis")
    # the reader's hash lives for the rest of the hour at most; the salt for a day at most
    for key in keys:
        if b":seen:" in key:
            assert client.ttl(key) <= 3601
        if b":salt:" in key:
            assert client.ttl(key) <= 25 * 3600


def test_the_beacon_starts_no_session(any_store):
    from django.contrib.sessions.models import Session

    article = make_article()
    read_and_roll_up(article)
    assert Session.objects.count() == 0
