"""The desk's side doors: what a desk member may not see stays unseen through read-also targets,
the admin's "view on site" redirect, the wire import preview and forged forms."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, RelatedLink
from tests.desk_forms import change_form_data, make_member
from tests.factories import make_article, make_author
from tests.wire_forms import URL as WIRE_URL
from tests.wire_forms import confirm_fields, preview, text_of

pytestmark = pytest.mark.django_db

SECRET = "مسودة زميل عن صفقة لم تعلن بعد"


@pytest.fixture
def colleagues_draft(django_user_model):
    colleague = make_member(django_user_model, "huda", "reporter")
    return make_article(SECRET, status=Article.Status.DRAFT, created_by=colleague)


def own_draft(reporter):
    return make_article("مسودتي", status=Article.Status.DRAFT, created_by=reporter)


def post_with_target(client, article, target_pk):
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client.get(url))
    data.update(
        {
            "related_links-TOTAL_FORMS": "1",
            "related_links-INITIAL_FORMS": "0",
            "related_links-0-position": "0",
            "related_links-0-target": str(target_pk),
            "related_links-0-url": "",
            "related_links-0-title": "",
        }
    )
    return client.post(url, data)


# --- 1. read-also targets ---------------------------------------------------------------------


def test_a_reporter_cannot_read_a_colleagues_headline_through_a_read_also_target(
    reporter_client, reporter, colleagues_draft
):
    article = own_draft(reporter)
    response = post_with_target(reporter_client, article, colleagues_draft.pk)
    assert SECRET not in response.content.decode()
    assert not RelatedLink.objects.filter(target=colleagues_draft).exists()


def test_a_reporter_cannot_name_a_scheduled_article_as_a_target(reporter_client, reporter):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    scheduled = make_article("خبر مجدول للغد", published_at=tomorrow)
    article = own_draft(reporter)
    response = post_with_target(reporter_client, article, scheduled.pk)
    assert "خبر مجدول للغد" not in response.content.decode()
    assert not RelatedLink.objects.filter(target=scheduled).exists()


def test_a_reporter_still_links_to_their_own_article(reporter_client, reporter):
    mine = make_article("تقريري السابق", status=Article.Status.DRAFT, created_by=reporter)
    article = own_draft(reporter)
    response = post_with_target(reporter_client, article, mine.pk)
    assert response.status_code == 302
    assert RelatedLink.objects.filter(article=article, target=mine).exists()


def test_an_editor_links_to_any_article(client, django_user_model, colleagues_draft):
    editor = make_member(django_user_model, "mona", "editor")
    client.force_login(editor)
    article = make_article("خبر المحرر", created_by=editor)
    assert post_with_target(client, article, colleagues_draft.pk).status_code == 302
    assert RelatedLink.objects.filter(article=article, target=colleagues_draft).exists()


# --- 2. the admin's "view on site" redirect ---------------------------------------------------


def view_on_site(article):
    content_type = ContentType.objects.get_for_model(Article)
    return reverse("admin:view_on_site", args=[content_type.pk, article.pk])


def test_view_on_site_does_not_reveal_a_drafts_url_to_a_colleague(
    reporter_client, colleagues_draft
):
    response = reporter_client.get(view_on_site(colleagues_draft))
    assert response.status_code == 404
    assert colleagues_draft.slug not in response.get("Location", "")


def test_view_on_site_needs_no_permission_to_refuse(client, django_user_model, colleagues_draft):
    staff = django_user_model.objects.create_user("guest", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get(view_on_site(colleagues_draft)).status_code == 404


def test_view_on_site_still_leads_to_public_articles_and_own_drafts(reporter_client, reporter):
    public = make_article("خبر منشور")
    response = reporter_client.get(view_on_site(public))
    assert response.status_code == 302
    assert response["Location"].endswith(public.get_absolute_url())
    mine = own_draft(reporter)
    assert reporter_client.get(view_on_site(mine)).status_code == 302


# --- 7. the wire import preview ---------------------------------------------------------------

STORY = """خبر من الوكالة اليوم

عمّان - بترا:

قالت الحكومة اليوم إنها ستعلن الخطة قريباً.

اقرأ أيضاً: مسودة زميل عن صفقة لم تعلن بعد
"""


@pytest.fixture
def importing_reporter(reporter):
    reporter.user_permissions.add(
        Permission.objects.get(codename="add_article", content_type__app_label="articles")
    )
    return reporter


def test_the_wire_preview_does_not_link_or_open_a_colleagues_draft(
    client, importing_reporter, colleagues_draft
):
    client.force_login(importing_reporter)
    response = preview(client, text=STORY)
    assert response.status_code == 200
    page = response.content.decode()
    change_url = reverse("admin:articles_article_change", args=[colleagues_draft.pk])
    assert change_url not in page
    assert "مقالة لزميل" in text_of(response)  # "linked to an article of a colleague"


def test_the_wire_preview_does_not_name_a_colleagues_import(
    client, importing_reporter, django_user_model
):
    colleague = make_member(django_user_model, "huda", "editor")
    client.force_login(colleague)
    fields = confirm_fields(preview(client, text=STORY))
    client.post(WIRE_URL, {**fields, "save": "1"})
    imported = Article.objects.get(title_ar="خبر من الوكالة اليوم")
    client.force_login(importing_reporter)
    response = preview(client, text=STORY)
    page = response.content.decode()
    assert reverse("admin:articles_article_change", args=[imported.pk]) not in page
    assert response.context["previews"][0]["preview"].existing_unseen


# --- 9. a forged confirm step -----------------------------------------------------------------


def test_a_deeply_nested_forged_confirm_step_is_a_clear_error(editor_client):
    deep = "[" * 5000 + "]" * 5000
    response = editor_client.post(
        WIRE_URL, {"labels": deep, "texts": deep, "save": "1"}, follow=True
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Article.objects.count() == 0


# --- 10. linking an author to a desk account --------------------------------------------------


def test_a_chief_editor_links_an_author_to_a_desk_account(client, django_user_model):
    chief = make_member(django_user_model, "rasha", "chief")
    writer = make_member(django_user_model, "nour", "reporter")
    client.force_login(chief)
    author = make_author("نور الهدى")
    url = reverse("admin:articles_author_change", args=[author.pk])
    form = client.get(url)
    assert form.status_code == 200
    # The desk accounts are offered in the page itself (the user autocomplete answered 403).
    assert f'<option value="{writer.pk}">{writer.get_username()}</option>' in form.content.decode()
    data = change_form_data(form, user=str(writer.pk))
    assert client.post(url, data).status_code == 302
    author.refresh_from_db()
    assert author.user == writer


def test_signing_in_with_an_off_site_next_lands_on_the_desk(client, django_user_model):
    make_member(django_user_model, "mona", "editor")
    response = client.post(
        reverse("admin:login") + "?next=https://evil.example/",
        {"username": "mona", "password": "pass-for-tests-1", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
