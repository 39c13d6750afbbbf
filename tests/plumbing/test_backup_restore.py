"""Nothing lost: `manage.py backup` then `manage.py restore` into a fresh database and an empty
media folder give back every article, field by field, with its tags, credits in order, read-also
links, bylines and lead image (bytes and renditions), and search and related reading still work.
The commands run as an operator runs them, in their own processes."""

import datetime
import io
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from PIL import Image

from articles.media import images
from articles.models import Article
from bench import database_url
from newsroom import backups
from tests.factories import link, make_article, make_author, make_section, make_source

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(settings.BASE_DIR)


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """These tests commit rows (tags name their model by content type). A test before them may
    have cached a content type created inside its rolled-back transaction: forget the cache."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def manage(*args, database: str, media: str):
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DATABASE_URL=database_url(database),
        MEDIA_ROOT=media,
        SECRET_KEY="tests-only-not-a-secret",
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def server():
    conn = psycopg2.connect(dbname="postgres", **_server_params())
    conn.autocommit = True
    return conn


@pytest.fixture
def fresh_database():
    name = f"newsroom_restore_{uuid.uuid4().hex[:12]}"
    conn = server()
    with conn.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    yield name
    conn = server()
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def jpeg(size=(1400, 800), colour=(180, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=85)
    return out.getvalue()


def newsroom_content():
    section = make_section("اقتصاد", slug="economy", name_en="Economy")
    reuters = make_source("رويترز", slug="reuters", aliases=["Reuters"])
    afp = make_source("أ ف ب", slug="afp", aliases=["فرانس برس", "AFP"])
    author = make_author("سلمى حداد", slug="salma", name_en="Salma Haddad")
    picture = default_storage.save("lead/2026/11/oil.jpg", ContentFile(jpeg()))
    images.make_renditions(picture)
    lead = make_article(
        "أسعار النفط ترتفع مع تراجع المخزونات",
        title_en="Oil prices rise as stocks fall",
        summary="ارتفعت أسعار النفط اليوم.",
        summary_en="Oil prices rose today.",
        body="<p>قالت مصادر في سوق الطاقة إن <strong>النفط</strong> ارتفع.</p>",
        body_en="<p>Energy market sources said <em>oil</em> rose.</p>",
        lead_image=picture,
        lead_image_caption="ناقلة نفط في الخليج",
        lead_image_credit="رويترز",
        section=section,
        tags=["نفط", "طاقة", "أسواق"],
        sources=[afp, reuters],
        authors=[author],
        hours_ago=2,
    )
    second = make_article(
        "الطاقة المتجددة تجذب المستثمرين",
        section=section,
        tags=["طاقة", "استثمار"],
        sources=[reuters],
        hours_ago=5,
    )
    third = make_article("سد النهضة: جولة مفاوضات جديدة", tags=["سد النهضة", "نفط"], hours_ago=9)
    link(lead, target=second, position=0)
    link(lead, url="https://example.org/oil", title="تقرير عن النفط", position=1)
    link(lead, title="عنوان ينتظر مقالته", position=2)
    link(second, target=third, position=0)
    make_article("مسودة عن النفط", status=Article.Status.DRAFT, tags=["نفط"])
    make_article(
        "خبر مجدول عن الطاقة",
        published_at=timezone.now() + datetime.timedelta(days=2),
        tags=["طاقة"],
    )
    return lead


def snapshot(database: str, media: str) -> dict:
    code = "from tests.plumbing.backup_snapshot import main; main()"
    done = manage("shell", "-c", code, database=database, media=media)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_backup_and_restore_round_trip_keeps_every_article_and_media_file(fresh_database):
    lead = newsroom_content()
    original_db, original_media = connection.settings_dict["NAME"], str(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as folder:
        target, restored_media = Path(folder) / "backup-1", str(Path(folder) / "restored-media")

        done = manage("backup", str(target), database=original_db, media=original_media)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"backup {target}: 5 articles, ")
        manifest = json.loads((target / "manifest.json").read_text())
        assert manifest["rows"]["articles.Article"] == 5
        assert manifest["rows"]["articles.RelatedLink"] == 4
        assert "lead/2026/11/oil.jpg" in manifest["media"]
        assert sorted(p.name for p in Path(folder).iterdir()) == ["backup-1"]  # no partial left

        done = manage("restore", str(target), database=fresh_database, media=restored_media)
        assert done.returncode == 0, done.stderr

        before = snapshot(original_db, original_media)
        after = snapshot(fresh_database, restored_media)

    # The comparison is not vacuous: the content is all there, with its derived data.
    assert len(before["articles"]) == 5
    assert before["articles"][str(lead.pk)]["title_en"] == "Oil prices rise as stocks fall"
    assert before["articles"][str(lead.pk)]["sources"] == [["afp", 0], ["reuters", 1]]
    assert before["articles"][str(lead.pk)]["search_vector"] not in ("", "None")
    assert before["search"]["النفط"] and before["search"]["سد النهضة"]
    assert before["related"][str(lead.pk)]
    renditions = [name for name in before["media"] if name.startswith("renditions/")]
    assert len(renditions) >= 6 and "lead/2026/11/oil.jpg" in before["media"]
    assert after == before


def test_restore_refuses_a_database_that_is_not_empty(fresh_database):
    make_article("خبر واحد")
    with tempfile.TemporaryDirectory() as folder:
        target, media = Path(folder) / "b", str(Path(folder) / "media")
        db = connection.settings_dict["NAME"]
        assert manage("backup", str(target), database=db, media=media).returncode == 0
        assert manage("restore", str(target), database=fresh_database, media=media).returncode == 0

        again = manage("restore", str(target), database=fresh_database, media=media)
        assert again.returncode == 1
        errors = again.stderr.strip().splitlines()
        assert len(errors) == 1 and "is not empty" in errors[0] and "--force" in errors[0]

        forced = manage("restore", "--force", str(target), database=fresh_database, media=media)
        assert forced.returncode == 0, forced.stderr


def test_a_damaged_backup_is_refused_before_anything_is_restored(fresh_database):
    make_article("خبر واحد")
    with tempfile.TemporaryDirectory() as folder:
        target, media = Path(folder) / "b", str(Path(folder) / "media")
        db = connection.settings_dict["NAME"]
        assert manage("backup", str(target), database=db, media=media).returncode == 0
        dump = target / "database.dump"
        dump.write_bytes(dump.read_bytes()[:-10])
        done = manage("restore", str(target), database=fresh_database, media=media)
        assert done.returncode == 1
        assert "database.dump is missing or damaged" in done.stderr
        conn = psycopg2.connect(dbname=fresh_database, **_server_params())
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            assert cursor.fetchone()[0] == 0
        conn.close()


def test_a_backup_without_media_holds_the_database_only(tmp_path):
    make_article("خبر واحد")
    default_storage.save("lead/2026/11/kept-elsewhere.jpg", ContentFile(jpeg((50, 50))))
    db, media = connection.settings_dict["NAME"], str(settings.MEDIA_ROOT)
    done = manage("backup", "--no-media", str(tmp_path / "b"), database=db, media=media)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(": 1 articles, 0 media files")
    assert not (tmp_path / "b" / "media").exists()
    assert json.loads((tmp_path / "b" / "manifest.json").read_text())["media_included"] is False


def test_backup_refuses_to_overwrite_an_existing_folder(tmp_path):
    done = manage("backup", str(tmp_path), database=connection.settings_dict["NAME"], media="/x")
    assert done.returncode == 1
    assert "already exists" in done.stderr


def test_client_tools_are_never_older_than_the_server():
    major = backups.server_major()
    for tool in ("pg_dump", "pg_restore"):
        path, tool_major = backups.pg_tool(tool, major)
        assert tool_major >= major
        assert Path(path).name == tool


def _server_params():
    db = connection.settings_dict
    options = db.get("OPTIONS") or {}
    params = {
        "user": db["USER"],
        "password": db["PASSWORD"],
        "host": db["HOST"] or options.get("host"),
        "port": db["PORT"] or options.get("port"),
    }
    return {key: value for key, value in params.items() if value}
