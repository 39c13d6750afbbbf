"""Agency items through manage.py import_wire: formats told from the content, credits matched
through aliases, versions that update an untouched article or wait for the desk on a touched
one, corrections, kills that take a published article off the site, all-or-nothing files."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from articles import actions
from articles.agency.models import AgencyStory, IncomingItem
from articles.models import Article, StatusChange
from tests.factories import make_source

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "wire" / "fixtures"
V1, V2 = FIXTURES / "afp-ar-newsitem-v1.xml", FIXTURES / "afp-ar-newsitem-v2.xml"
CORRECTION = FIXTURES / "afp-ar-newsitem-v3-correction.xml"
KILL = FIXTURES / "afp-ar-newsitem-kill.xml"


def run(*paths, publish=False):
    out = io.StringIO()
    args = [str(path) for path in paths] + (["--publish"] if publish else [])
    try:
        with translation.override(settings.LANGUAGE_CODE):
            call_command("import_wire", *args, stdout=out, stderr=io.StringIO())
        status = 0
    except CommandError as error:
        status = error.returncode
    return status, out.getvalue().splitlines()


@pytest.fixture
def afp():
    return make_source("فرانس برس", aliases=["أ ف ب", "AFP", "وكالة فرانس برس"])


def test_newsml_item_becomes_a_draft_credited_to_the_existing_agency(afp):
    status, lines = run(V1)
    article = Article.objects.get()
    assert (status, lines) == (0, [f"created {article.pk} {V1}"])
    assert article.title == "أمطار غزيرة تغرق شوارع القاهرة وتعطل حركة المرور"
    assert article.body_ar.startswith("<p>القاهرة - غمرت أمطار غزيرة شوارع القاهرة")
    assert "<script" not in article.body_ar and "alert" not in article.body_ar
    assert list(article.sources.all()) == [afp]  # "أ ف ب" is an alias of فرانس برس
    assert sorted(article.tags.names()) == ["البيئة", "الطقس"]
    assert article.status == Article.Status.DRAFT
    tracked = AgencyStory.objects.get()
    assert (tracked.guid, tracked.version, tracked.article) == (
        "urn:newsml:afp.com:20260502:TX-SGE-ABC12",
        1,
        article,
    )
    queued = IncomingItem.objects.get()
    assert (queued.agency, queued.language, queued.format, queued.outcome) == (
        afp,
        "ar",
        "newsml",
        "created",
    )


def test_the_same_item_twice_is_one_item(afp):
    run(V1)
    status, lines = run(V1)
    article = Article.objects.get()
    assert (status, lines) == (0, [f"exists {article.pk} {V1}"])
    assert IncomingItem.objects.count() == 1


@pytest.mark.parametrize("publish", [False, True])
def test_a_later_version_updates_an_untouched_article(afp, publish):
    run(V1, publish=publish)
    article = Article.objects.get()
    status, lines = run(V2)
    assert (status, lines) == (0, [f"updated {article.pk} {V2}"])
    article.refresh_from_db()
    assert "منسوب المياه ارتفع في الجيزة" in article.body_ar
    assert article.status == (Article.Status.PUBLISHED if publish else Article.Status.DRAFT)
    assert AgencyStory.objects.get().version == 2
    assert AgencyStory.objects.get().pending is None
    # Applied, so an older version arriving late changes nothing.
    assert run(V1) == (0, [f"exists {article.pk} {V1}"])
    article.refresh_from_db()
    assert "منسوب المياه ارتفع في الجيزة" in article.body_ar


def test_a_later_version_of_a_touched_article_waits_for_the_desk(afp, editor):
    run(V1)
    article = Article.objects.get()
    actions.publish_now(article, editor)  # an editor's move: the article is touched
    status, lines = run(V2)
    assert (status, lines) == (0, [f"updated {article.pk} {V2}"])
    article.refresh_from_db()
    assert "منسوب المياه" not in article.body_ar  # the editor's article is left alone
    tracked = AgencyStory.objects.get()
    assert tracked.pending.version == 2 and not tracked.pending_correction
    assert tracked.pending.outcome == "flagged"


def test_text_changed_outside_the_desk_also_counts_as_touched(afp):
    run(V1)
    article = Article.objects.get()
    article.summary_ar = "ملخص كتبه محرر من سكربت"
    article.save()
    run(V2)
    article.refresh_from_db()
    assert "منسوب المياه" not in article.body_ar
    assert AgencyStory.objects.get().pending is not None


def test_a_correction_of_a_touched_article_is_flagged_as_a_correction(afp, editor):
    run(V1)
    actions.publish_now(Article.objects.get(), editor)
    run(CORRECTION)
    tracked = AgencyStory.objects.get()
    assert tracked.pending.version == 3 and tracked.pending_correction


def test_a_correction_of_an_untouched_article_is_applied_and_kept_in_its_history(afp):
    from articles.desk.revisions import versions_of

    run(V1, publish=True)
    run(CORRECTION)
    article = Article.objects.get()
    assert "فجر السبت" in article.body_ar
    comments = [version.revision.comment for version in versions_of(article)]
    assert any("3" in comment for comment in comments)  # "Agency version 3 (correction)"
    assert len(comments) == 2  # the original as imported, then the correction


def test_kill_takes_a_published_article_off_the_site_with_an_audit_record(afp, client, editor):
    run(V1, publish=True)
    article = Article.objects.get()
    assert client.get(article.get_absolute_url()).status_code == 200
    actions.publish_now(article, editor)  # touched or not, a kill applies
    status, lines = run(KILL)
    assert (status, lines) == (0, [f"killed {article.pk} {KILL}"])
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and not article.is_public
    assert client.get(article.get_absolute_url()).status_code == 404
    move = StatusChange.objects.filter(article=article).latest("changed_at")
    assert (move.from_status, move.to_status, move.changed_by) == ("published", "draft", None)
    assert AgencyStory.objects.get().killed_at is not None
    assert IncomingItem.objects.filter(killed=True, article=article).exists()
    # Nothing else is lost: the text is still there for the desk.
    assert article.title == "أمطار غزيرة تغرق شوارع القاهرة وتعطل حركة المرور"
    # A version arriving after the kill does not bring it back.
    assert run(V2) == (0, [f"exists {article.pk} {V2}"])


def test_kill_of_an_item_never_imported_is_an_error_line(afp):
    status, lines = run(KILL)
    assert status == 1
    assert lines[0].startswith(f"error {KILL}: ")
    assert Article.objects.count() == 0


def test_news_message_prints_a_line_per_item(afp):
    path = FIXTURES / "reuters-en-newsmessage.xml"
    status, lines = run(path)
    english, arabic = Article.objects.order_by("pk")
    assert (status, lines) == (0, [f"created {english.pk} {path}", f"created {arabic.pk} {path}"])
    assert english.title == "Oil steadies after OPEC+ output talks"
    assert sorted(IncomingItem.objects.values_list("language", flat=True)) == ["ar", "en"]


def test_a_file_with_one_bad_item_writes_nothing(tmp_path, afp):
    good = (FIXTURES / "reuters-en-newsmessage.xml").read_text()
    bad = good.replace('<headline xml:lang="en">Gold edges higher</headline>', "").replace(
        '<headline xml:lang="ar">الذهب يرتفع قليلاً</headline>', ""
    )
    assert bad.count("<headline") == 1
    path = tmp_path / "message.xml"
    path.write_text(bad)
    status, lines = run(path)
    assert status == 1 and lines[0].startswith(f"error {path}: ")
    assert Article.objects.count() == IncomingItem.objects.count() == 0


@pytest.mark.parametrize(
    "name", ["billion-laughs.xml", "external-entity.xml", "external-dtd.xml", "internal-subset.xml"]
)
def test_malicious_xml_is_refused_and_nothing_written(name):
    status, lines = run(FIXTURES / name)
    assert status == 1
    assert lines[0].startswith(f"error {FIXTURES / name}: ")
    assert Article.objects.count() == IncomingItem.objects.count() == 0


def test_nitf_item_is_imported_with_its_agency(tmp_path):
    wam = make_source("وكالة أنباء الإمارات", aliases=["وام", "WAM"])
    path = FIXTURES / "wam-ar-nitf.xml"
    status, lines = run(path)
    article = Article.objects.get()
    assert (status, lines) == (0, [f"created {article.pk} {path}"])
    assert list(article.sources.all()) == [wam]
    assert article.title == "الإمارات تطلق قمراً صناعياً لرصد المناخ"
    assert [a.name for a in article.authors.all()] == ["سارة أحمد"]


def test_an_agency_update_or_kill_makes_a_desk_form_opened_before_it_stale(afp, desk_editor_client):
    from django.urls import reverse

    from tests.desk_forms import change_form_data

    run(V1, publish=True)
    article = Article.objects.get()
    url = reverse("admin:articles_article_change", args=[article.pk])
    opened = desk_editor_client.get(url)  # an editor opens it, untouched so far
    run(V2)  # the agency's update is applied meanwhile
    refused = desk_editor_client.post(url, change_form_data(opened, summary_ar="ملخص المحرر"))
    assert refused.status_code == 200  # refused: the editor's form was based on the old text
    assert "لم تُحفظ تعديلاتك، وهي ما زالت أدناه" in refused.content.decode()
    article.refresh_from_db()
    assert "منسوب المياه" in article.body_ar and article.summary_ar != "ملخص المحرر"
    assert AgencyStory.objects.get().written_version == article.version

    opened = desk_editor_client.get(url)
    run(KILL)
    # A form opened before the kill cannot put the story back on the site.
    refused = desk_editor_client.post(url, change_form_data(opened))
    assert "لم تُحفظ تعديلاتك، وهي ما زالت أدناه" in refused.content.decode()
    article.refresh_from_db()
    assert not article.is_public
