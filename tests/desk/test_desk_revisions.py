"""Revisions: every save from the desk keeps one (with sources, read-also links and tags),
the history shows who and when with a text diff, and restore is one click that itself
becomes a new revision."""

import pytest
from django.urls import reverse

from articles.desk import revisions
from articles.models import Article, ArticleSource, RelatedLink
from tests.desk_forms import change_form_data, make_member
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db


def save(client, article, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, change_form_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    return article


def test_diff_lines_compare_paragraphs():
    lines = revisions.diff_lines("<p>أولى</p><p>ثانية</p>", "<p>أولى</p><p>ثالثة</p>")
    assert [(line.kind, line.text) for line in lines] == [
        ("same", "أولى"),
        ("removed", "ثانية"),
        ("added", "ثالثة"),
    ]
    assert revisions.diff_lines("<p>نص</p>", "<p>نص</p>") == []


def test_every_desk_save_keeps_a_revision_with_inlines_and_tags(desk_editor_client, desk_editor):
    agency = make_source("وكالة الأنباء")
    article = make_article("العنوان الأول", status=Article.Status.DRAFT)
    save(
        desk_editor_client,
        article,
        tags="اقتصاد, نفط",
        **{
            "article_sources-TOTAL_FORMS": "1",
            "article_sources-0-source": str(agency.pk),
            "article_sources-0-position": "0",
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-position": "0",
            "related_links-0-title": "خبر سيأتي",
        },
    )
    save(desk_editor_client, article, title_ar="العنوان الثاني", body_ar="<p>نص جديد</p>")
    versions = list(revisions.versions_of(article))
    # The article as it was before the desk first touched it, then one revision per save.
    assert len(versions) == 3
    assert versions[2].revision.comment == "كما حُفظ أول مرة"
    assert versions[2].field_dict["title_ar"] == "العنوان الأول"
    assert all(v.revision.user == desk_editor for v in versions[:2])
    first = versions[1].revision.version_set.all()
    kept = {v.content_type.model for v in first}
    assert {"article", "articlesource", "relatedlink", "taggeditem", "tag"} <= kept


def test_history_page_shows_who_when_and_the_text_diff(desk_editor_client):
    article = make_article("العنوان الأول", status=Article.Status.DRAFT)
    save(desk_editor_client, article, body_ar="<p>الفقرة الأولى</p>")
    save(desk_editor_client, article, title_ar="العنوان المعدل", body_ar="<p>الفقرة المعدلة</p>")
    page = desk_editor_client.get(reverse("admin:articles_article_revisions", args=[article.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="revision"') == 3  # as first saved, then the two saves
    assert "mona" in html
    assert '<li class="removed">− الفقرة الأولى</li>' in html
    assert '<li class="added">+ الفقرة المعدلة</li>' in html
    assert '<li class="added">+ العنوان المعدل</li>' in html


def test_restore_brings_back_text_sources_links_and_tags_as_a_new_revision(
    desk_editor_client, desk_editor
):
    agency = make_source("وكالة الأنباء")
    article = make_article("الأصل", status=Article.Status.DRAFT, body="<p>النص الأصلي</p>")
    save(
        desk_editor_client,
        article,
        tags="اقتصاد",
        **{
            "article_sources-TOTAL_FORMS": "1",
            "article_sources-0-source": str(agency.pk),
            "article_sources-0-position": "0",
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-position": "0",
            "related_links-0-title": "خبر سيأتي",
        },
    )
    original = revisions.versions_of(article).first()
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(
        desk_editor_client.get(url), title_ar="تعديل خاطئ", body_ar="<p>نص خاطئ</p>", tags="رياضة"
    )
    data["article_sources-0-DELETE"] = "on"
    data["related_links-0-DELETE"] = "on"
    assert desk_editor_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.title_ar == "تعديل خاطئ"
    assert not ArticleSource.objects.filter(article=article).exists()
    version_before_restore = article.version

    restore = reverse("admin:articles_article_restore", args=[article.pk, original.pk])
    assert desk_editor_client.get(restore).status_code == 405  # one click, but a POST
    assert desk_editor_client.post(restore).status_code == 302

    article.refresh_from_db()
    assert article.title_ar == "الأصل"
    assert article.body_ar == "<p>النص الأصلي</p>"
    assert [t.name for t in article.tags.all()] == ["اقتصاد"]
    assert list(ArticleSource.objects.filter(article=article).values_list("source", flat=True)) == [
        agency.pk
    ]
    assert RelatedLink.objects.get(article=article).title == "خبر سيأتي"
    assert article.version == version_before_restore + 1
    newest = revisions.versions_of(article).first()
    assert revisions.versions_of(article).count() == 4  # as first saved, two saves, the restore
    assert newest.revision.user == desk_editor
    assert newest.field_dict["title_ar"] == "الأصل"


def test_restore_never_changes_publication(desk_editor_client):
    article = make_article("مسودة", status=Article.Status.DRAFT)
    save(desk_editor_client, article)
    draft_version = revisions.versions_of(article).first()
    save(desk_editor_client, article, title_ar="منشور", status="published")
    assert article.is_public
    desk_editor_client.post(
        reverse("admin:articles_article_restore", args=[article.pk, draft_version.pk])
    )
    article.refresh_from_db()
    assert article.title_ar == "مسودة"
    assert article.is_public


def test_reporter_cannot_restore_an_article_in_review(client, django_user_model):
    reporter = make_member(django_user_model, "sami", "reporter")
    client.force_login(reporter)
    article = make_article("مسودتي", status=Article.Status.DRAFT, created_by=reporter)
    save(client, article, title_ar="مسودتي المعدلة")
    first = revisions.versions_of(article).first()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.REVIEW)
    response = client.post(reverse("admin:articles_article_restore", args=[article.pk, first.pk]))
    assert response.status_code == 403


def test_the_wire_text_as_it_arrived_is_kept_and_can_be_restored(desk_editor_client, desk_editor):
    from articles.wire.importer import WireImporter

    wire = "\n\n".join(
        (
            "الحكومة تقر موازنة العام المقبل",
            "وكالات- مصدر الإخبارية:",
            "أقرت الحكومة اليوم مشروع موازنة العام المقبل.",
            "اقرأ ايضاً: البرلمان يناقش الموازنة",
        )
    )
    result = WireImporter(user=desk_editor, tags=["اقتصاد"]).import_bytes(wire.encode())
    article = Article.objects.get(pk=result.article_id)
    assert not revisions.versions_of(article).exists()  # imports stay fast

    # The desk's first change keeps the text as it arrived, then the change.
    save(desk_editor_client, article, title_ar="عنوان المحرر", body_ar="<p>نص المحرر</p>")
    article.refresh_from_db()
    assert article.title_ar == "عنوان المحرر"
    latest, first = revisions.versions_of(article)
    assert first.revision.comment == "كما ورد في برقية الوكالة"
    assert first.revision.user == desk_editor
    assert first.field_dict["title_ar"] == "الحكومة تقر موازنة العام المقبل"
    assert latest.field_dict["title_ar"] == "عنوان المحرر"
    # A second change adds one revision, not another "as imported".
    save(desk_editor_client, article, title_ar="عنوان المحرر الثاني")
    assert revisions.versions_of(article).count() == 3

    restore = reverse("admin:articles_article_restore", args=[article.pk, first.pk])
    assert desk_editor_client.post(restore).status_code == 302
    article.refresh_from_db()
    assert article.title_ar == "الحكومة تقر موازنة العام المقبل"
    assert "أقرت الحكومة اليوم مشروع موازنة العام المقبل." in article.body_ar
    credits = article.article_sources.order_by("position")
    assert [credit.source.name for credit in credits] == ["وكالات", "مصدر الإخبارية"]
    assert [t.name for t in article.tags.all()] == ["اقتصاد"]
    assert RelatedLink.objects.get(article=article).title == "البرلمان يناقش الموازنة"
