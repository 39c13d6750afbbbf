"""A database that is down or too slow: readers get a 503 page in their language, never a trace.

The outage is simulated in-process by making every SQL statement fail the way psycopg2 fails
when the server is gone (tests/plumbing/test_faults_postgres.py stops a real server)."""

import datetime
import logging
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from tests.factories import make_article, make_section

ROOT = Path(settings.BASE_DIR)
ARABIC_TITLE = "الموقع غير متاح لبرهة"


@contextmanager
def database_down():
    def refuse(execute, sql, params, many, context):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def reader():
    # Django's test client re-raises view exceptions by default; a reader sees the response.
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_pages_answer_an_arabic_503_with_retry_after_when_the_database_is_down(reader):
    article = make_article("وزير الخارجية يزور القاهرة", section=make_section())
    with database_down():
        for path in ("/", article.get_absolute_url(), f"/section/{article.section.slug}/"):
            response = reader.get(path)
            assert response.status_code == 503, path
            page = response.content.decode()
            assert ARABIC_TITLE in page
            assert 'lang="ar" dir="rtl"' in page
            assert "Traceback" not in page and "OperationalError" not in page
            assert response["Retry-After"] == str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER)
            assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_english_pages_answer_the_503_in_english(reader):
    with database_down():
        response = reader.get("/en/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "The site is briefly unavailable" in page
    assert 'lang="en" dir="ltr"' in page


@pytest.mark.django_db
def test_a_failure_inside_middleware_is_a_503_too(reader, monkeypatch):
    # With no cache generation yet (every test starts with empty caches: conftest's
    # `_fresh_cache`), PageCacheMiddleware itself queries (when does the next scheduled article
    # go live?) before any view runs: that query fails here.
    from django.utils.module_loading import import_string

    asked = []
    # The page cache asks the function its PAGE_CACHE_NEXT_CHANGE setting names.
    original = import_string(settings.PAGE_CACHE_NEXT_CHANGE)
    monkeypatch.setattr(settings.PAGE_CACHE_NEXT_CHANGE, lambda: asked.append(1) or original())
    with database_down():
        response = reader.get("/section/none/")
    assert asked
    assert response.status_code == 503
    assert ARABIC_TITLE in response.content.decode()


@pytest.mark.django_db
def test_the_desk_answers_503_too(reader, editor):
    reader.force_login(editor)
    with database_down():
        assert reader.get("/admin/").status_code == 503
        assert reader.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 503


@pytest.mark.django_db
def test_the_outage_is_logged_once_per_request(reader, caplog):
    with database_down(), caplog.at_level(logging.ERROR):
        reader.get("/")
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].getMessage() == "Service Unavailable: /"
    assert errors[0].exc_info[0] is OperationalError


@pytest.mark.django_db
def test_a_cached_page_is_still_served_while_the_database_is_down(reader):
    make_article("خبر محفوظ في ذاكرة الصفحات")
    assert reader.get("/").status_code == 200
    with database_down():
        response = reader.get("/")
        assert response.status_code == 200
        assert "خبر محفوظ في ذاكرة الصفحات" in response.content.decode()
        assert reader.get("/en/").status_code == 503


@pytest.mark.django_db
def test_healthz_says_503_when_the_database_is_down(reader):
    healthy = reader.get("/healthz")
    assert healthy.status_code == 200
    assert "no-cache" in healthy["Cache-Control"]  # a proxy must never answer for it
    with database_down():
        response = reader.get("/healthz")
    assert response.status_code == 503


