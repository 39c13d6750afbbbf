"""Load test: gunicorn as in production, `wrk` at 64 connections for 2 minutes over a mix of
reader pages; prints `name: value unit` lines and exits 1 on any error (`make load`).

    LOAD_ARTICLES     articles in the database under load (default 100000): the bench
                      database of that size (`make bench`'s, reused when already built, else
                      built with make_corpus); 0 uses the DATABASE_URL database as it is
    LOAD_SECONDS      length of the measured run (120)    LOAD_CONNECTIONS  (64)
    LOAD_THREADS      wrk threads (2)                     LOAD_WARM_SECONDS warm-up run (15)
    LOAD_PUBLISH_EVERY  seconds between edits in the second run (30)
    WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_TIMEOUT, REDIS_URL: as in production.

The mix (shuffled, repeated): of every 135 requests, 50 article pages (2,000 different articles,
so a share of the requests renders pages that are not cached yet), 15 home (Arabic and English),
15 section, tag, source and author listings (large sections' second pages too), 10 search
(never cached), 10 RSS feeds, 10 live coverage polls (/live/<id>/poll/, what open live pages ask
every LIVE_POLL_SECONDS; with LOAD_ARTICLES > 0 the bench database's newest story is made live,
with 50 entries) and 25 read beacons (POST /read/<id>/ of those articles, each from a reader of
its own: counted in Redis when the run has one, else in the buffer table; the counts are
removed afterwards).

A second run of the same length follows while a story is edited every LOAD_PUBLISH_EVERY seconds
through the write path, as a busy desk would; it needs the cache the server and this process
share (CACHE_URL, REDIS_URL, or a Redis answering on 127.0.0.1:6379). It prints
`publish_hit_ratio` (page-cache hits over the cacheable reader pages answered, from the
`X-Page-Cache` header; search is never cached and not counted) and `publish_rps_ratio` (its
req/s over the quiet run's).
"""

import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECRET_KEY", "load-test-only-not-a-secret")
os.environ.setdefault("BENCH_REUSE", "1")

