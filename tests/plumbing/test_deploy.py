"""The reference deployment in deploy/: what can be checked without Docker or a server.

The compose file is parsed and checked against the settings the app really reads; nginx's
configuration is checked with `nginx -t` when nginx is installed (skipped otherwise), and
against the app's cookie names and upload limits in any case.
"""

import os
import re
import shutil
import ssl
import subprocess
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from articles.media import images
from newsroom import db_router
from newsroom.dev.local_servers import free_port
from tests.factories import make_article

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def settings_source() -> str:
    return (ROOT / "newsroom" / "settings.py").read_text() + (
        ROOT / "newsroom" / "gunicorn.conf.py"
    ).read_text()


def test_compose_runs_postgres_redis_and_the_app_with_health_checks(compose):
    services = compose["services"]
    assert re.fullmatch(r"postgres:(15|18)(\..*)?", services["postgres"]["image"])
    assert re.fullmatch(r"redis:7(\..*)?", services["redis"]["image"])
    for name in ("postgres", "redis", "app"):
        assert services[name]["healthcheck"]["test"], name
    assert any("/healthz" in part for part in services["app"]["healthcheck"]["test"])
    # Built from the repository root (compose paths are relative to deploy/).
    assert services["app"]["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}


def test_the_app_starts_after_a_healthy_database_and_cache_and_one_migration(compose):
    services = compose["services"]
    depends = services["app"]["depends_on"]
    assert depends["postgres"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    assert services["migrate"]["restart"] == "no"


def test_the_app_is_configured_through_settings_it_really_reads(compose):
    environment = compose["services"]["app"]["environment"]
    source = settings_source()
    for name in environment:
        assert f'"{name}"' in source, f"{name} is not read by newsroom/settings.py"
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    # Required secrets fail loudly instead of starting with an empty value.
    assert ":?" in environment["SECRET_KEY"]
    # The container's health check asks for 127.0.0.1, which must be an allowed host.
    assert environment["ALLOWED_HOSTS"].endswith(",127.0.0.1")
    assert compose["services"]["migrate"]["environment"] == environment


def test_the_image_runs_gunicorn_as_a_non_root_user_with_collected_static_files():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert "collectstatic --noinput" in dockerfile
    assert "newsroom/gunicorn.conf.py" in dockerfile
    assert "/healthz" in dockerfile
    for copied in re.findall(r"^COPY (\S+) ", dockerfile, re.MULTILINE):
        assert (ROOT / copied).exists(), copied


def test_systemd_unit_runs_the_projects_gunicorn_settings():
    unit = (DEPLOY / "newsroom.service").read_text()
    assert re.search(r"^ExecStart=\S+/gunicorn -c newsroom/gunicorn\.conf\.py$", unit, re.M)
    assert re.search(r"^User=newsroom$", unit, re.M)
    assert re.search(r"^EnvironmentFile=", unit, re.M)


def nginx_config() -> str:
    return (DEPLOY / "nginx.conf").read_text()


def test_nginx_bypasses_its_cache_for_editors_and_fresh_writers():
    config = nginx_config()
    bypass = re.search(r"proxy_cache_bypass ([^;]+);", config).group(1).split()
    no_cache = re.search(r"proxy_no_cache ([^;]+);", config).group(1).split()
    for cookie in (settings.SESSION_COOKIE_NAME, db_router.PIN_COOKIE):
        assert f"$cookie_{cookie}" in bypass and f"$cookie_{cookie}" in no_cache


def test_nginx_passes_the_scheme_django_trusts_and_accepts_the_largest_upload():
    config = nginx_config()
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in config
    limit = re.search(r"client_max_body_size (\d+)m;", config).group(1)
    assert int(limit) * 1024 * 1024 > images.MAX_BYTES
    media = config[config.index("location /media/") :]
    assert "default_type application/octet-stream;" in media
    assert 'X-Content-Type-Options "nosniff"' in media
    assert 'Content-Security-Policy "sandbox' in media


def nginx_binaries():
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    openssl = shutil.which("openssl")
    if not nginx or not openssl:
        pytest.skip(
            "nginx (and openssl) are not installed: apt-get install nginx (.ci/run does it)"
        )
    return nginx, openssl


def nginx_prefix(folder: Path, openssl: str, *, upstream="127.0.0.1:8000") -> tuple[int, Path]:
    """deploy/nginx.conf made runnable in `folder`: a self-signed certificate, the cache and
    temporary files inside the folder, HTTPS on a free port. Returns (port, main config)."""
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=news.example.org", "-keyout", folder / "key.pem", "-out", folder / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    port = free_port()
    site = (
        nginx_config()
        .replace("/etc/letsencrypt/live/news.example.org/fullchain.pem", str(folder / "cert.pem"))
        .replace("/etc/letsencrypt/live/news.example.org/privkey.pem", str(folder / "key.pem"))
        .replace("/var/cache/nginx/newsroom", str(folder / "cache"))
        .replace("server 127.0.0.1:8000", f"server {upstream}")
        .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl;")
        .replace("listen 80;", f"listen 127.0.0.1:{free_port()};")
    )
    site = "\n".join(line for line in site.splitlines() if "listen [::]" not in line)
    (folder / "site.conf").write_text(site)
    mime_types = next(
        (p for p in ("/etc/nginx/mime.types", "/usr/share/nginx/mime.types") if Path(p).exists()),
        None,
    )
    main = folder / "nginx.conf"
    main.write_text(
        # Root's workers would run as nobody, who cannot read the test's private folders.
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
        f"http {{\n{f'include {mime_types};' if mime_types else ''}\n"
        f"access_log off;\nclient_body_temp_path {folder}/body;\n"
        f"proxy_temp_path {folder}/proxy;\ninclude {folder}/site.conf;\n}}\n"
    )
    return port, main


def test_nginx_accepts_the_configuration(tmp_path):
    nginx, openssl = nginx_binaries()
    _port, main = nginx_prefix(tmp_path, openssl)
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(main)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db(transaction=True)
def test_nginx_keeps_readers_pages_and_passes_editors_through(tmp_path, live_server, settings):
    """nginx's page cache in front of the app: a reader's page is served from nginx's cache
    (s-maxage), an editor's request and a just-written browser's always reach the app."""
    nginx, openssl = nginx_binaries()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "news.example.org"]
    port, main = nginx_prefix(tmp_path, openssl, upstream=live_server.url.split("//")[1])
    subprocess.run([nginx, "-p", str(tmp_path), "-c", str(main)], check=True)
    context = ssl.create_default_context(cafile=tmp_path / "cert.pem")
    context.check_hostname = False

    def fetch(path, cookie=None):
        request = urllib.request.Request(f"https://127.0.0.1:{port}{path}")
        request.add_header("Host", "news.example.org")
        if cookie:
            request.add_header("Cookie", cookie)
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            return response.headers, response.read().decode()

    try:
        article = make_article("خبر عبر الوكيل")
        path = article.get_absolute_url()
        first, _ = fetch(path)
        second, body = fetch(path)
        assert first["X-Cache-Status"] == "MISS" and second["X-Cache-Status"] == "HIT"
        assert "خبر عبر الوكيل" in body

        for cookie in ("sessionid=someone", "newsroom_primary=1"):
            headers, _ = fetch(path, cookie)
            assert headers["X-Cache-Status"] == "BYPASS", cookie
            assert headers["Cache-Control"] == "private, no-store", cookie
    finally:
        subprocess.run([nginx, "-p", str(tmp_path), "-c", str(main), "-s", "stop"], check=False)
