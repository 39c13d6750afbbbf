"""Whole-page caching for anonymous readers, with conditional GET.

Two parts: views whose pages readers may share are decorated with `cache_for_readers`, and
`PageCacheMiddleware` (right after WhiteNoise in MIDDLEWARE) stores those pages and serves
them to later readers before sessions, locale, URL resolution or the view run, so a cached
page costs less than the barest view.

Pages are cached under a *generation*: every cached page key carries the current generation,
so changing anything a page shows (an article, its tags, credits, links, a section's name...)
retires every cached page at once by dropping the generation (`articles.actions` calls
`invalidate_pages`); old
entries simply expire. Writes are rare in a newsroom and reads are many, so a coarse but
always-correct invalidation beats tracking which pages show which article.

Scheduling needs no cron and neither does the cache: the generation remembers when the next
scheduled article goes live, and the first request after that moment starts a new
generation; page entries never outlive that moment either.

Readers get an ETag (a hash of the page) and Last-Modified (when it was rendered), and a
conditional GET that matches answers 304 without a body. Logged-in users (editors) are never
served from, nor stored in, the cache, and their pages are marked private and uncacheable.

Each server process keeps the current generation for up to PAGE_CACHE_STATE_SECONDS (default
1) and its PAGE_CACHE_LOCAL_ENTRIES (default 200) most recent pages in memory, in front of the
shared cache: a cached page then costs no round trip at all, and an edit reaches every process
within that second (at once in the process that made it).

Settings: PAGE_CACHE_SECONDS (default 300; 0 turns the page cache off), PAGE_CACHE_MAX_AGE
(what browsers may reuse without asking, default 0: they revalidate), and the two above.
With several server processes the cache must be shared (CACHE_URL / REDIS_URL).

For a CDN or caching proxy in front, readers' pages, feeds and sitemaps say how long shared
caches may keep them (`reader_cache_control`: PAGE_CACHE_SHARED_MAX_AGE,
PAGE_CACHE_STALE_WHILE_REVALIDATE, PAGE_CACHE_STALE_IF_ERROR), and `CacheHeadersMiddleware`
makes anything personal (a session, the read-your-writes pin, a cookie being set) private.
"""

import collections
import hashlib
import math
import threading
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_vary_headers,
)
from django.utils.http import http_date, urlencode
from django.utils.module_loading import import_string

from newsroom import page_dependencies
from newsroom.db_router import PIN_COOKIE
from newsroom.page_dependencies import current_versions, dependencies_of, still_current

# Bump when the layout of a cache entry changes, so old entries are never read.
FORMAT = "v4"
STATE_KEY = f"pages:{FORMAT}:state"
# The last generation started, kept apart from STATE_KEY: if that key is lost while the database
# is down, readers are still served the pages of the generation they were getting.
LAST_STATE_KEY = f"pages:{FORMAT}:last-state"
# The "generation" of the stale copies (`stale_seconds`).
STALE = "stale"
# While the database is down, how long a process waits before asking it again.
OUTAGE_RETRY_SECONDS = 5


def page_cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 300))


def stale_seconds() -> int:
    """How long the last copy of a page is kept for serving while the database is down."""
    return int(getattr(settings, "PAGE_CACHE_STALE_IF_ERROR", 86400))


def state_seconds() -> float:
    return float(getattr(settings, "PAGE_CACHE_STATE_SECONDS", 1.0))


class _Local:
    """What one server process keeps in memory, in front of the shared cache: the state for
    up to PAGE_CACHE_STATE_SECONDS, and the most recently served pages. A page entry never
    changes once stored under its generation, so copies cannot go stale; only a new
    generation can, and other processes learn of it within PAGE_CACHE_STATE_SECONDS."""

    def __init__(self, size: int):
        self.size = size
        self.state = None
        self.state_until = 0.0
        self.pages = collections.OrderedDict()
        self.lock = threading.Lock()

    def get_page(self, key):
        with self.lock:
            entry = self.pages.get(key)
            if entry is None:
                return None
            if entry[-1] <= time.time():
                del self.pages[key]
                return None
            self.pages.move_to_end(key)
            return entry

    def put_page(self, key, entry):
        with self.lock:
            self.pages[key] = entry
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def forget(self):
        with self.lock:
            self.state = None
            self.pages.clear()


