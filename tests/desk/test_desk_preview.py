"""Preview: a signed, expiring link shows a draft exactly as readers will see it, to the desk
only; to everyone else it is a 404, and drafts appear on no public page."""

import time

import pytest
from django.urls import reverse

from articles.desk import preview
from articles.models import Article
from tests.desk_forms import make_member
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return make_article(
        "مسودة سرية للمعاينة",
        status=Article.Status.DRAFT,
        body="<p>فقرة لم تنشر بعد.</p>",
        summary="ملخص المسودة",
    )


def test_change_form_links_to_the_preview(client, desk_editor, draft):
    client.force_login(desk_editor)
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    link = page.context["preview_url"]
    assert f'href="{link}"' in page.content.decode()
    assert client.get(link).status_code == 200


def test_staff_member_sees_the_draft_as_readers_will(client, desk_editor, draft):
    client.force_login(desk_editor)
    response = client.get(preview.preview_url(draft))
    assert response.status_code == 200
    assert response.templates[0].name == "articles/article_detail.html"
    page = response.content.decode()
    assert "مسودة سرية للمعاينة" in page and "فقرة لم تنشر بعد." in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_anonymous_visitor_gets_404_even_with_a_valid_link(client, draft):
    response = client.get(preview.preview_url(draft))
    assert response.status_code == 404
    assert "مسودة سرية للمعاينة" not in response.content.decode()


def test_logged_in_reader_without_desk_access_gets_404(client, django_user_model, draft):
    client.force_login(django_user_model.objects.create_user("reader", password="x-pass-123"))
    assert client.get(preview.preview_url(draft)).status_code == 404


def test_reporter_cannot_preview_a_colleagues_draft(client, django_user_model, draft):
    client.force_login(make_member(django_user_model, "sami", "reporter"))
    assert client.get(preview.preview_url(draft)).status_code == 404


def test_expired_link_is_404(client, desk_editor, draft, monkeypatch):
    signed_long_ago = time.time() - preview.PREVIEW_MAX_AGE - 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: signed_long_ago)
    url = preview.preview_url(draft)
    monkeypatch.undo()
    client.force_login(desk_editor)
    assert client.get(url).status_code == 404


def test_tampered_or_guessed_link_is_404(client, desk_editor, draft):
    client.force_login(desk_editor)
    token = preview.preview_token(draft)
    other = make_article("مسودة أخرى", status=Article.Status.DRAFT)
    forged = str(other.pk) + token[len(str(draft.pk)) :]
    assert client.get(reverse("articles:preview", args=[forged])).status_code == 404
    assert client.get(reverse("articles:preview", args=[str(draft.pk)])).status_code == 404


def test_draft_never_reaches_public_pages(client, draft):
    public = [
        reverse("articles:home"),
        reverse("articles:feed_latest"),
        "/sitemap.xml",
        "/sitemap-news.xml",
        reverse("articles:search") + "?q=مسودة",
    ]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "مسودة سرية للمعاينة" not in response.content.decode(), url
    assert client.get(draft.get_absolute_url()).status_code == 404
