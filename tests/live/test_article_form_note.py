"""The article form's note for readers: a correction saved with the change it explains, in the
same revision; a spelling fix needs none; a half-filled note is refused in Arabic, nothing
saved. And an editor's open article form is not made stale by entries posted meanwhile."""

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.live import actions
from articles.live.models import Correction
from articles.models import Article
from tests.desk_forms import change_form_data, make_member
from tests.factories import make_article
from tests.live.conftest import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def mona(django_user_model):
    client = Client()
    client.force_login(make_member(django_user_model, "mona", "editor"))
    return client


def test_a_correction_is_saved_with_the_fix_in_one_revision(mona):
    article = make_article("الوزير يزور القاهرة", body="<p>وصل الوزير يوم الإثنين.</p>")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(
        mona.get(url),
        body_ar="<p>وصل الوزير يوم الثلاثاء.</p>",
        note_kind="correction",
        note_text="ذكرت نسخة سابقة أن الزيارة يوم الإثنين، والصحيح الثلاثاء.",
    )
    assert mona.post(url, data).status_code == 302
    note = Correction.objects.get(article=article)
    assert note.kind == "correction"
    [version] = Version.objects.get_for_object(note)
    article_version = Version.objects.get_for_object(article).get(revision=version.revision)
    assert "الثلاثاء" in article_version.field_dict["body_ar"]
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "والصحيح الثلاثاء" in page and 'class="article__updated"' in page


def test_a_spelling_fix_needs_no_note(mona):
    article = make_article("خبر", body="<p>نص فيه خطا</p>")
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert (
        mona.post(url, change_form_data(mona.get(url), body_ar="<p>نص فيه خطأ</p>")).status_code
        == 302
    )
    assert not Correction.objects.exists()


def test_a_correction_without_its_text_is_refused_and_nothing_saved(mona):
    article = make_article("خبر", body="<p>الأصل</p>")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(mona.get(url), body_ar="<p>المعدل</p>", note_kind="correction")
    response = mona.post(url, data)
    assert response.status_code == 200
    assert "اكتب الملاحظة التي سيراها القراء" in response.content.decode()
    assert Article.objects.get(pk=article.pk).body_ar == "<p>الأصل</p>"
    assert not Correction.objects.exists()


def test_entries_posted_meanwhile_do_not_make_the_open_form_stale(mona, editor):
    article = make_article("تغطية", body="<p>الأصل</p>")
    actions.start_coverage(article, editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    opened = mona.get(url)
    post(article, editor, "<p>مدخل من زميل</p>")
    post(article, editor, "<p>مدخل ثان</p>")
    response = mona.post(url, change_form_data(opened, body_ar="<p>مقدمة محدثة</p>"))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).body_ar == "<p>مقدمة محدثة</p>"