_local = _Local(int(getattr(settings, "PAGE_CACHE_LOCAL_ENTRIES", 200)))


def forget_local_state(*, pages: bool = True) -> None:
    """Make this process ask the shared cache for the generation on its next request, as it
    does every PAGE_CACHE_STATE_SECONDS (and forget its in-memory pages unless `pages` is
    False). Called on every invalidation, and by tests between cases."""
    if pages:
        _local.forget()
    else:
        _local.state_until = 0
    page_dependencies.forget_local_versions()


def page_key(request, generation: int) -> str:
    """The shared cache's key for `request`'s page in `generation`."""
    return _page_key(request, generation)


def _drop_state() -> None:
    forget_local_state()
    cache.delete(STATE_KEY)


def _renew_state() -> None:
    """Start a new generation, working out when the next scheduled article goes live while
    we are writing anyway, so that readers find the state ready (no query on their side)."""
    forget_local_state()
    state = {"generation": time.time_ns(), "next_live": _next_go_live()}
    cache.set(STATE_KEY, state, None)
    cache.set(LAST_STATE_KEY, state, None)


def reschedule() -> None:
    """A scheduled article was saved: keep the generation, but learn its go-live time now (the
    generation then retires at that moment); again at commit, when the time is visible."""
    _reschedule()
    transaction.on_commit(_reschedule)


def _reschedule() -> None:
    state = cache.get(STATE_KEY)
    if state is None:
        return  # the next request starts a generation and asks for itself
    state = {"generation": state["generation"], "next_live": _next_go_live()}
    cache.set(STATE_KEY, state, None)
    cache.set(LAST_STATE_KEY, state, None)
    forget_local_state(pages=False)


def invalidate_pages() -> None:
    """Retire every cached page, now and again when the current transaction commits (so a
    request racing the transaction cannot keep what it rendered before the commit)."""
    _renew_state()
    transaction.on_commit(_renew_state)


def _next_go_live():
    """When the next scheduled change goes live by itself (epoch seconds), or None: asked of
    the PAGE_CACHE_NEXT_CHANGE setting (a dotted path to a function returning a datetime or
    None), so the plumbing needs no knowledge of articles."""
    next_change = getattr(settings, "PAGE_CACHE_NEXT_CHANGE", None)
    moment = import_string(next_change)() if next_change else None
    return moment.timestamp() if moment else None


def current_state() -> dict:
    """{"generation": int, "next_live": epoch seconds or None}, starting a new generation
    when there is none or when a scheduled article has gone live since it began.

    Starting one asks the database when the next article goes live. While the database is
    down this process keeps the generation it knew (or, having none, uses a new one without
    storing it) and asks again after OUTAGE_RETRY_SECONDS: readers keep getting the pages
    cached under it, and pages that must be rendered fall back to their stale copies."""
    now = time.time()
    state = _local.state
    if state is None or time.monotonic() >= _local.state_until:
        state = cache.get(STATE_KEY)
    due = state is not None and state["next_live"] is not None and now >= state["next_live"]
    if state is None or due:
        try:
            next_live = _next_go_live()
        except DatabaseError:
            known = state or _local.state or cache.get(LAST_STATE_KEY)
            state = {
                "generation": known["generation"] if known else time.time_ns(),
                "next_live": now + OUTAGE_RETRY_SECONDS,
            }
            _local.state, _local.state_until = state, time.monotonic() + OUTAGE_RETRY_SECONDS
            return state
        if due:
            _drop_state()
        fresh = {"generation": time.time_ns(), "next_live": next_live}
        cache.add(STATE_KEY, fresh, timeout=None)
        state = cache.get(STATE_KEY) or fresh
        cache.set(LAST_STATE_KEY, state, None)
    if state is not _local.state:
        _local.state, _local.state_until = state, time.monotonic() + state_seconds()
    return state


