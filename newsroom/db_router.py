"""Reads from replicas, writes (and reads that must be fresh) on the primary.

With DATABASE_REPLICA_URLS set, settings add the aliases replica_1, replica_2... and install
`PrimaryReplicaRouter`. Replicas lag the primary a little, so a read goes to the primary when
it must see the latest data:

- inside a transaction on the primary (a read there is part of the transaction);
- after this request (or command) has written anything: "read your own writes";
- for DATABASE_PIN_SECONDS after a write, on the following requests of the same browser, which
  `ReadYourWritesMiddleware` marks with a short-lived cookie (the page after the redirect that
  follows a POST shows what was just saved);
- for any request carrying a session cookie: the desk. Editors must never see stale data, and
  the optimistic lock in articles/desk/forms.py compares against the latest version. Readers have
  no session, so they are the ones served by the replicas.

Without replicas the router is not installed and the middleware removes itself.
"""

import contextvars
import random

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections

PIN_COOKIE = "newsroom_primary"
ROUTER = "newsroom.db_router.PrimaryReplicaRouter"

# Per request (and per thread outside requests): read from the primary, and whether anything
# was written. Context variables, so threads (gthread workers) never share them.
_pinned = contextvars.ContextVar("newsroom_db_pinned", default=False)
_wrote = contextvars.ContextVar("newsroom_db_wrote", default=False)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


def pinned_to_primary() -> bool:
    return _pinned.get()


def unpin() -> None:
    """Forget earlier writes in this context (a new request starts unpinned)."""
    _pinned.set(False)
    _wrote.set(False)


def _in_transaction() -> bool:
    """Inside transaction.atomic() on the primary; the test runner's own wrapping transactions
    (which Django marks) do not count, or tests could never read from a replica."""
    blocks = connections[DEFAULT_DB_ALIAS].atomic_blocks
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if not replicas or _pinned.get() or _in_transaction():
            return DEFAULT_DB_ALIAS
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        _pinned.set(True)
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # replicas follow the primary's schema by replication


class ReadYourWritesMiddleware:
    """Starts each request pinned to the primary when it carries a session cookie or the pin
    cookie, and sets the pin cookie (for DATABASE_PIN_SECONDS) on a response to a request
    that wrote. Place it before PageCacheMiddleware and SessionMiddleware."""

    def __init__(self, get_response):
        if ROUTER not in settings.DATABASE_ROUTERS:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        fresh = PIN_COOKIE in request.COOKIES or settings.SESSION_COOKIE_NAME in request.COOKIES
        pinned, wrote = _pinned.set(fresh), _wrote.set(False)
        try:
            response = self.get_response(request)
            if _wrote.get():
                response.set_cookie(
                    PIN_COOKIE,
                    "1",
                    max_age=settings.DATABASE_PIN_SECONDS,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
            return response
        finally:
            _pinned.reset(pinned)
            _wrote.reset(wrote)
