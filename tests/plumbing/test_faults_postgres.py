"""The database goes away under a running site, and comes back: a real PostgreSQL server of
the test's own is stopped (`pg_ctl stop -m immediate`, as a crash would) and started again under
a real gunicorn, and a table is locked to make pages slow. Slow (half a minute): marked
`integration`, and it runs in `make test` and CI."""

import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

from newsroom.dev.local_servers import answers, free_port
from tests.plumbing.throwaway_postgres import ThrowawayPostgres

pytestmark = pytest.mark.integration

ROOT = Path(settings.BASE_DIR)
ARABIC_503 = "الموقع غير متاح لبرهة"
# A hung page fails the test instead of hanging it.
CLIENT_TIMEOUT = 8
TIMEOUTS = {
    "DB_CONNECT_TIMEOUT": "2",
    "DB_STATEMENT_TIMEOUT_MS": "2000",
    "DB_LOCK_TIMEOUT_MS": "1000",
}

CONTENT = """
import json
from tests.factories import make_article, make_section
section = make_section("اقتصاد", slug="economy")
articles = [
    make_article(title, section=section, tags=["نفط"], title_en=f"Story {n}")
    for n, title in enumerate(["أسعار النفط ترتفع", "البنك المركزي يثبت الفائدة", "الصادرات تنمو"])
]
print(json.dumps([a.get_absolute_url() for a in articles]))
"""


def fetch(url: str):
    """(status, headers, text, seconds) as a reader's browser would get them."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=CLIENT_TIMEOUT) as response:
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    return status, headers, body.decode(), time.monotonic() - started


@pytest.fixture(scope="module")
def site():
    folder = Path(tempfile.mkdtemp(prefix="newsroom-faults-"))
    postgres = ThrowawayPostgres(folder)
    postgres.init()
    postgres.start()
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CACHE_URL", "REDIS_URL", "NEWSROOM_WEB_PROCESS")
    }
    env.update(
        TIMEOUTS,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DATABASE_URL=postgres.url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        MEDIA_ROOT=str(folder / "media"),
    )
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, timeout=300)
    made = subprocess.run(
        [*manage, "shell", "-c", CONTENT],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    urls = [urllib.parse.quote(url) for url in json.loads(made.stdout.strip().splitlines()[-1])]
    log = open(folder / "gunicorn.log", "wb")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "newsroom/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    assert answers(f"{base}/healthz", server), (folder / "gunicorn.log").read_text()
    try:
        yield {"base": base, "urls": urls, "postgres": postgres, "server": server}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
        postgres.stop("immediate")
        subprocess.run(["rm", "-rf", str(folder)], check=False)


def assert_arabic_503(status, headers, text, seconds, url):
    assert status == 503, url
    assert ARABIC_503 in text, url
    assert 'lang="ar" dir="rtl"' in text
    assert "Traceback" not in text
    assert headers["Retry-After"] == "30"
    assert seconds < CLIENT_TIMEOUT - 2, f"{url} took {seconds:.1f} s"


def test_pages_answer_503_while_postgres_is_down_and_200_once_it_is_back(site):
    base, (first, second, _third) = site["base"], site["urls"]
    home, article, listing = f"{base}/", base + second, f"{base}/section/economy/"
    english, search = f"{base}/en/", f"{base}/search/?q=" + urllib.parse.quote("النفط")
    assert fetch(home)[0] == 200  # now in the page cache
    assert fetch(base + first)[0] == 200

    site["postgres"].stop("immediate")
    for url in (article, listing, search):
        assert_arabic_503(*fetch(url), url)
    status, headers, text, seconds = fetch(english)
    assert (status, seconds < CLIENT_TIMEOUT - 2) == (503, True)
    assert "The site is briefly unavailable" in text
    assert headers["Retry-After"] == "30"
    assert fetch(f"{base}/healthz")[0] == 503
    # Pages already in the page cache are still served while the database is down.
    status, _, text, _ = fetch(home)
    assert status == 200 and "أسعار النفط ترتفع" in text

    site["postgres"].start()
    # The same web process reconnects by itself.
    for url in (article, listing, search, english, f"{base}/healthz"):
        assert fetch(url)[0] == 200, url
    assert site["server"].poll() is None


def test_a_locked_table_answers_503_within_the_lock_timeout_and_200_once_released(site):
    base, third = site["base"], site["base"] + site["urls"][2]
    locker = psycopg2.connect(site["postgres"].url)
    try:
        with locker.cursor() as cursor:
            cursor.execute("LOCK TABLE articles_article IN ACCESS EXCLUSIVE MODE")
        status, headers, text, seconds = fetch(third)
        assert_arabic_503(status, headers, text, seconds, third)
        assert seconds >= 0.9  # it did wait for the lock, for DB_LOCK_TIMEOUT_MS
        assert fetch(f"{base}/healthz")[0] == 200  # the database itself answers
    finally:
        locker.rollback()
        locker.close()
    status, _, text, _ = fetch(third)
    assert status == 200 and "الصادرات تنمو" in text
