"""`make load`'s script, in a short run: it serves the reader mix from gunicorn under wrk and
reports zero errors (the full 2-minute, 64-connection run is `make load`; figures in docs/benchmarks.md)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from bench import database_url
from tests.factories import make_article, make_author, make_section, make_source

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not shutil.which("wrk"), reason="wrk is not installed (apt-get install wrk)"
    ),
]


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """These tests commit rows (tags name their model by content type). A test before them may
    have cached a content type created inside its rolled-back transaction: forget the cache."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def test_a_short_load_run_reports_its_figures_and_no_errors():
    section = make_section("اقتصاد", slug="economy")
    for n in range(12):
        make_article(
            f"خبر اقتصادي رقم {n}",
            section=section,
            tags=["نفط", f"وسم {n % 3}"],
            sources=[make_source(f"وكالة {n}")],
            authors=[make_author(f"كاتب {n}")],
        )
    from articles.live import actions as live

    live.start_coverage(make_article("تغطية مباشرة تحت الحمل", section=section), None)
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        LOAD_ARTICLES="0",
        LOAD_SECONDS="2",
        LOAD_WARM_SECONDS="0",
        LOAD_CONNECTIONS="8",
        LOAD_PUBLISH_EVERY="0.5",
        WEB_CONCURRENCY="2",
    )
    done = subprocess.run(
        [sys.executable, "bench/load.py"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = dict(line.split(": ", 1) for line in done.stdout.strip().splitlines())
    assert float(figures["load_rps"].split()[0]) > 0
    assert int(figures["load_requests"].split()[0]) > 0
    for name in ("load_non_2xx_3xx", "load_socket_errors", "load_timeouts"):
        assert figures[name].split()[0] == "0", name
    assert figures["load_worker_timeouts"] == "0 lines"
    assert "load_latency_p99_ms" in figures
    assert float(figures["load_live_poll_share"]) > 0  # live polling is in the mix
    # read beacons are in the mix, answered without errors and counted
    assert int(figures["load_beacons_counted"].split()[0]) > 0
    # The second run, while stories are edited (Redis answers on this machine, as in CI).
    assert int(figures["publish_edits"].split()[0]) >= 1
    assert 0 < float(figures["publish_hit_ratio"]) <= 1
    assert float(figures["publish_rps_ratio"]) > 0
    assert figures["publish_non_2xx_3xx"].split()[0] == "0"


def test_make_bench_entry_point_starts():
    """`make bench` runs `python -m bench`: the package must import before Django is set up."""
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--help"],
        cwd=Path(settings.BASE_DIR),
        env=dict(os.environ, SECRET_KEY="bench-test", SECURE_SSL_REDIRECT="0"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "--articles" in done.stdout
