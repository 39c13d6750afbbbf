"""Reads from a replica, writes and fresh reads from the primary (newsroom/db_router.py).

Two real database aliases: `default` and `replica_1`, each with its own test database (not a
mirror), so a row that exists in only one of them tells which database answered a read. In
production the replica holds the primary's data a moment late; here a section that exists only
in the replica stands for "what the replica serves", one that exists only in the primary for
"a write the replica has not replayed yet".
"""

import pytest
from django.db import transaction
from django.test import Client

from articles.models import Section
from newsroom import db_router
from tests.settings_process import settings_under

pytestmark = pytest.mark.django_db(databases=["default", "replica_1"])


@pytest.fixture(autouse=True)
def routed(settings):
    settings.DATABASE_ROUTERS = [db_router.ROUTER]
    settings.DATABASE_PIN_SECONDS = 7
    db_router.unpin()
    yield
    db_router.unpin()


@pytest.fixture
def sections():
    """A section only the primary has (just written) and one only the replica has."""
    Section.objects.using("default").create(name="على الأساسي فقط", slug="primary-only")
    Section.objects.using("replica_1").create(name="في النسخة فقط", slug="replica-only")
    db_router.unpin()  # the test's own writes above must not pin what follows


def test_readers_are_served_by_the_replica(client, sections):
    assert client.get("/section/replica-only/").status_code == 200
    assert client.get("/section/primary-only/").status_code == 404


def test_a_readers_page_sets_no_pin_and_stays_shareable(client, sections):
    response = client.get("/section/replica-only/")

    assert db_router.PIN_COOKIE not in response.cookies
    assert response["Cache-Control"].startswith("public")


def test_reads_after_a_write_go_to_the_primary(sections):
    assert Section.objects.filter(slug="replica-only").exists()

    Section.objects.create(name="قسم جديد", slug="new-section")

    assert db_router.pinned_to_primary()
    assert Section.objects.filter(slug="new-section").exists()
    assert not Section.objects.filter(slug="replica-only").exists()


def test_reads_inside_a_transaction_go_to_the_primary(sections):
    with transaction.atomic():
        assert Section.objects.filter(slug="primary-only").exists()
    assert Section.objects.filter(slug="replica-only").exists()


def test_the_desk_reads_from_the_primary(editor_client, sections):
    """A logged-in editor's session exists only on the primary, and so does the fresh data."""
    changelist = editor_client.get("/admin/articles/section/")
    assert changelist.status_code == 200
    assert "على الأساسي فقط" in changelist.content.decode()
    assert "في النسخة فقط" not in changelist.content.decode()
    assert editor_client.get("/section/primary-only/").status_code == 200


def test_the_page_after_a_post_reads_what_was_just_saved(editor_client, sections):
    saved = editor_client.post(
        "/admin/articles/section/add/",
        {"name_ar": "قسم الاقتصاد", "name_en": "Economy", "slug": "economy", "position": 3},
    )
    assert saved.status_code == 302
    pin = saved.cookies[db_router.PIN_COOKIE]
    assert int(pin["max-age"]) == 7 and pin["httponly"]
    assert "private" in saved["Cache-Control"]

    # The browser that wrote carries the pin cookie for the next few seconds; even without its
    # session (say, it just logged out) its reads come from the primary.
    pinned_browser = Client()
    pinned_browser.cookies[db_router.PIN_COOKIE] = pin.value
    after = pinned_browser.get("/section/economy/")
    assert after.status_code == 200
    assert "قسم الاقتصاد" in after.content.decode()
    assert after["Cache-Control"] == "private, no-store"  # a CDN must not keep it

    # Other readers are served by the replica, which has not replayed the write yet.
    assert Client().get("/section/economy/").status_code == 404


def test_logging_out_pins_the_browser_to_the_primary(editor_client, sections):
    response = editor_client.post("/admin/logout/")

    assert response.status_code == 200
    assert db_router.PIN_COOKIE in response.cookies


def test_migrations_run_on_the_primary_only():
    router = db_router.PrimaryReplicaRouter()
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica_1", "articles")


def test_replica_urls_become_mirrored_aliases_and_install_the_router():
    configured = settings_under(
        {
            "DATABASE_URL": "postgres://news@primary.example:5432/news",
            "DATABASE_REPLICA_URLS": "postgres://news@r1.example/news, postgres://news@r2.example/news",
            "SECRET_KEY": "x",
        },
        "{a: [d['HOST'], d['TEST'].get('MIRROR')] for a, d in settings.DATABASES.items()}"
        " | {'routers': settings.DATABASE_ROUTERS, 'middleware': settings.MIDDLEWARE}",
    )

    assert configured["default"][0] == "primary.example"
    assert configured["replica_1"] == ["r1.example", "default"]
    assert configured["replica_2"] == ["r2.example", "default"]
    assert configured["routers"] == [db_router.ROUTER]
    assert "newsroom.db_router.ReadYourWritesMiddleware" in configured["middleware"]


def test_without_replicas_nothing_is_routed_and_no_cookie_is_set(settings, sections, editor_client):
    settings.DATABASE_ROUTERS = []

    assert Client().get("/section/primary-only/").status_code == 200
    assert Client().get("/section/replica-only/").status_code == 404
    saved = editor_client.post(
        "/admin/articles/section/add/",
        {"name_ar": "قسم", "name_en": "Section", "slug": "plain", "position": 1},
    )
    assert saved.status_code == 302
    assert db_router.PIN_COOKIE not in saved.cookies


def test_pages_rendered_just_after_an_edit_are_kept_only_until_replicas_catch_up(client, sections):
    """A replica may not have replayed an edit yet when a reader's page is rendered right after
    it: such a page is cached only until DATABASE_PIN_SECONDS after the edit."""
    import time

    from django.test import RequestFactory

    from newsroom import page_cache as caching

    def stored_until(path):
        client.get(path)
        key = caching.page_key(RequestFactory().get(path), caching.current_state()["generation"])
        return caching.cache.get(key)[-1]

    caching.invalidate_pages()  # what every edit does
    edited_at = caching.current_state()["generation"] / 1e9
    assert stored_until("/section/replica-only/") <= edited_at + 7 + 1

    # A generation that began long ago: pages keep the usual PAGE_CACHE_SECONDS.
    long_ago = time.time_ns() - 3600 * 10**9
    caching.cache.set(caching.STATE_KEY, {"generation": long_ago, "next_live": None}, None)
    assert stored_until("/") >= time.time() + caching.page_cache_seconds() - 5
