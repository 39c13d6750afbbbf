"""The project's Redis cache backend (newsroom/redis_cache.py) is Django's, with one Redis
client per connection pool instead of one per command: the same answers, from a real Redis."""

import os
import threading
import uuid

import pytest

from newsroom.redis_cache import RedisCache
from tests.readership.conftest import redis_answers

REDIS_URL = os.environ.get("TEST_CACHE_REDIS_URL", "redis://127.0.0.1:6379/12")


@pytest.fixture
def cache():
    if not redis_answers(REDIS_URL):
        pytest.skip(f"no Redis at {REDIS_URL} (apt-get install redis-server)")
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield backend
    backend.clear()


def test_it_answers_like_djangos_backend(cache):
    cache.set("page", (b"<html>\xd8\xae\xd8\xa8\xd8\xb1</html>", {"Vary": "Cookie"}), 60)
    cache.set_many({"article:1": 11, "article:2": 22}, 60)
    assert cache.get("page") == (b"<html>\xd8\xae\xd8\xa8\xd8\xb1</html>", {"Vary": "Cookie"})
    assert cache.get_many(["article:1", "article:2", "article:3"]) == {
        "article:1": 11,
        "article:2": 22,
    }
    assert cache.incr("article:1") == 12
    cache.delete("page")
    assert cache.get("page", "gone") == "gone"
    assert cache.add("page", "new") is True and cache.add("page", "again") is False


def test_one_client_serves_every_command_and_thread(cache):
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b", write=True) is first
    results = []

    def worker(n):
        cache.set(f"thread:{n}", n, 60)
        results.append(cache.get(f"thread:{n}"))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == list(range(8))
