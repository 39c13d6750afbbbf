"""Nothing lost between two editors: a save based on an older version is refused with a clear
Arabic message, and the refused editor's text stays on screen."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.desk_forms import change_form_data, make_member
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(django_user_model):
    first, second = Client(), Client()
    first.force_login(make_member(django_user_model, "mona", "editor"))
    second.force_login(make_member(django_user_model, "karim", "editor"))
    return first, second


def test_second_editors_stale_save_is_refused_and_their_text_kept(two_editors):
    mona, karim = two_editors
    article = make_article("خبر مشترك", status=Article.Status.DRAFT, body="<p>الأصل</p>")
    url = reverse("admin:articles_article_change", args=[article.pk])
    monas_page, karims_page = mona.get(url), karim.get(url)

    first = mona.post(url, change_form_data(monas_page, body_ar="<p>نص منى المحفوظ</p>"))
    assert first.status_code == 302

    refused = karim.post(url, change_form_data(karims_page, body_ar="<p>نص كريم الذي لم يحفظ</p>"))
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "حفظ mona هذه المقالة في" in html
    assert "لم تُحفظ تعديلاتك، وهي ما زالت أدناه" in html
    assert "نص كريم الذي لم يحفظ" in html  # still in the editor, not lost
    article.refresh_from_db()
    assert article.body_ar == "<p>نص منى المحفوظ</p>"
    assert article.version == 2


def test_saves_in_turn_both_succeed(two_editors):
    mona, karim = two_editors
    article = make_article("خبر مشترك", status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert mona.post(url, change_form_data(mona.get(url), title_ar="أولى")).status_code == 302
    assert karim.post(url, change_form_data(karim.get(url), title_ar="ثانية")).status_code == 302
    article.refresh_from_db()
    assert (article.title_ar, article.version) == ("ثانية", 3)


def test_a_post_without_a_version_is_refused(two_editors):
    mona, _ = two_editors
    article = make_article("خبر", status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(mona.get(url), title_ar="بلا رقم نسخة")
    del data["expected_version"]
    assert mona.post(url, data).status_code == 200
    article.refresh_from_db()
    assert article.title_ar == "خبر"


def test_a_bulk_publish_in_between_also_makes_an_open_form_stale(two_editors):
    mona, karim = two_editors
    article = make_article("خبر", status=Article.Status.REVIEW)
    url = reverse("admin:articles_article_change", args=[article.pk])
    karims_page = karim.get(url)
    mona.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk]},
    )
    refused = karim.post(url, change_form_data(karims_page, status="draft"))
    assert refused.status_code == 200
    article.refresh_from_db()
    assert article.is_public
