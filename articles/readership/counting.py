"""Who is counted, and where a counted read waits for the roll-up.

A read is counted once per reader, article and clock hour (UTC). The reader is recognised by
an HMAC of their address and user agent with the article and the hour, keyed by a salt drawn
at random each UTC day; the salt and the hashes live only in memory or in Redis with a time to
live (the hash for the rest of the hour, the salt for a day), never in the database or a file,
and the address and user agent themselves are kept nowhere. Once the day's salt is gone,
yesterday's hashes cannot be matched to anyone, even by us.

Not counted: known bots and scripts (by user agent, or none), prefetches and prerenders that
were never shown, requests from other sites (Sec-Fetch-Site: cross-site), anyone signed in
(only desk staff have accounts), and an address past READERSHIP_RATE_PER_MINUTE beacons a
minute. Ids of articles that are not public are dropped by the roll-up, with the publication
rule of articles/querysets.py (the beacon itself asks the database nothing).

Two stores, chosen by READERSHIP_REDIS_URL (by default the cache's Redis, CACHE_URL/REDIS_URL):
  RedisStore     beacons wait in memory for half a second, then go to Redis together (one
                 Lua script call for hundreds: rate, once-per-hour, count); the counts wait
                 in one Redis hash per hour until the roll-up takes them
  DatabaseStore  without Redis: rate and once-per-hour in this process's memory (the local
                 cache), each counted read one row in the PendingRead buffer
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY

# Substrings of user agents that are not people reading (lower case).
BOT_MARKERS = (
    "bot",
    "crawl",
    "spider",
    "slurp",
    "archiver",
    "facebookexternalhit",
    "embedly",
    "preview",
    "headless",
    "lighthouse",
    "pagespeed",
    "phantomjs",
    "python-",
    "curl/",
    "wget/",
    "httpclient",
    "okhttp",
    "go-http-client",
    "java/",
    "libwww",
    "feedfetcher",
    "monitor",
    "scrapy",
)
_BOT = re.compile("|".join(re.escape(marker) for marker in BOT_MARKERS))
HOUR_FORMAT = "%Y%m%d%H"
logger = logging.getLogger(__name__)


# --- Who is counted (pure) -------------------------------------------------------------------


def is_bot(user_agent: str) -> bool:
    """A user agent that is not a person's browser: a known bot or script, or none at all."""
    agent = (user_agent or "").strip().lower()
    if not agent.startswith(("mozilla/", "opera/")):
        return True  # every browser a person reads with says Mozilla/ (old Operas: Opera/)
    return bool(_BOT.search(agent))


def is_prefetch(headers) -> bool:
    """A speculative fetch the reader may never see (`Purpose`/`Sec-Purpose: prefetch`,
    Firefox's `X-Moz: prefetch`; Chromium's prerender sends `Sec-Purpose: prefetch;prerender`)."""
    purpose = " ".join(
        headers.get(name, "") for name in ("Sec-Purpose", "Purpose", "X-Moz", "X-Purpose")
    )
    return "prefetch" in purpose.lower() or "preview" in purpose.lower()


def is_cross_site(headers) -> bool:
    """Sent by another site's page (a browser says so); such beacons would let any page inflate
    our counts with its visitors."""
    return headers.get("Sec-Fetch-Site", "").lower() == "cross-site"


def hour_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def seconds_left_in_hour(moment: datetime) -> int:
    return int((hour_of(moment) + timedelta(hours=1) - moment).total_seconds()) + 1


def reader_hash(salt: bytes, address: str, user_agent: str, article_id: int, hour: datetime) -> str:
    """Who read what this hour, unrecognisable without the day's salt."""
    message = f"{address}\n{user_agent}\n{article_id}\n{hour:{HOUR_FORMAT}}".encode()
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:32]


def address_hash(salt: bytes, address: str) -> str:
    """The rate limit's key for an address, unrecognisable without the day's salt."""
    return hmac.new(salt, f"rate\n{address}".encode(), hashlib.sha256).hexdigest()[:24]


