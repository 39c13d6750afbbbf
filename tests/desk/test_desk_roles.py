"""Roles on the desk, enforced on the server: a reporter files and submits drafts and can never
publish, whatever the browser posts; editors publish; the chief also manages sections."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, StatusChange
from tests.desk_forms import change_form_data, make_member
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ADD_URL = "admin:articles_article_add"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_roles_are_groups_with_arabic_names():
    groups = {group.name: group for group in Group.objects.all()}
    assert {"مراسل", "محرر", "رئيس التحرير"} <= set(groups)
    perms = {
        name: set(groups[name].permissions.values_list("codename", flat=True))
        for name in ("مراسل", "محرر", "رئيس التحرير")
    }
    assert "publish_article" not in perms["مراسل"]
    assert "add_article" in perms["مراسل"]
    assert {"publish_article", "change_any_article"} <= perms["محرر"]
    assert "change_section" not in perms["محرر"]
    assert {"change_section", "change_source", "change_tag"} <= perms["رئيس التحرير"]


def test_reporter_files_a_draft_and_is_its_author(reporter_client, reporter):
    url = reverse(ADD_URL)
    data = change_form_data(reporter_client.get(url), title_ar="مسودة مراسل", slug="draft-1")
    response = reporter_client.post(url, data)
    assert response.status_code == 302
    article = Article.objects.get(slug="draft-1")
    assert article.status == Article.Status.DRAFT
    assert article.created_by == reporter


def test_reporter_is_not_offered_publishing(reporter_client):
    form = reporter_client.get(reverse(ADD_URL)).context["adminform"].form
    assert [value for value, _ in form.fields["status"].choices] == ["draft", "review"]
    assert "published_at" not in form.fields


def test_reporters_forged_post_to_publish_a_new_article_is_refused(reporter_client):
    url = reverse(ADD_URL)
    data = change_form_data(
        reporter_client.get(url), title_ar="تسريب", slug="forged-new", status="published"
    )
    data["published_at_0"] = timezone.now().date().isoformat()
    data["published_at_1"] = "08:00:00"
    response = reporter_client.post(url, data)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Article.objects.filter(slug="forged-new").exists()
    assert not Article.objects.published().exists()


def test_reporters_forged_post_to_publish_own_draft_is_refused(reporter_client, reporter):
    draft = make_article("مسودتي", status=Article.Status.DRAFT, created_by=reporter)
    data = change_form_data(reporter_client.get(change_url(draft)), status="published")
    response = reporter_client.post(change_url(draft), data)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at is None
    assert not StatusChange.objects.filter(to_status="published").exists()


def test_reporters_forged_bulk_publish_action_does_nothing(reporter_client, reporter):
    draft = make_article("مسودتي", status=Article.Status.DRAFT, created_by=reporter)
    reporter_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_reporter_submits_own_draft_for_review_then_can_no_longer_edit_it(
    reporter_client, reporter
):
    draft = make_article("مسودتي", status=Article.Status.DRAFT, created_by=reporter)
    data = change_form_data(reporter_client.get(change_url(draft)), status="review")
    assert reporter_client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.REVIEW
    move = StatusChange.objects.get(article=draft)
    assert (move.from_status, move.to_status, move.changed_by) == ("draft", "review", reporter)

    data["title_ar"] = "تعديل بعد الإرسال"
    data["expected_version"] = str(draft.version)
    assert reporter_client.post(change_url(draft), data).status_code == 403
    draft.refresh_from_db()
    assert draft.title_ar == "مسودتي"


def test_reporter_cannot_see_or_change_a_colleagues_article(reporter_client, django_user_model):
    colleague = make_member(django_user_model, "huda", "reporter")
    theirs = make_article("مسودة زميلة", status=Article.Status.DRAFT, created_by=colleague)
    changelist = reporter_client.get(reverse("admin:articles_article_changelist"))
    assert "مسودة زميلة" not in changelist.content.decode()
    response = reporter_client.post(change_url(theirs), {"title_ar": "اختراق", "status": "draft"})
    assert response.status_code == 302  # "does not exist": back to the desk's index
    theirs.refresh_from_db()
    assert theirs.title_ar == "مسودة زميلة"


def test_editor_edits_any_article_and_schedules_it(client, django_user_model, reporter):
    editor = make_member(django_user_model, "mona", "editor")
    client.force_login(editor)
    draft = make_article("خبر للجدولة", status=Article.Status.REVIEW, created_by=reporter)
    at = timezone.localtime() + datetime.timedelta(days=1)
    data = change_form_data(
        client.get(change_url(draft)),
        status="published",
        published_at_0=at.date().isoformat(),
        published_at_1=at.strftime("%H:%M:%S"),
    )
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at > timezone.now()
    assert not Article.objects.published().filter(pk=draft.pk).exists()
    assert "خبر للجدولة" not in client.get(reverse("articles:home")).content.decode()
    scheduled = client.get(reverse("admin:articles_article_changelist") + "?queue=scheduled")
    assert "خبر للجدولة" in scheduled.content.decode()


def test_only_the_chief_manages_sections(client, django_user_model):
    editor = make_member(django_user_model, "mona", "editor")
    chief = make_member(django_user_model, "rania", "chief")
    client.force_login(editor)
    assert client.get(reverse("admin:articles_section_add")).status_code == 403
    assert client.get(reverse("admin:taggit_tag_add")).status_code == 403
    client.force_login(chief)
    assert client.get(reverse("admin:articles_section_add")).status_code == 200
    assert client.get(reverse("admin:taggit_tag_add")).status_code == 200
    assert client.get(reverse("admin:articles_source_add")).status_code == 200


def test_demo_editor_account_is_an_editor_not_a_superuser(django_user_model):
    from django.core.management import call_command

    call_command("ensure_editor", stdout=open("/dev/null", "w"))  # noqa: SIM115
    editor = django_user_model.objects.get(username="editor")
    assert not editor.is_superuser and editor.is_staff
    assert list(editor.groups.values_list("name", flat=True)) == ["محرر"]
    assert editor.has_perm("articles.publish_article")
    chief = django_user_model.objects.get(username="chief")
    assert chief.has_perm("articles.change_section")
    reporter = django_user_model.objects.get(username="reporter")
    assert not reporter.has_perm("articles.publish_article")