@pytest.mark.django_db
def test_other_errors_are_still_the_500_page(reader, monkeypatch):
    from articles.site import views

    def broken(*args, **kwargs):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(views, "nav_sections", broken)
    response = reader.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def _show_timeouts(*, web: bool) -> str:
    """statement_timeout and lock_timeout as a fresh process of the given kind sees them."""
    env = dict(os.environ, DB_STATEMENT_TIMEOUT_MS="1234", DB_LOCK_TIMEOUT_MS="567")
    env.setdefault("SECRET_KEY", "tests-only-not-a-secret")
    env.pop("NEWSROOM_WEB_PROCESS", None)
    show = (
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('SHOW statement_timeout'); s = cursor.fetchone()[0]\n"
        "    cursor.execute('SHOW lock_timeout'); l = cursor.fetchone()[0]\n"
        "print(s, l)\n"
    )
    if web:
        command = [sys.executable, "-c", "import newsroom.wsgi\n" + show]
    else:
        command = [sys.executable, "manage.py", "shell", "-c", show]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_web_processes_get_statement_and_lock_timeouts_and_commands_do_not():
    assert _show_timeouts(web=True) == "1234ms 567ms"
    # Management commands (migrate, make_corpus, rebuild_search_index, bench, backup...) may
    # legitimately run statements for minutes.
    assert _show_timeouts(web=False) == "0 0"


def test_connect_timeout_is_set_for_every_process():
    assert (
        settings.DATABASES["default"]["OPTIONS"]["connect_timeout"] == settings.DB_CONNECT_TIMEOUT
    )


@pytest.mark.django_db(transaction=True)
def test_a_statement_cancelled_by_the_statement_timeout_is_a_503(reader, caplog):

    ContentType.objects.clear_cache()  # rows are committed here; see test_backup_restore.py
    article = make_article("خبر تحت القفل")
    db = connection.settings_dict
    options = db.get("OPTIONS") or {}
    locker = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or options.get("host"),
        port=db["PORT"] or options.get("port"),
    )
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 300")
    try:
        with locker.cursor() as cursor:
            cursor.execute("LOCK TABLE articles_article IN ACCESS EXCLUSIVE MODE")
        with caplog.at_level(logging.ERROR):
            response = reader.get(article.get_absolute_url())
        assert response.status_code == 503
        assert ARABIC_TITLE in response.content.decode()
        assert "statement timeout" in str(caplog.records[-1].exc_info[1])
    finally:
        locker.rollback()
        locker.close()
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
    assert reader.get(article.get_absolute_url()).status_code == 200


# --- An outage across a scheduled go-live, and with the state key lost ------------------------


@pytest.mark.django_db
def test_cached_pages_are_still_served_after_a_scheduled_go_live_during_an_outage(
    reader, monkeypatch
):
    import time

    from newsroom import page_cache

    make_article("خبر قائم في الذاكرة")
    make_article("خبر مجدول", published_at=timezone.now() + datetime.timedelta(seconds=30))
    for path in ("/", "/feeds/latest/", "/robots.txt"):
        assert reader.get(path).status_code == 200
    later = time.time() + 60  # the scheduled article's time has come...
    monkeypatch.setattr(page_cache.time, "time", lambda: later)
    with database_down():  # ...while the database is down
        for path in ("/", "/feeds/latest/", "/robots.txt"):
            response = reader.get(path)
            assert response.status_code == 200, path
        assert "خبر قائم في الذاكرة" in reader.get("/").content.decode()
        assert reader.get("/admin/login/").status_code == 200


@pytest.mark.django_db
def test_cached_pages_are_still_served_when_the_state_key_is_lost_during_an_outage(reader):
    from django.core.cache import cache

    from newsroom import page_cache

    make_article("خبر قائم في الذاكرة")
    assert reader.get("/").status_code == 200
    with database_down():
        cache.delete(page_cache.STATE_KEY)  # evicted, or a cache node replaced
        page_cache.forget_local_state()
        response = reader.get("/")
        assert response.status_code == 200
        assert "خبر قائم في الذاكرة" in response.content.decode()
        assert reader.get("/en/").status_code == 503  # never cached: nothing to serve


@pytest.mark.django_db
def test_a_page_whose_cache_entry_expired_is_served_from_its_last_copy(reader, settings):
    from django.core.cache import cache

    from newsroom import page_cache

    make_article("خبر قائم في الذاكرة")
    assert reader.get("/").status_code == 200
    page_cache.invalidate_pages()  # an edit retired the page; the database then went down
    with database_down():
        response = reader.get("/")
    assert response.status_code == 200
    assert "خبر قائم في الذاكرة" in response.content.decode()
    cache.clear()
    with database_down():
        assert reader.get("/").status_code == 503
