"""manage.py import_wire: output lines, exit status, idempotency, atomicity."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils import translation
from taggit.models import Tag

from articles.models import Article, ArticleSource, RelatedLink, Source
from articles.wire.importer import WireImporter
from articles.wire.story import MAX_HEADLINE_CHARS, MAX_WIRE_BYTES
from tests.factories import make_section, make_source

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

STORY = """مجلس الأمن يعقد جلسة طارئة بشأن الأزمة الإنسانية

نيويورك - رويترز:

عقد مجلس الأمن الدولي جلسة طارئة مساء الثلاثاء لبحث الأوضاع الإنسانية المتدهورة.

وقال دبلوماسيون إن مشروع قرار "يدعو إلى هدنة فورية" قد يطرح للتصويت خلال أيام.

اقرأ أيضاً: الأمم المتحدة تحذر من مجاعة وشيكة
"""

OTHER_STORY = """أسعار الذهب تسجل مستوى قياسياً جديداً

لندن - وكالات:

ارتفعت أسعار الذهب في التعاملات الفورية إلى أعلى مستوى لها على الإطلاق.
"""


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return str(path)


def run(*args):
    """(exit status, stdout lines) of import_wire, in the language manage.py starts in
    (LANGUAGE_CODE, Arabic; test_manage_py_exit_status_is_1_when_any_file_failed runs
    the real thing)."""
    out = io.StringIO()
    try:
        with translation.override(settings.LANGUAGE_CODE):
            call_command("import_wire", *args, stdout=out, stderr=io.StringIO())
        status = 0
    except CommandError as error:
        status = error.returncode
    return status, out.getvalue().splitlines()


def test_import_creates_a_draft_and_prints_created_with_its_id(tmp_path):
    path = write(tmp_path, "story.txt", STORY)
    status, lines = run(path)
    article = Article.objects.get()
    assert status == 0
    assert lines == [f"created {article.pk} {path}"]
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert article.title == "مجلس الأمن يعقد جلسة طارئة بشأن الأزمة الإنسانية"
    assert "<p>نيويورك - عقد مجلس الأمن الدولي" in article.body
    assert 'مشروع قرار "يدعو إلى هدنة فورية" قد' in article.body
    assert [s.source.name for s in article.article_sources.all()] == ["رويترز"]
    assert list(RelatedLink.objects.values_list("title", "target")) == [
        ("الأمم المتحدة تحذر من مجاعة وشيكة", None)
    ]
    assert not Article.objects.published().exists()


def test_markup_in_wire_text_is_shown_as_text_never_run(tmp_path):
    story = STORY.replace("مساء الثلاثاء", "مساء <script>alert(1)</script> & <b>الثلاثاء</b>")
    run(write(tmp_path, "story.txt", story))
    body = Article.objects.get().body
    assert "<script>" not in body and "<b>" not in body
    assert "مساء &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;الثلاثاء&lt;/b&gt;" in body


def test_publish_option_makes_the_article_public_now(tmp_path):
    status, _ = run(write(tmp_path, "story.txt", STORY), "--publish")
    assert status == 0
    assert Article.objects.published().count() == 1
    change = Article.objects.get().status_changes.get()
    assert (change.from_status, change.to_status) == ("", Article.Status.PUBLISHED)


def test_section_and_tags_options_file_the_article(tmp_path):
    section = make_section("دولي", slug="دولي")
    status, _ = run(
        write(tmp_path, "s.txt", STORY),
        "--section",
        "دولي",
        "--tags",
        "أمم متحدة،مجلس الأمن, إغاثة",
    )
    article = Article.objects.get()
    assert status == 0
    assert article.section == section
    assert sorted(article.tags.names()) == sorted(["أمم متحدة", "مجلس الأمن", "إغاثة"])


def test_unknown_section_fails_every_file_and_writes_nothing(tmp_path):
    status, lines = run(write(tmp_path, "s.txt", STORY), "--section", "nope")
    assert status == 1
    assert lines == [f"error {tmp_path / 's.txt'}: لا يوجد قسم معرّفه في الرابط «nope»"]
    assert not Article.objects.exists()


def test_reimport_of_the_same_text_answers_exists(tmp_path):
    first = write(tmp_path, "a.txt", STORY)
    again = write(tmp_path, "b.txt", "\ufeff" + STORY.replace("\n", "\r\n") + "\n\n")
    utf16 = write(tmp_path, "c.txt", STORY.encode("utf-16"))
    _, [created] = run(first)
    pk = Article.objects.get().pk
    status, lines = run(first, again, utf16)
    assert created == f"created {pk} {first}"
    assert status == 0
    assert lines == [f"exists {pk} {first}", f"exists {pk} {again}", f"exists {pk} {utf16}"]
    assert Article.objects.count() == 1
    assert RelatedLink.objects.count() == 1


def test_changed_text_is_a_new_article(tmp_path):
    run(write(tmp_path, "a.txt", STORY))
    status, [line] = run(write(tmp_path, "b.txt", STORY + "\nفقرة أضيفت لاحقاً.\n"))
    assert status == 0 and line.startswith("created ")
    assert Article.objects.count() == 2


BAD_FILES = [
    ("empty.txt", b"", "الملف فارغ"),
    ("blank.txt", b" \n\n\t\n", "الملف فارغ"),
    ("headline.txt", "عنوان بلا نص".encode(), "للخبر عنوان بلا متن"),
    (
        "long.txt",
        ("ع" * (MAX_HEADLINE_CHARS + 1) + "\n\nنص").encode(),
        f"عدد أحرف العنوان {MAX_HEADLINE_CHARS + 1}، والحد الأقصى {MAX_HEADLINE_CHARS}",
    ),
    (
        "huge.txt",
        b"x" * (MAX_WIRE_BYTES + 10),
        f"حجم الملف 513 كيلوبايت، والحد الأقصى للخبر الواحد {MAX_WIRE_BYTES // 1024} كيلوبايت",
    ),
    (
        "latin1.txt",
        "Le ministère a annoncé une réforme à l'été.".encode("latin-1"),
        "الملف ليس بترميز UTF-8 ولا يبدو نصاً عربياً؛ احفظ الملف بترميز UTF-8",
    ),
    ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "هذا ملف صورة (PNG) وليس نص خبر"),
    ("data.bin", b"\x00\x01\x02\x03\x00\x00\x00\rIHDR", "في النص بايتات صفرية"),
    ("item.json", b'{"headline": "", "body_text": "x"}', "عنصر ninjs بلا عنوان (headline)"),
    ("broken.json", b'{"headline": "x",', "صيغة JSON غير سليمة (السطر 1، العمود 18)"),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_prints_one_error_line_and_writes_nothing(tmp_path, name, content, reason):
    path = write(tmp_path, name, content)
    status, lines = run(path)
    assert status == 1
    assert len(lines) == 1
    assert lines[0].startswith(f"error {path}: ")
    assert reason in lines[0]
    assert not Article.objects.exists()
    assert not Source.objects.exists()


def test_missing_file_is_an_error_line(tmp_path):
    status, lines = run(str(tmp_path / "nowhere.txt"))
    assert status == 1
    assert lines == [f"error {tmp_path / 'nowhere.txt'}: الملف غير موجود"]


def test_folder_is_an_error_line(tmp_path):
    status, lines = run(str(tmp_path))
    assert status == 1
    assert lines == [f"error {tmp_path}: هذا مجلد وليس ملفاً"]


def test_one_line_per_file_in_order_and_good_files_are_kept(tmp_path):
    good = write(tmp_path, "good.txt", STORY)
    bad = write(tmp_path, "bad.txt", "")
    other = write(tmp_path, "other.txt", OTHER_STORY)
    status, lines = run(good, bad, other)
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    assert status == 1
    assert lines == [
        f"created {ids[0]} {good}",
        f"error {bad}: الملف فارغ",
        f"created {ids[1]} {other}",
    ]


def test_failure_while_saving_rolls_back_the_whole_file(tmp_path, monkeypatch):
    make_source("رويترز")
    story = STORY.replace("نيويورك - رويترز:", "نيويورك - رويترز - وكالة الأنباء الجديدة:")
    path = write(tmp_path, "s.txt", story)

    def broken(self, article, story):  # the last step: everything before must go too
        raise DatabaseError("disk full")

    monkeypatch.setattr(WireImporter, "_link", broken)
    status, lines = run(path, "--tags", "وسم")
    assert status == 1
    assert lines == [f"error {path}: خطأ في قاعدة البيانات: disk full"]
    assert not Article.objects.exists()
    assert not ArticleSource.objects.exists()
    assert list(Source.objects.values_list("name", flat=True)) == ["رويترز"]
    assert not Tag.objects.exists()

    monkeypatch.undo()
    status, [line] = run(path)
    assert status == 0 and line.startswith("created ")
    assert Source.objects.filter(name="وكالة الأنباء الجديدة").count() == 1


def test_ninjs_file_is_imported_with_byline_subjects_and_associations(tmp_path):
    item = {
        "headline": "افتتاح معرض الكتاب",
        "byline": "سارة أحمد",
        "body_html": "<p>افتتح المعرض أبوابه.</p><p>ويستمر عشرة أيام.</p>",
        "subject": [{"name": "ثقافة"}],
        "associations": {"a": {"headline": "جائزة الرواية تعلن قائمتها"}},
    }
    path = write(tmp_path, "item.json", json.dumps(item, ensure_ascii=False))
    status, [line] = run(path, "--tags", "كتب")
    article = Article.objects.get()
    assert status == 0 and line == f"created {article.pk} {path}"
    assert article.body == "<p>افتتح المعرض أبوابه.</p><p>ويستمر عشرة أيام.</p>"
    assert [a.name for a in article.authors.all()] == ["سارة أحمد"]
    assert sorted(article.tags.names()) == ["ثقافة", "كتب"]
    assert [link.title for link in article.related_links.all()] == ["جائزة الرواية تعلن قائمتها"]


def database_url_of_the_test_database():
    """The test database as a DATABASE_URL, for a manage.py run in a subprocess."""
    db = settings.DATABASES["default"]
    host = db.get("OPTIONS", {}).get("host") or db["HOST"] or "127.0.0.1"
    credentials = f"{quote(db['USER'], safe='')}:{quote(db['PASSWORD'] or '', safe='')}"
    if host.startswith("/"):  # a Unix socket folder (the embedded PostgreSQL)
        return f"postgres://{credentials}@/{db['NAME']}?host={quote(host, safe='')}"
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_manage_py_exit_status_is_1_when_any_file_failed(tmp_path):
    good = write(tmp_path, "good.txt", STORY)
    bad = write(tmp_path, "bad.txt", "عنوان فقط")
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_the_test_database(),
        "SECRET_KEY": "test-only",
        "DEBUG": "0",
    }
    command = [sys.executable, "manage.py", "import_wire"]
    failed = subprocess.run(
        [*command, good, bad], cwd=ROOT, env=env, capture_output=True, text=True
    )
    again = subprocess.run([*command, good], cwd=ROOT, env=env, capture_output=True, text=True)
    pk = Article.objects.get().pk
    assert failed.returncode == 1
    assert failed.stdout.splitlines() == [
        f"created {pk} {good}",
        f"error {bad}: للخبر عنوان بلا متن: لا فقرات بعد العنوان",
    ]
    assert "تعذّر استيراد 1 من أصل 2 من الملفات" in failed.stderr
    assert again.returncode == 0
    assert again.stdout.splitlines() == [f"exists {pk} {good}"]


def test_command_leaves_the_connection_waiting_for_commits_as_before(tmp_path):
    from django.db import connection

    run(write(tmp_path, "a.txt", STORY), write(tmp_path, "b.txt", OTHER_STORY))
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)


@pytest.mark.django_db(transaction=True)
def test_import_in_worker_processes_gives_the_same_result_as_one_by_one(tmp_path):
    from articles.wire.importer import import_paths

    headlines = [f"خبر رقم {n} عن الطقس" for n in range(12)]
    paths = []
    for n, headline in enumerate(headlines):
        # Each story links to the next one (often imported by the other worker) and to
        # the previous one; all credit the same agency, unknown before this run.
        links = [f"اقرأ أيضاً: {headlines[(n + 1) % 12]}", f"اقرأ أيضا: {headlines[n - 1]}"]
        text = "\n\n".join([headline, "بيروت - شبكة الأخبار المحلية:", f"فقرة الخبر {n}.", *links])
        paths.append(write(tmp_path, f"{n:02}.txt", text))
    paths.append(write(tmp_path, "again.txt", (tmp_path / "03.txt").read_text()))
    paths.append(write(tmp_path, "empty.txt", ""))

    outcomes = list(import_paths(paths, workers=2, batch=3))

    assert [o.path for o in outcomes] == paths
    assert [o.line.split()[0] for o in outcomes] == ["created"] * 12 + ["exists", "error"]
    assert outcomes[12].result.article_id == outcomes[3].result.article_id
    assert Article.objects.count() == 12
    assert list(Source.objects.values_list("name", flat=True)) == ["شبكة الأخبار المحلية"]
    by_title = {a.title: a for a in Article.objects.all()}
    for n, headline in enumerate(headlines):
        targets = [link.target for link in by_title[headline].related_links.all()]
        assert targets == [by_title[headlines[(n + 1) % 12]], by_title[headlines[n - 1]]]


def test_a_tag_without_letters_is_refused_with_one_line_per_file(tmp_path):
    first, second = write(tmp_path, "a.txt", STORY), write(tmp_path, "b.txt", OTHER_STORY)
    status, lines = run(first, second, "--tags", "سياسة,!!!")
    assert status == 1
    assert lines == [
        f"error {path}: الوسم «!!!» بلا حرف ولا رقم؛ الوسم يحتاج إلى واحد منهما على الأقل"
        for path in (first, second)
    ]
    assert not Article.objects.exists() and not Tag.objects.exists()


def test_an_agency_subject_of_punctuation_alone_is_dropped(tmp_path):
    ninjs = {
        "headline": "عنوان خبر من الوكالة",
        "body_text": "نص الخبر من الوكالة اليوم.",
        "subjects": [{"name": "؟"}, {"name": "اقتصاد"}],
    }
    path = write(tmp_path, "item.json", json.dumps(ninjs))
    status, _lines = run(path)
    assert status == 0
    assert sorted(Article.objects.get().tags.names()) == ["اقتصاد"]
