"""What a cached page shows, so that an edit retires only the pages that show what changed.

A view marks its response with the *dependencies* of its page (`depends_on`): names such as
`article:42` (the page shows article 42: its own page, or a card or link to it) or `listings`
(the page lists the latest articles: home, sections, tags, authors, sources, archives, feeds,
sitemaps). A page that names none depends on `listings`. The page cache stores the current
*version* of each dependency with the page; the write path (`articles.actions`) calls `retire`
with the dependencies a change touches, which gives them new versions, and a cached page whose
recorded versions are no longer current is rendered again. So publishing or correcting one story
retires that story's page, the pages that link to it and the listings, and leaves every other
article page cached.

Anything coarser (a section renamed, a scheduled article going live, a byline, a tag renamed)
still retires every page at once through the cache generation (`page_cache.invalidate_pages`).

Versions live in the shared cache for twice the pages' lifetime, so a page stored before a
retirement always expires before the record of that retirement does. Each process keeps the
versions it read for PAGE_CACHE_STATE_SECONDS, like the generation. The shared cache must not
evict these keys early (Redis: a `maxmemory-policy` of `volatile-ttl` or `noeviction`, or a
large enough `maxmemory`).
"""

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

LISTINGS = "listings"
_PREFIX = "pages:v4:dep:"


def article(pk) -> str:
    return f"article:{int(pk)}"


def depends_on(response, *names) -> None:
    """Add to the dependencies of `response`'s page (a view calls it before returning)."""
    current = getattr(response, "cache_dependencies", frozenset())
    response.cache_dependencies = frozenset(current) | frozenset(names)


def depends_on_request(request, *names) -> None:
    """Add to the dependencies of the page answering `request`, from where there is no
    response yet (a template tag); `cache_for_readers` adds them to the response's."""
    current = getattr(request, "page_dependencies", frozenset())
    request.page_dependencies = frozenset(current) | frozenset(names)


def dependencies_of(response) -> frozenset:
    return getattr(response, "cache_dependencies", None) or frozenset({LISTINGS})


def add_request_dependencies(request, response) -> None:
    """What the templates of `request` declared, added to what its view declared (a page that
    declared nothing itself still depends on the listings)."""
    noted = getattr(request, "page_dependencies", None)
    if noted:
        response.cache_dependencies = dependencies_of(response) | noted


class _Versions:
    """The versions this process read, each kept for PAGE_CACHE_STATE_SECONDS."""

    def __init__(self):
        self.known: dict[str, tuple[object, float]] = {}
        self.lock = threading.Lock()

    def get(self, names) -> dict:
        now = time.monotonic()
        found, missing = {}, []
        with self.lock:
            for name in names:
                version, until = self.known.get(name, (None, 0.0))
                if until > now:
                    found[name] = version
                else:
                    missing.append(name)
        if missing:
            stored = cache.get_many([_PREFIX + name for name in missing])
            until = now + float(getattr(settings, "PAGE_CACHE_STATE_SECONDS", 1.0))
            with self.lock:
                for name in missing:
                    found[name] = stored.get(_PREFIX + name)
                    self.known[name] = (found[name], until)
                if len(self.known) > 10_000:
                    self.known.clear()
        return found

    def forget(self, names=None) -> None:
        with self.lock:
            if names is None:
                self.known.clear()
            else:
                for name in names:
                    self.known.pop(name, None)


_versions = _Versions()


def current_versions(names) -> dict:
    """{name: version} now (None for a name never retired)."""
    return _versions.get(names)


def still_current(recorded: dict) -> bool:
    """Whether the versions a page was stored with are all still the current ones."""
    return not recorded or current_versions(recorded) == recorded


def retire(*names) -> None:
    """Give these dependencies new versions, now and again when the current transaction
    commits (a page rendered in between from the old data cannot survive the commit)."""
    names = frozenset(names)
    if not names:
        return
    _bump(names)
    transaction.on_commit(lambda: _bump(names))


def _bump(names) -> None:
    version = time.time_ns()
    lifetime = 2 * max(int(getattr(settings, "PAGE_CACHE_SECONDS", 300)), 1)
    cache.set_many({_PREFIX + name: version for name in names}, lifetime)
    _versions.forget(names)


def forget_local_versions() -> None:
    _versions.forget()
