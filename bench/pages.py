"""Pages: throughput under gunicorn with wrk, and how home and listing pages grow.

Throughput (one gunicorn started with newsroom/gunicorn.conf.py on the bench database, DEBUG
off, the page cache on Redis when REDIS_URL/CACHE_URL is set, else per-process memory), each
run `wrk -t1 -c<BENCH_WRK_CONNECTIONS> -d<BENCH_HTTP_SECONDS>s` (8 connections, 5 s), the
sequence repeated BENCH_HTTP_ROUNDS (3) times and each page's best round kept:
  hello_rps            a bare Django view on the same server and middleware (/bench/hello/)
  article_rps          uncached article pages: every request asks for a different article,
                       so each one misses the page cache and renders in full
  article_cached_rps   one article page, again and again (served from the page cache)
  home_rps             the home page as readers get it (cached)
  home_uncached_rps    the home page rendered every time (a bench-only header bypasses the cache)
  api_article_rps      the content API's article (/api/v1/articles/<id>/, JSON): every request
                       asks for a different article (the API is never page-cached)
  api_list_rps         the content API's first page of articles (/api/v1/articles/, 20 cards)
  live_poll_rps        a live coverage's poll endpoint (/live/<id>/poll/, 50 entries) asked
                       with the ETag of its current answer, as readers' pages revalidate:
                       answered 304 from the page cache
  beacon_rps           read beacons (POST /read/<id>/) as browsers send them: every request a
                       different reader (user agent) and one of 2,000 articles, so each one is
                       counted (the once-per-hour check and the count). Counted in Redis when
                       REDIS_URL/CACHE_URL is set or a Redis answers on 127.0.0.1:6379 (its db
                       14, under a prefix of the run's own, removed afterwards), else in the
                       database buffer; `beacon_store` says which
and the ratios to hello_rps of the same run (`beacon_hello_ratio` for the beacon; live_poll_cached_ratio,
live_poll_rps over article_cached_rps: polling should cost no more than a cached article page). `*_errors` counts socket errors and non-2xx/3xx
answers.

Growth: the home page and the first page of the largest section's and the most common tag's
listings, rendered in-process with the page cache off (median of 15 after 5 warm-ups), on the
bench database and on a 10,000-article bench database, alternating three times and keeping the
best median of each; `home_growth_x` and `listing_growth_x` are the ratios.
"""

import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.models import Count
from django.test import RequestFactory, override_settings
from django.utils import translation

from articles.models import Article, Section, TagWeight
from articles.site import views
from bench import bench_database, database_url, log, switch_database, timed
from bench.live import ensure_live_coverage
from newsroom.dev.local_servers import answers, free_port

BASE_ARTICLES = 10_000
GROWTH_ROUNDS = 3
SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", 5))
ROUNDS = int(os.environ.get("BENCH_HTTP_ROUNDS", 3))
CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", 8))
ROOT = Path(settings.BASE_DIR)

BEACON_SCRIPT = """
local ids = {}
for line in io.lines("%s") do ids[#ids + 1] = line end
local run, i = os.time(), 0
request = function()
  i = i + 1
  local agent = "Mozilla/5.0 (X11; Linux x86_64) BenchReader/" .. run .. "." .. i
  return wrk.format("POST", "/read/" .. ids[(i - 1) %% #ids + 1] .. "/", {["User-Agent"] = agent})
end
"""

WRK_SCRIPT = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i - 1) %% #paths + 1])
end
"""


def _server_env(port: int) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(settings.DATABASES["default"]["NAME"]),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        # wrk is one address: the API's per-address rate limit would answer 429 to nearly all,
        # and the beacon's would leave all but a few uncounted.
        API_RATE_ANONYMOUS="1000000/s",
        READERSHIP_RATE_PER_MINUTE="1000000000",
        READERSHIP_KEY_PREFIX=f"newsroom-bench-{os.getpid()}:reads",
        DJANGO_SETTINGS_MODULE="bench.settings",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_LOG_LEVEL="warning",
        GUNICORN_ACCESS_LOG="",
        CACHE_KEY_PREFIX=f"newsroom-bench-{os.getpid()}",
    )
    env.setdefault("WEB_CONCURRENCY", str(os.cpu_count() or 2))
    redis_url = _readership_redis()
    if redis_url:
        env["READERSHIP_REDIS_URL"] = redis_url
    return env


def _readership_redis() -> str | None:
    """Where the bench's server counts beacons: the configured Redis, else a local one."""
    import socket

    url = os.environ.get("READERSHIP_REDIS_URL") or os.environ.get("CACHE_URL")
    url = url or os.environ.get("REDIS_URL")
    if url:
        return url if url.startswith(("redis://", "rediss://", "unix://")) else None
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return None
    return "redis://127.0.0.1:6379/14"