# The only query parameters the cached pages read (listings' `page`, sitemaps' `p`); others
# (utm_source=…, fbclid=…) must not turn every shared link into a cache miss.
PAGE_PARAMETERS = ("page", "p")


def _page_key(request, generation: int) -> str:
    # The path alone says the language: Arabic unprefixed, English under /en/.
    full_path = request.path
    if request.META.get("QUERY_STRING"):
        params = [(name, request.GET.get(name)) for name in PAGE_PARAMETERS if name in request.GET]
        if params:
            full_path += "?" + urlencode(params)
    path = hashlib.md5(full_path.encode(), usedforsecurity=False).hexdigest()
    return f"pages:{FORMAT}:{generation}:{path}"


def _storable(response) -> bool:
    return (
        getattr(response, "cache_for_readers", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")
    )


# Headers that belong to one response, not to the page.
_UNSTORED_HEADERS = {"date", "set-cookie", "etag", "last-modified", "cache-control", "x-page-cache"}


def reader_cache_control(poll_interval=None) -> str:
    """The Cache-Control of pages every reader may share, for browsers and for shared caches
    (a CDN, nginx): browsers revalidate after PAGE_CACHE_MAX_AGE (default 0, with the ETag:
    a 304), shared caches keep a page for PAGE_CACHE_SHARED_MAX_AGE, may answer with a stale
    copy while they fetch a new one, and keep answering with it while the site is down.
    An answer that pages poll (`X-Poll-Interval: n`, the live coverage's) is kept and served
    stale by shared caches for no longer than n seconds."""
    shared = int(getattr(settings, "PAGE_CACHE_SHARED_MAX_AGE", 60))
    revalidate = int(getattr(settings, "PAGE_CACHE_STALE_WHILE_REVALIDATE", 30))
    if poll_interval and str(poll_interval).isdigit():
        shared, revalidate = min(shared, int(poll_interval)), min(revalidate, int(poll_interval))
    return (
        f"public, max-age={int(getattr(settings, 'PAGE_CACHE_MAX_AGE', 0))}"
        f", s-maxage={shared}"
        f", stale-while-revalidate={revalidate}"
        f", stale-if-error={int(getattr(settings, 'PAGE_CACHE_STALE_IF_ERROR', 86400))}"
    )


def _readers_vary(response) -> None:
    """Readers' pages vary with the session cookie (a logged-in editor gets a private page)
    but not with Accept-Language: the path alone says the language (Arabic unprefixed,
    English under /en/), so a CDN must not keep one copy per browser language."""
    patch_vary_headers(response, ("Cookie",))
    vary = [v.strip() for v in response.headers["Vary"].split(",")]
    response.headers["Vary"] = ", ".join(v for v in vary if v.lower() != "accept-language")


def _reads_fresh(request) -> bool:
    """A session (the desk) or the pin cookie of a browser that has just written (see
    newsroom/db_router.py): such requests read the primary and must not get shared pages."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or PIN_COOKIE in request.COOKIES


class CacheHeadersMiddleware:
    """The last word on Cache-Control, outside every other middleware (right after
    WhiteNoise, whose static files keep their own headers): a response that sets a cookie
    (session, CSRF, language, the database pin) or answers a request that carries a session
    (the desk, an editor's preview) is `private, no-store`, whatever an inner layer said, so no
    shared cache can ever keep one person's answer for another."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.cookies or _reads_fresh(request):
            cache_control = response.headers.get("Cache-Control", "")
            if "public" in cache_control or "private" not in cache_control:
                response.headers["Cache-Control"] = "private, no-store"
        return response


def cache_for_readers(view):
    """Mark the view's answers (pages, feeds, sitemaps, robots.txt) as cacheable for anonymous
    readers (PageCacheMiddleware stores and serves them, with the readers' Cache-Control);
    logged-in users' answers are marked private and uncacheable."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            add_never_cache_headers(response)
        else:
            response.cache_for_readers = True
            page_dependencies.add_request_dependencies(request, response)
        return response

    return wrapper


class PageCacheMiddleware:
    """Serves anonymous readers' cached pages before the session, locale, URL resolution and
    view run, and stores the pages that `cache_for_readers` views render (with the headers the
    inner middleware added). Place it right after WhiteNoise, before SessionMiddleware.

    Eligible: GET/HEAD without a session cookie (a logged-in user always has one; the view
    then decides) nor the pin cookie of a browser that has just written (it must read the
    primary database). Everything else passes straight through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or _reads_fresh(request)
            or page_cache_seconds() <= 0
        ):
            return self.get_response(request)

        state = current_state()
        key = _page_key(request, state["generation"])
        entry = _local.get_page(key)
        if entry is None:
            entry = cache.get(key)
            if entry is not None:
                _local.put_page(key, entry)
        if entry is not None and entry[0] is not None and not still_current(entry[5]):
            entry = None  # something the page shows has changed since it was stored
        served = "hit"
        if entry is None or entry[0] is None:
            rendering_since = time.time_ns()
            response = self.get_response(request)
            served = "miss"
            if response.status_code == 503:
                # The database is down: the last copy of this page, however old, beats none.
                entry = cache.get(_page_key(request, STALE))
                if entry is None:
                    return response
                response = HttpResponse(entry[0], headers=entry[1])
                served = "stale"
            elif not _storable(response):
                # Remember (in this process, for this generation) not to ask the shared cache
                # again for a page that is not cached: search, feeds, a 404...
                _local.put_page(key, (None, time.time() + page_cache_seconds()))
                return response
            else:
                entry = self._store(key, response, state, request, rendering_since)
        else:
            response = HttpResponse(entry[0], headers=entry[1])
        etag, rendered_at, last_modified = entry[2:5]
        headers = response.headers
        headers["ETag"] = etag
        headers["Last-Modified"] = last_modified
        headers["Cache-Control"] = reader_cache_control(headers.get("X-Poll-Interval"))
        # For operators and `make load`: served from the page cache, rendered, or a stale copy.
        headers["X-Page-Cache"] = served
        if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
            return get_conditional_response(
                request, etag=etag, last_modified=rendered_at, response=response
            )
        return response

    def _store(self, key, response, state, request, rendering_since):
        _readers_vary(response)
        versions = current_versions(dependencies_of(response))
        content = response.content
        rendered_at = int(time.time())
        timeout = page_cache_seconds()
        if state["next_live"] is not None:
            timeout = max(1, min(timeout, int(state["next_live"] - rendered_at)))
        if settings.DATABASE_ROUTERS:
            # Read replicas may not have replayed the edit that started this generation yet:
            # a page rendered in that window is kept only until the window closes.
            lag_until = state["generation"] / 1e9 + getattr(settings, "DATABASE_PIN_SECONDS", 5)
            if rendered_at < lag_until:
                timeout = max(1, min(timeout, math.ceil(lag_until - rendered_at)))
        # A view may say when its page goes stale by itself (the home page's breaking news).
        if getattr(response, "cache_until", None) is not None:
            timeout = max(1, min(timeout, int(response.cache_until - rendered_at)))
        headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() not in _UNSTORED_HEADERS
        }
        entry = (
            content,
            headers,
            f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"',
            rendered_at,
            http_date(rendered_at),
            versions,
            rendered_at + timeout,
        )
        if any(version and version >= rendering_since for version in versions.values()):
            # Something the page shows changed while it was being rendered: serve it this once,
            # store nothing.
            return entry
        cache.set(key, entry, timeout)
        _local.put_page(key, entry)
        # The stale copy, whatever the generation: served only when the database is down.
        cache.set(_page_key(request, STALE), entry, stale_seconds())
        return entry
