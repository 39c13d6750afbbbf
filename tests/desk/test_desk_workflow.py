"""The workflow: draft → review → published (now or later) → archived, bulk publish and
unpublish, the review queue, and a record of every move (who, when, from, to)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from articles import actions
from articles.desk import workflow
from articles.models import Article, StatusChange
from tests.desk_forms import change_form_data, make_member
from tests.factories import make_article

Status = Article.Status
CHANGELIST = "admin:articles_article_changelist"


def test_reporter_may_only_submit_a_draft_for_review():
    assert workflow.allowed_statuses(None, can_publish=False) == ["draft", "review"]
    assert workflow.allowed_statuses("draft", can_publish=False) == ["draft", "review"]
    assert workflow.allowed_statuses("review", can_publish=False) == ["review"]
    assert not workflow.is_allowed_move("draft", "published", can_publish=False)
    assert not workflow.is_allowed_move("published", "draft", can_publish=False)


def test_editor_moves_follow_the_workflow():
    assert workflow.allowed_statuses("draft", can_publish=True) == [
        "draft",
        "review",
        "published",
    ]
    assert workflow.allowed_statuses("published", can_publish=True) == [
        "draft",
        "published",
        "archived",
    ]
    assert not workflow.is_allowed_move("draft", "archived", can_publish=True)
    assert workflow.is_allowed_move("archived", "published", can_publish=True)


@pytest.mark.django_db
def test_bulk_publish_makes_articles_live_now_and_records_each_move(
    desk_editor_client, desk_editor
):
    in_review = make_article("بانتظار النشر", status=Status.REVIEW)
    draft = make_article("مسودة جاهزة", status=Status.DRAFT)
    before = timezone.now()
    response = desk_editor_client.post(
        reverse(CHANGELIST),
        {"action": "publish_selected", "_selected_action": [in_review.pk, draft.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "نُشر مقالان." in response.content.decode()  # Arabic, in the dual
    live = Article.objects.published()
    assert set(live) == {in_review, draft}
    moves = StatusChange.objects.filter(to_status="published").order_by("article_id")
    assert [(m.article, m.from_status, m.changed_by) for m in moves] == [
        (in_review, "review", desk_editor),
        (draft, "draft", desk_editor),
    ]
    assert all(m.changed_at >= before for m in moves)
    home = desk_editor_client.get(reverse("articles:home")).content.decode()
    assert "بانتظار النشر" in home and "مسودة جاهزة" in home


@pytest.mark.django_db
def test_bulk_unpublish_takes_articles_off_the_site(desk_editor_client, desk_editor):
    live = make_article("خبر منشور")
    scheduled = make_article("خبر مجدول", published_at=timezone.now() + datetime.timedelta(hours=3))
    response = desk_editor_client.post(
        reverse(CHANGELIST),
        {"action": "unpublish_selected", "_selected_action": [live.pk, scheduled.pk]},
        follow=True,
    )
    assert "سُحب مقالان من النشر." in response.content.decode()
    live.refresh_from_db()
    scheduled.refresh_from_db()
    assert live.status == scheduled.status == Status.DRAFT
    assert not Article.objects.published().exists()
    assert "خبر منشور" not in desk_editor_client.get(reverse("articles:home")).content.decode()
    assert StatusChange.objects.filter(from_status="published", to_status="draft").count() == 2


@pytest.mark.django_db
def test_moves_bump_the_version_and_keep_a_revision(desk_editor):
    from articles.desk import revisions

    article = make_article("خبر", status=Status.REVIEW)
    moved = actions.move(article, Status.PUBLISHED, desk_editor)
    assert moved.version == article.version + 1
    latest = revisions.versions_of(moved).first()
    assert latest.revision.user == desk_editor


@pytest.mark.django_db
def test_reporter_cannot_publish_through_the_workflow_either(django_user_model):
    reporter = make_member(django_user_model, "sami", "reporter")
    draft = make_article("مسودتي", status=Status.DRAFT, created_by=reporter)
    with pytest.raises(PermissionDenied):
        actions.publish_now(draft, reporter)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.mark.django_db
def test_review_queue_lists_only_articles_awaiting_review(desk_editor_client):
    make_article("ينتظر المراجعة", status=Status.REVIEW)
    make_article("مسودة أخرى", status=Status.DRAFT)
    make_article("منشور سابقاً")
    page = desk_editor_client.get(reverse(CHANGELIST) + "?queue=review").content.decode()
    assert "ينتظر المراجعة" in page
    assert "مسودة أخرى" not in page and "منشور سابقاً" not in page


@pytest.mark.django_db
def test_every_move_is_shown_on_the_change_form(desk_editor_client, desk_editor):
    article = make_article("خبر متنقل", status=Status.DRAFT)
    url = reverse("admin:articles_article_change", args=[article.pk])
    for status in ("review", "published", "archived"):
        data = change_form_data(desk_editor_client.get(url), status=status)
        assert desk_editor_client.post(url, data).status_code == 302
    moves = list(article.status_changes.order_by("changed_at", "id"))
    assert [(m.from_status, m.to_status) for m in moves] == [
        ("draft", "review"),
        ("review", "published"),
        ("published", "archived"),
    ]
    log = desk_editor_client.get(url).content.decode()
    start = log.index('class="workflow-log"')
    log = log[start : log.index("</table>", start)]
    assert log.count("<tr>") == 4  # heading and three moves
    assert "mona" in log
    assert "مؤرشف" in log