def _forget_bench_reads(env: dict) -> None:
    """The bench's counts: out of Redis, and out of the buffer table of the bench database."""
    from articles.readership.models import PendingRead

    PendingRead.objects.all().delete()
    if env.get("READERSHIP_REDIS_URL"):
        import redis

        client = redis.Redis.from_url(env["READERSHIP_REDIS_URL"])
        keys = list(client.scan_iter(match=f"{env['READERSHIP_KEY_PREFIX']}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])


def _wrk(url: str, script: str | None = None, headers=()) -> tuple[float, int]:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s"]
    if script:
        command += ["-s", script]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return rps, errors


def _paths_file(folder: str, name: str, paths) -> str:
    path_file = Path(folder) / f"{name}.txt"
    path_file.write_text("\n".join(paths) + "\n")
    script = Path(folder) / f"{name}.lua"
    script.write_text(WRK_SCRIPT % path_file)
    return str(script)


def throughput(report) -> None:
    if not shutil.which("wrk"):
        log("# wrk not found (apt-get install wrk): throughput skipped")
        return
    port = free_port()
    env = _server_env(port)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    live_article = ensure_live_coverage()
    public = Article.objects.published().order_by("?")
    articles = list(public.values_list("pk", "slug")[:50_000])
    paths = [f"/news/{pk}/{slug}/" for pk, slug in articles]
    quoted = [urllib.parse.quote(path) for path in paths]
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "newsroom/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        if not answers(f"{base}/healthz", server):
            raise RuntimeError("the bench's gunicorn did not start: see its output above")
        with tempfile.TemporaryDirectory() as folder:
            uncached_article = _paths_file(folder, "articles", quoted[1:])
            api_article = _paths_file(
                folder, "api", [f"/api/v1/articles/{pk}/" for pk, _ in articles]
            )
            ids_file = Path(folder) / "beacon-ids.txt"
            ids_file.write_text("\n".join(str(pk) for pk, _ in articles[:2000]) + "\n")
            beacon = Path(folder) / "beacon.lua"
            beacon.write_text(BEACON_SCRIPT % ids_file)
            cached_article = base + quoted[0]
            for _ in range(3):
                urllib.request.urlopen(cached_article).read()
                urllib.request.urlopen(f"{base}/").read()
            bypass = ("X-Bench-Bypass-Cache: 1",)
            live_poll = f"{base}/live/{live_article.pk}/poll/"
            etag = urllib.request.urlopen(live_poll).headers["ETag"]
            fresh_etag = (f"If-None-Match: {etag}",)
            runs = [
                ("hello", f"{base}/bench/hello/", None, ()),
                ("article", base, uncached_article, ()),
                ("article_cached", cached_article, None, ()),
                ("home", f"{base}/", None, ()),
                ("home_uncached", f"{base}/", None, bypass),
                ("api_article", base, api_article, ()),
                ("api_list", f"{base}/api/v1/articles/", None, ()),
                ("live_poll", live_poll, None, fresh_etag),
                ("beacon", base, str(beacon), ()),
            ]
            # Other processes share this machine: alternate the runs over ROUNDS rounds and
            # keep each page's best round, so a busy moment does not skew one ratio.
            results = {}
            for round_number in range(ROUNDS):
                for name, url, script, headers in runs:
                    log(f"#   wrk {name} (round {round_number + 1}/{ROUNDS}) ...")
                    rps, errors = _wrk(url, script, headers)
                    best, total_errors = results.get(name, (0.0, 0))
                    results[name] = (max(best, rps), total_errors + errors)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        _forget_bench_reads(env)
    report("beacon_store", "redis" if env.get("READERSHIP_REDIS_URL") else "database", "")
    for name, (rps, errors) in results.items():
        report(f"{name}_rps", rps, "req/s")
        report(f"{name}_errors", errors, "errors")
    hello = results["hello"][0]
    report("article_uncached_ratio", results["article"][0] / hello, "")
    report("article_cached_ratio", results["article_cached"][0] / hello, "")
    report("home_cached_ratio", results["home"][0] / hello, "")
    report("live_poll_cached_ratio", results["live_poll"][0] / results["article_cached"][0], "")
    report("beacon_hello_ratio", results["beacon"][0] / hello, "")


def _page_times() -> dict[str, float]:
    """Median milliseconds to render each page in-process, page cache off."""
    factory = RequestFactory()
    section = Section.objects.annotate(n=Count("articles")).order_by("-n").first()
    weight = TagWeight.objects.select_related("tag").order_by("-articles").first()
    tag = weight.tag if weight else None
    pages = {"home": (views.home, "/", ())}
    if section:
        pages["section"] = (views.section_list, section.get_absolute_url(), (section.slug,))
    if tag:
        pages["tag"] = (views.tag_list, f"/tag/{tag.slug}/", (tag.slug,))
    medians = {}
    with override_settings(PAGE_CACHE_SECONDS=0), translation.override("ar"):
        for name, (view, path, args) in pages.items():
            request = factory.get(path)
            for _ in range(5):
                view(request, *args)
            medians[name] = statistics.median(timed(view, request, *args) for _ in range(15))
    return medians


def growth(report, articles: int) -> None:
    big = connections["default"].settings_dict["NAME"]
    with bench_database(BASE_ARTICLES) as small:
        pass
    # Alternate the two databases and keep each page's best median (see throughput).
    at_size, at_base = {}, {}
    for _ in range(GROWTH_ROUNDS):
        for name, times in ((big, at_size), (small, at_base)):
            switch_database(name)
            for page, ms in _page_times().items():
                times[page] = min(times.get(page, ms), ms)
    switch_database(big)
    for name in at_size:
        report(f"{name}_ms_at_{BASE_ARTICLES}", at_base[name], "ms")
        report(f"{name}_ms_at_{articles}", at_size[name], "ms")
    report("home_growth_x", at_size["home"] / at_base["home"], "x")
    listings = [name for name in at_size if name != "home"]
    if listings:
        worst = max(at_size[name] / at_base[name] for name in listings)
        report("listing_growth_x", worst, "x")


def run(report, *, articles):
    throughput(report)
    growth(report, articles)
