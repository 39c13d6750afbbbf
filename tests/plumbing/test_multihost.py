"""Several app servers behind one site: sessions and the page cache work across them.

Two real gunicorn servers (`newsroom/gunicorn.conf.py`, production settings, one worker each:
two "hosts") run against the test database and one Redis (REDIS_URL). The test process writes
to the same database and Redis like a third host. Skipped, with the reason, only when no Redis
answers on 127.0.0.1:6379 (a fresh machine running `make test`; CI has one).
"""

import http.cookies
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

from articles.models import Article
from newsroom.dev.local_servers import answers, free_port
from tests.factories import make_article

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/14"
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)

# Production settings, except that static files need no collectstatic run.
SERVER_SETTINGS = """
from newsroom.settings import *  # noqa: F403
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
"""


def redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def database_url_for_tests() -> str:
    """The site's DATABASE_URL (a server's or the embedded one's), naming the test database."""
    from django.conf import settings

    parts = urllib.parse.urlsplit(settings.DATABASE_URL)
    return parts._replace(path="/" + connection.settings_dict["NAME"]).geturl()


def get(url, cookies=None, data=None):
    """(status, headers, body) of one request, without following redirects."""
    request = urllib.request.Request(url, data=data)
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def cookies_from(headers) -> dict:
    jar = http.cookies.SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


@pytest.fixture(scope="module")
def redis_prefix():
    if not redis_answers():
        pytest.skip(f"no Redis at {REDIS_HOST}:{REDIS_PORT}: the multi-host tests need one")
    prefix = f"multihost-{uuid.uuid4().hex[:8]}"
    yield prefix
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(scope="module")
def hosts(redis_prefix, django_db_setup, django_db_blocker, tmp_path_factory):
    """Two gunicorn servers ("hosts") on the test database and one Redis."""
    folder = tmp_path_factory.mktemp("multihost")
    (folder / "multihost_settings.py").write_text(SERVER_SETTINGS)
    with django_db_blocker.unblock():
        url = database_url_for_tests()
    ports = [free_port(), free_port()]
    servers = []
    for number, port in enumerate(ports):
        environment = {
            **os.environ,
            "PYTHONPATH": f"{folder}{os.pathsep}{ROOT}",
            "DJANGO_SETTINGS_MODULE": "multihost_settings",
            "DATABASE_URL": url,
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": redis_prefix,
            "SECRET_KEY": "multihost-tests-only",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "MEDIA_ROOT": str(folder / "media"),
            "PAGE_CACHE_STATE_SECONDS": "1",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "DEBUG": "",
        }
        servers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-c",
                    "newsroom/gunicorn.conf.py",
                    "--no-control-socket",
                ],
                cwd=ROOT,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=(folder / f"host{number}.log").open("w"),
            )
        )
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url, server in zip(urls, servers, strict=True):
            if not answers(url + "/healthz", server, timeout=30):
                logs = "".join(log.read_text()[-2000:] for log in folder.glob("*.log"))
                pytest.fail(f"gunicorn did not start at {url}:\n{logs}")
        yield urls
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


@pytest.fixture
def shared_cache(settings, redis_prefix):
    """This test process uses the hosts' Redis too, so its edits invalidate their pages."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": redis_prefix,
        }
    }


def wait_for(predicate, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_page_cached_by_one_host_is_served_by_the_other(hosts, shared_cache):
    first, second = hosts
    article = make_article("قمة إقليمية في القاهرة")
    path = article.get_absolute_url()
    status, headers, body = get(first + path)
    assert status == 200 and "قمة إقليمية في القاهرة" in body

    # Changed behind the signals' back: only a page cached by the first host keeps the old text.
    Article.objects.filter(pk=article.pk).update(title_ar="عنوان لم يعلن عنه")
    status, second_headers, body = get(second + path)
    assert "قمة إقليمية في القاهرة" in body
    assert second_headers["ETag"] == headers["ETag"]


def test_an_edit_in_one_process_reaches_every_host(hosts, shared_cache):
    article = make_article("قبل التعديل")
    path = article.get_absolute_url()
    for host in hosts:
        assert "قبل التعديل" in get(host + path)[2]

    article.title_ar = "بعد التعديل"
    article.save()  # the desk's save path: signals retire every cached page

    for host in hosts:
        # Each host re-reads the generation within PAGE_CACHE_STATE_SECONDS (1 s).
        assert wait_for(lambda host=host: "بعد التعديل" in get(host + path)[2]), host
        assert "بعد التعديل" in get(host + "/")[2]


def test_a_session_opened_on_one_host_is_valid_on_the_other(hosts, shared_cache, django_user_model):
    first, second = hosts
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    user = django_user_model.objects.create_superuser("rania")
    # Hashed as production hashes it (the test settings use a fast hasher the hosts lack).
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode("pass-for-tests-1", hasher.salt())
    user.save()

    status, headers, page = get(first + "/admin/login/")
    cookies = cookies_from(headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"username": "rania", "password": "pass-for-tests-1", "csrfmiddlewaretoken": token}
    status, headers, _ = get(
        first + "/admin/login/", cookies, urllib.parse.urlencode(form).encode()
    )
    assert status == 302
    cookies |= cookies_from(headers)
    assert "sessionid" in cookies

    status, headers, desk = get(second + "/admin/", cookies)
    assert status == 200 and "rania" in desk
    assert "private" in headers["Cache-Control"]

    # Logging out on the second host ends the session on the first as well.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', desk).group(1)
    logout = urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode()
    assert get(second + "/admin/logout/", cookies, logout)[0] == 200
    status, headers, _ = get(first + "/admin/", cookies)
    assert status == 302 and "/admin/login/" in headers["Location"]