def is_signed_in(request) -> bool:
    """A session with a signed-in user: desk staff (readers have no accounts). Only requests
    that carry a session cookie pay for the look-up."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    from django.db import DatabaseError

    try:
        return SESSION_KEY in import_module(settings.SESSION_ENGINE).SessionStore(key)
    except DatabaseError:
        return True  # cannot tell: better not counted than an editor counted


# --- Counting a beacon -----------------------------------------------------------------------


def count_read(request, article_id: int, *, now: datetime | None = None) -> str:
    """Count the reader of `request` for `article_id` if they should be; why, or why not:
    counted, repeat, limited, unavailable, queued (Redis: decided when the beacons waiting in
    this process are sent, within READERSHIP_FLUSH_SECONDS), or bot, prefetch, cross-site,
    editor."""
    from newsroom.security import client_ip_address

    headers = request.headers
    user_agent = headers.get("User-Agent", "")
    if is_bot(user_agent):
        return "bot"
    if is_prefetch(headers):
        return "prefetch"
    if is_cross_site(headers):
        return "cross-site"
    if is_signed_in(request):
        return "editor"
    now = now or datetime.now(UTC)
    address = client_ip_address(request) or ""
    return store().count(article_id, address, user_agent, now)


def rate_per_minute() -> int:
    return int(getattr(settings, "READERSHIP_RATE_PER_MINUTE", 120))


def key_prefix() -> str:
    return getattr(settings, "READERSHIP_KEY_PREFIX", "newsroom:reads")


def redis_url() -> str | None:
    return getattr(settings, "READERSHIP_REDIS_URL", None) or None


_stores: dict = {}
_stores_lock = threading.Lock()


def store():
    """The store for the current settings (one per Redis URL and prefix, per process)."""
    url, prefix = redis_url(), key_prefix()
    found = _stores.get((url, prefix))
    if found is None:
        with _stores_lock:
            found = _stores.get((url, prefix))
            if found is None:
                found = RedisStore(url, prefix) if url else DatabaseStore(prefix)
                _stores[(url, prefix)] = found
    return found


class _DailySalt:
    """The day's salt as this process knows it (the store says where it comes from)."""

    def __init__(self, fetch):
        self.fetch = fetch
        self.day = None
        self.salt = None
        self.lock = threading.Lock()

    def get(self, now: datetime) -> bytes:
        day = now.astimezone(UTC).strftime("%Y%m%d")
        if self.day != day:
            with self.lock:
                if self.day != day:
                    self.salt, self.day = self.fetch(day), day
        return self.salt


# One round trip: the address's beacons this minute, the reader once this hour, the count.
# Beacons in one call: for each, KEYS rate, seen, hits and ARGV seconds left in the hour, the
# article id (after ARGV[1] the limit and ARGV[2] how long counts may wait for the roll-up).
COUNT_SCRIPT = """
local limit, pending = tonumber(ARGV[1]), tonumber(ARGV[2])
local outcomes = {}
for i = 0, #KEYS / 3 - 1 do
  local rate, seen, hits = KEYS[3 * i + 1], KEYS[3 * i + 2], KEYS[3 * i + 3]
  local outcome = 'counted'
  local n = redis.call('INCR', rate)
  if n == 1 then redis.call('EXPIRE', rate, 60) end
  if n > limit then
    outcome = 'limited'
  elseif not redis.call('SET', seen, '1', 'NX', 'EX', tonumber(ARGV[3 + 2 * i])) then
    outcome = 'repeat'
  else
    redis.call('HINCRBY', hits, ARGV[4 + 2 * i], 1)
    redis.call('EXPIRE', hits, pending)
  end
  outcomes[i + 1] = outcome
end
return outcomes
"""
# Beacons per script call when a process sends what waited.
BATCH = 500
# Counts not rolled up within this long are dropped by Redis (the roll-up runs every few minutes).
PENDING_TTL_SECONDS = 7 * 24 * 3600
SALT_TTL_SECONDS = 25 * 3600


