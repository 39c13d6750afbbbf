"""Fixtures of the readership tests: readers (a browser's user agent, an address each), and
the two stores: Redis (a database and key prefix of the tests' own on 127.0.0.1:6379, emptied
before and after) or the database buffer with this process's memory."""

import os
import socket

import pytest

REDIS_URL = os.environ.get("TEST_READERSHIP_REDIS_URL", "redis://127.0.0.1:6379/13")
BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36"
)


def redis_answers(url: str) -> bool:
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


def clear_prefix(client, prefix: str) -> None:
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def redis_store(settings):
    """Reads counted in Redis, under a prefix of this test run's own."""
    if not redis_answers(REDIS_URL):
        pytest.skip(f"no Redis at {REDIS_URL} (apt-get install redis-server)")
    from articles.readership.counting import store

    settings.READERSHIP_REDIS_URL = REDIS_URL
    settings.READERSHIP_KEY_PREFIX = f"test-reads-{os.getpid()}"
    current = store()
    clear_prefix(current.client, current.prefix)
    yield current
    current.flush()
    clear_prefix(current.client, current.prefix)


@pytest.fixture
def database_store(settings):
    from articles.readership.counting import store

    settings.READERSHIP_REDIS_URL = None
    settings.READERSHIP_KEY_PREFIX = f"test-reads-{os.getpid()}"
    return store()


@pytest.fixture(params=["redis", "database"])
def any_store(request):
    """Each test twice: with Redis, and with the database buffer."""
    return request.getfixturevalue(f"{request.param}_store")


_addresses = iter(range(1, 10_000))


def reader_client(address=None, user_agent=BROWSER, **headers):
    """A reader's browser: its own address, a real browser's user agent, no cookies."""
    from django.test import Client

    address = address or f"198.51.100.{next(_addresses) % 250 + 1}"
    return Client(REMOTE_ADDR=address, HTTP_USER_AGENT=user_agent, **headers)


@pytest.fixture
def reader():
    return reader_client()


def beacon(client, article, **extra):
    response = client.post(f"/read/{article.pk}/", **extra)
    assert response.status_code == 204
    return response


def reads_of(article) -> int:
    from django.db.models import Sum

    from articles.readership.models import HourlyReads

    return HourlyReads.objects.filter(article=article).aggregate(n=Sum("reads"))["n"] or 0