ARTICLES = int(os.environ.get("LOAD_ARTICLES", 100_000))
SECONDS = int(os.environ.get("LOAD_SECONDS", 120))
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", 64))
THREADS = int(os.environ.get("LOAD_THREADS", 2))
WARM_SECONDS = int(os.environ.get("LOAD_WARM_SECONDS", 15))
PUBLISH_EVERY = float(os.environ.get("LOAD_PUBLISH_EVERY", 30))
SEARCHES = ["النفط", "الحكومة", "مصر", "الانتخابات", "الاقتصاد", "وزير الخارجية", "كرة القدم"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report(name: str, value, unit: str = "") -> None:
    value = f"{value:.2f}" if isinstance(value, float) else value
    print(f"{name}: {value} {unit}".rstrip(), flush=True)


def reader_paths(rng: random.Random) -> list[str]:
    """The mix of pages readers ask for, from the database under load."""
    from django.db.models import Count
    from taggit.models import Tag

    from articles.models import Article, Author, Section, Source
    from articles.readership.beacon import PREFIX as BEACON_PREFIX
    from articles.site.views import PAGE_SIZE

    chosen = list(Article.objects.published().order_by("?")[:2000])
    articles = [a.get_absolute_url() for a in chosen]
    ids = [a.pk for a in chosen]
    if not articles:
        raise SystemExit("no published articles to load")
    listings = [s.get_absolute_url() for s in Section.objects.all()]
    listings += [f"/tag/{slug}/" for slug in Tag.objects.values_list("slug", flat=True)[:40]]
    listings += [f"/source/{slug}/" for slug in Source.objects.values_list("slug", flat=True)[:10]]
    listings += [f"/author/{slug}/" for slug in Author.objects.values_list("slug", flat=True)[:10]]
    second_pages = Section.objects.annotate(n=Count("articles")).filter(n__gt=2 * PAGE_SIZE)
    listings += [f"{section.get_absolute_url()}?page=2" for section in second_pages]
    feeds = ["/feeds/latest/"] + [f"/feeds/section/{s.slug}/" for s in Section.objects.all()]
    searches = [f"/search/?q={urllib.parse.quote(query)}" for query in SEARCHES]
    from bench.live import poll_paths

    polls = poll_paths()
    beacons = [f"POST {BEACON_PREFIX}{pk}/" for pk in ids]
    mix = [
        (articles, 50),
        (["/", "/en/"], 15),
        (listings, 15),
        (searches, 10),
        (feeds, 10),
        (beacons, 25),
    ]
    mix += [(polls, 10)] if polls else []
    paths = []
    for choices, share in mix:
        paths += [rng.choice(choices) for _ in range(share * 40)]
    rng.shuffle(paths)
    return [urllib.parse.quote(path, safe="/?=&% ") for path in paths]


def wrk(base: str, seconds: int, connections: int, threads: int, paths_file: str) -> str:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["-s", str(ROOT / "bench" / "urls.lua"), base]
    env = dict(os.environ, LOAD_PATHS=paths_file)
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout


def milliseconds(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def figures(output: str) -> dict:
    latency = {}
    for percent in ("50", "99"):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        latency[percent] = milliseconds(*match.groups()) if match else float("nan")
    socket_errors = dict(re.findall(r"(connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    cache_answers = re.search(r"page cache: (\d+) hits (\d+) misses", output)
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency["50"],
        "p99": latency["99"],
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket": {kind: int(socket_errors.get(kind, 0)) for kind in ("connect", "read", "write")},
        "timeouts": int(socket_errors.get("timeout", 0)),
        "hits": int(cache_answers.group(1)) if cache_answers else 0,
        "misses": int(cache_answers.group(2)) if cache_answers else 0,
    }


def shared_cache_url() -> str | None:
    """The publishing run needs the cache the server and this process share: CACHE_URL or
    REDIS_URL, else a local Redis on its default port if one answers, else none."""
    url = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")
    if url:
        return url
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return None
    return "redis://127.0.0.1:6379/14"


def publish_while(stop: threading.Event, every: float, published: list) -> None:
    """What a desk does during the second run: every `every` seconds an editor corrects a
    published story (through the write path, like the desk), and posts an entry to the live
    coverage if there is one (its poll answer retires). Runs in its own thread."""
    from django.db import connection

    from articles.live.models import LiveCoverage
    from articles.models import Article
    from bench.live import post_entry

    rng = random.Random(2)
    ids = list(Article.objects.published().values_list("pk", flat=True)[:2000])
    live = LiveCoverage.objects.filter(state=LiveCoverage.State.LIVE).select_related("article")
    live = [coverage.article for coverage in live if coverage.article.is_public]
    try:
        # The first edit a few seconds in (once the run is going), then one every `every`
        # seconds: a 60-second run sees three, not one at 30 s and one racing the end.
        pause = min(every, 5.0)
        while ids and not stop.wait(pause):
            article = Article.objects.get(pk=rng.choice(ids))
            article.summary_ar = (article.summary_ar or "") + " (تحديث)"
            article.save()
            published.append(article.pk)
            if live:
                post_entry(live[0], len(published))
            pause = every
    finally:
        connection.close()


def main() -> int:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    import django

    from newsroom.dev import use_embedded_postgres_if_unset

    use_embedded_postgres_if_unset()
    cache_url = shared_cache_url()
    if cache_url:
        # This process edits stories in the second run: it must retire pages in the cache the
        # server reads, under the same key prefix.
        os.environ["CACHE_URL"] = cache_url
    os.environ["CACHE_KEY_PREFIX"] = f"newsroom-load-{os.getpid()}"
    django.setup()
    from django.conf import settings

    from bench import database_url, prepare_database
    from newsroom.dev.local_servers import answers, free_port

    name = settings.DATABASES["default"]["NAME"]
    if ARTICLES:
        name = prepare_database(ARTICLES, log=log)
        from bench.live import ensure_live_coverage

        ensure_live_coverage()  # the bench database's own; a database as it is stays as it is
    paths = reader_paths(random.Random(1))
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=database_url(name),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_ACCESS_LOG="",
        # wrk is one address: the beacon's per-address limit would leave nearly all uncounted.
        READERSHIP_RATE_PER_MINUTE="1000000000",
    )
    env.pop("NEWSROOM_WEB_PROCESS", None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        paths_file = Path(folder) / "paths.txt"
        paths_file.write_text("\n".join(paths) + "\n")
        server_log = Path(folder) / "gunicorn.log"
        with open(server_log, "wb") as out:
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "newsroom/gunicorn.conf.py"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                if not answers(f"{base}/healthz", server, timeout=120):
                    raise SystemExit(f"gunicorn did not start:\n{server_log.read_text()[-3000:]}")
                load_before = os.getloadavg()[0]
                if WARM_SECONDS:
                    log(f"# warming up for {WARM_SECONDS} s")
                    wrk(base, WARM_SECONDS, min(CONNECTIONS, 8), 1, str(paths_file))
                log(f"# wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s over {len(paths)} paths")
                output = wrk(base, SECONDS, CONNECTIONS, THREADS, str(paths_file))
                load_after = os.getloadavg()[0]
                publishing, published = None, []
                if cache_url:
                    log(f"# again, while a story is edited every {PUBLISH_EVERY:g} s")
                    stop = threading.Event()
                    editor = threading.Thread(
                        target=publish_while, args=(stop, PUBLISH_EVERY, published)
                    )
                    editor.start()
                    try:
                        publishing = wrk(base, SECONDS, CONNECTIONS, THREADS, str(paths_file))
                    finally:
                        stop.set()
                        editor.join()
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=60)
        server_output = server_log.read_text(errors="replace")
    beacons_counted = forget_load_reads()
    log(output)
    result = figures(output)
    during = figures(publishing) if publishing else None
    worker_timeouts = server_output.count("WORKER TIMEOUT")
    server_errors = len(re.findall(r"\[ERROR\]", server_output))
    report("load_articles", ARTICLES or "database as is")
    report("load_connections", CONNECTIONS, "connections")
    report("load_seconds", SECONDS, "s")
    report("load_workers", env.get("WEB_CONCURRENCY", (os.cpu_count() or 1) * 2 + 1), "workers")
    report("load_requests", result["requests"], "requests")
    report("load_rps", result["rps"], "req/s")
    report("load_latency_p50_ms", result["p50"], "ms")
    report("load_latency_p99_ms", result["p99"], "ms")
    report("load_non_2xx_3xx", result["non_2xx"], "responses")
    report("load_socket_errors", sum(result["socket"].values()), "errors")
    report("load_timeouts", result["timeouts"], "requests")
    report("load_worker_timeouts", worker_timeouts, "lines")
    report("load_server_errors", server_errors, "lines")
    report("load_avg_1m_before", load_before, "")
    report("load_avg_1m_after", load_after, "")
    report("load_beacons_counted", beacons_counted, "reads")
    report("load_hit_ratio", ratio(result["hits"], result["hits"] + result["misses"]), "")
    report("load_live_poll_share", ratio(sum("/live/" in p for p in paths), len(paths)), "")
    if during:
        report("publish_edits", len(published), "edits")
        report("publish_rps", during["rps"], "req/s")
        report("publish_hit_ratio", ratio(during["hits"], during["hits"] + during["misses"]), "")
        report("publish_rps_ratio", ratio(during["rps"], result["rps"]), "")
        report("publish_non_2xx_3xx", during["non_2xx"], "responses")
    else:
        log(
            "# no shared cache (CACHE_URL, REDIS_URL or Redis on 127.0.0.1:6379): no publishing run"
        )
    failures = (
        result["non_2xx"]
        + (during["non_2xx"] + sum(during["socket"].values()) + during["timeouts"] if during else 0)
        + sum(result["socket"].values())
        + result["timeouts"]
        + worker_timeouts
        + server_errors
    )
    if failures:
        log(server_output[-4000:])
    return 1 if failures else 0


def forget_load_reads() -> int:
    """The run's beacons: how many were counted, then out of Redis (the run's key prefix) and
    out of the buffer table (of the bench database; a database used as it is keeps its own)."""
    from articles.readership.counting import RedisStore, store
    from articles.readership.models import PendingRead

    counted = PendingRead.objects.count()
    if ARTICLES:
        PendingRead.objects.all().delete()
    counting = store()
    if isinstance(counting, RedisStore):
        keys = list(counting.client.scan_iter(match=f"{counting.prefix}:*", count=1000))
        for key in keys:
            if b":hits:" in key:
                counted += sum(int(n) for n in counting.client.hvals(key))
        for start in range(0, len(keys), 1000):
            counting.client.delete(*keys[start : start + 1000])
    return counted


def ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


if __name__ == "__main__":
    sys.exit(main())