class RedisStore:
    """Keys (under the prefix): salt:<day> (a day and an hour), rate:<minute>:<address hash>
    (a minute), seen:<hour>:<reader hash> (the rest of the hour), hits:<hour> (a hash of
    article id to count, until the roll-up renames it to batch:<id>:<hour>).

    A beacon waits in this process's memory for at most READERSHIP_FLUSH_SECONDS (0.5); a
    background thread then sends all waiting beacons together (one script call per few hundred:
    rate, once per hour, count for each), so a beacon costs a reader's request no round trip.
    The roll-up and the process's exit flush too. READERSHIP_FLUSH_SECONDS=0 counts each
    beacon at once, in its request."""

    def __init__(self, url: str, prefix: str):
        import redis

        self.prefix = prefix
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.errors = (redis.RedisError,)
        self.script = self.client.register_script(COUNT_SCRIPT)
        self.salt = _DailySalt(self._fetch_salt)
        self.waiting: list = []
        self.lock = threading.Lock()
        self.flusher_pid = None

    def _fetch_salt(self, day: str) -> bytes:
        key = f"{self.prefix}:salt:{day}"
        self.client.set(key, secrets.token_hex(32), nx=True, ex=SALT_TTL_SECONDS)
        return self.client.get(key)

    def hits_key(self, hour: datetime) -> str:
        return f"{self.prefix}:hits:{hour:{HOUR_FORMAT}}"

    def count(self, article_id: int, address: str, user_agent: str, now: datetime) -> str:
        try:
            salt = self.salt.get(now)
        except self.errors:
            self.salt.day = None  # Redis may have restarted: ask for the salt again
            return "unavailable"
        hour = hour_of(now)
        keys = [
            f"{self.prefix}:rate:{now:%Y%m%d%H%M}:{address_hash(salt, address)}",
            f"{self.prefix}:seen:{hour:{HOUR_FORMAT}}:"
            f"{reader_hash(salt, address, user_agent, article_id, hour)}",
            self.hits_key(hour),
        ]
        args = [seconds_left_in_hour(now), article_id]
        if flush_seconds() <= 0:
            return self._send([(keys, args)])[0]
        with self.lock:
            self.waiting.append((keys, args))
        self._start_flusher()
        return "queued"

    def _send(self, beacons) -> list[str]:
        """Count `beacons` [(keys, args)] in Redis, BATCH to a call; their outcomes."""
        outcomes = []
        for start in range(0, len(beacons), BATCH):
            chunk = beacons[start : start + BATCH]
            keys = [key for beacon_keys, _ in chunk for key in beacon_keys]
            args = [rate_per_minute(), PENDING_TTL_SECONDS]
            args += [arg for _, beacon_args in chunk for arg in beacon_args]
            try:
                answer = self.script(keys=keys, args=args)
            except self.errors:
                logger.warning("readership: %d beacons lost, Redis did not answer", len(chunk))
                outcomes += ["unavailable"] * len(chunk)
                continue
            outcomes += [o.decode() if isinstance(o, bytes) else str(o) for o in answer]
        return outcomes

    def flush(self) -> list[str]:
        """Send the waiting beacons to Redis, a few hundred to a script call; their outcomes."""
        with self.lock:
            batch, self.waiting = self.waiting, []
        return self._send(batch) if batch else []

    def _start_flusher(self) -> None:
        pid = os.getpid()
        if self.flusher_pid == pid:
            return
        with self.lock:
            if self.flusher_pid == pid:
                return
            self.flusher_pid = pid  # (a forked server process starts its own)
            threading.Thread(target=self._flush_every, name="readership-flush", daemon=True).start()
            atexit.register(self.flush)

    def _flush_every(self) -> None:
        while True:
            time.sleep(flush_seconds() or 0.5)
            try:
                self.flush()
            except Exception:  # never let the thread die: the next beacons would wait forever
                logger.exception("readership: flushing beacons failed")


def flush_seconds() -> float:
    return float(getattr(settings, "READERSHIP_FLUSH_SECONDS", 0.5))


class DatabaseStore:
    """Without Redis: the local cache (this process's memory) remembers the rate and who was
    counted; a counted read is one PendingRead row. With several server processes a reader
    served by two of them in one hour may be counted twice: use Redis in production."""

    def __init__(self, prefix: str):
        from django.core.cache import caches
        from django.core.cache.backends.locmem import LocMemCache

        default = caches["default"]
        # The hashes must stay in memory: the default cache only if it is this process's own.
        self.memory = (
            default
            if isinstance(default, LocMemCache)
            else LocMemCache(f"readership-{prefix}", {"OPTIONS": {"MAX_ENTRIES": 100_000}})
        )
        self.prefix = prefix
        self.salt = _DailySalt(lambda day: secrets.token_bytes(32))

    def count(self, article_id: int, address: str, user_agent: str, now: datetime) -> str:
        from django.db import DatabaseError

        from articles.readership.models import PendingRead

        salt = self.salt.get(now)
        hour = hour_of(now)
        rate_key = f"{self.prefix}:rate:{now:%Y%m%d%H%M}:{address_hash(salt, address)}"
        self.memory.add(rate_key, 0, 61)
        try:
            beacons = self.memory.incr(rate_key)
        except ValueError:  # expired between the two calls
            beacons = 1
        if beacons > rate_per_minute():
            return "limited"
        reader = reader_hash(salt, address, user_agent, article_id, hour)
        if not self.memory.add(
            f"{self.prefix}:seen:{hour:{HOUR_FORMAT}}:{reader}", 1, seconds_left_in_hour(now)
        ):
            return "repeat"
        try:
            PendingRead.objects.create(article_id=article_id, hour=hour)
        except DatabaseError:
            return "unavailable"
        return "counted"
