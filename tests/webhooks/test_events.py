"""Which changes become webhook events, with what payload: written in the change's own
transaction, nothing unpublished ever in a payload."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from articles import actions
from articles.models import Article
from articles.webhooks.models import EventType, WebhookDelivery, WebhookEvent
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:9/hook"


def events():
    return list(WebhookEvent.objects.order_by("created_at").values_list("type", "payload"))


def test_publishing_records_one_event_with_the_public_representation(subscribe):
    subscribe(URL)
    section = make_section("اقتصاد", slug="economy")
    article = make_article("الذهب يرتفع", status=Article.Status.DRAFT, section=section)
    assert events() == []
    with transaction.atomic():
        article.status = Article.Status.PUBLISHED
        article.save()
        article.tags.add("ذهب")
    [(kind, payload)] = events()
    assert kind == EventType.PUBLISHED
    assert payload["id"] == article.pk
    assert payload["headline"] == {"ar": "الذهب يرتفع", "en": None}
    assert payload["section"] == {"slug": "economy", "name": {"ar": "اقتصاد", "en": None}}
    assert payload["tags"] == ["ذهب"]  # the tags set after the save, same transaction
    assert payload["url"].endswith(article.get_absolute_url())
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.PENDING


def test_edits_of_a_public_article_are_updates_and_unpublishing_names_only_the_id(subscribe):
    subscribe(URL)
    article = make_article("خبر عام")
    WebhookEvent.objects.all().delete()
    article.title_ar = "خبر عام معدّل"
    article.save()
    [(kind, updated)] = events()
    assert kind == EventType.UPDATED
    assert updated["headline"]["ar"] == "خبر عام معدّل"
    article.status = Article.Status.DRAFT
    article.title_ar = "عنوان سري لم ينشر"
    article.save()
    # Same transaction (the test's): the update is replaced by the net change.
    assert events() == [(EventType.UNPUBLISHED, {"id": article.pk})]


def test_drafts_scheduled_articles_and_their_edits_produce_nothing(subscribe):
    subscribe(URL)
    draft = make_article("مسودة سرية", status=Article.Status.DRAFT)
    draft.title_ar = "مسودة معدلة"
    draft.save()
    draft.tags.add("سر")
    later = timezone.now() + datetime.timedelta(hours=3)
    scheduled = make_article("خبر مجدول", published_at=later)
    scheduled.summary_ar = "ملخص"
    scheduled.save()
    Article.objects.filter(pk=draft.pk).delete()
    Article.objects.filter(pk=scheduled.pk).delete()
    assert events() == []
    assert WebhookDelivery.objects.count() == 0


def test_deleting_a_public_article_is_announced_with_its_id_only(subscribe):
    subscribe(URL)
    public, draft = make_article("عام"), make_article("مسودة", status=Article.Status.DRAFT)
    WebhookEvent.objects.all().delete()
    Article.objects.filter(pk__in=[public.pk, draft.pk]).delete()
    assert events() == [(EventType.DELETED, {"id": public.pk})]


def test_published_and_unpublished_in_one_transaction_announces_nothing(subscribe):
    subscribe(URL)
    article = make_article("مسودة", status=Article.Status.DRAFT)
    with transaction.atomic():
        article.status = Article.Status.PUBLISHED
        article.save()
        article.status = Article.Status.DRAFT
        article.save()
    assert events() == []


def test_only_the_chosen_events_of_active_subscriptions_are_recorded(subscribe):
    only_deletes = subscribe(URL, events=[EventType.DELETED])
    subscribe(URL, active=False)
    make_article("عام")
    assert events() == []
    only_deletes.delete()
    make_article("لا أحد يسمع")
    assert WebhookEvent.objects.count() == 0


def test_a_scheduled_article_going_live_is_announced_once(subscribe):
    from articles.webhooks.tasks import announce_go_lives

    subscribe(URL)
    article = make_article("مجدول", published_at=timezone.now() + datetime.timedelta(hours=1))
    # Time passes (QuerySet.update: no write path, as when the clock reaches published_at).
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now())
    make_article("نشر مباشر")  # announced when saved, not again by the sweep
    assert announce_go_lives() == 1
    assert announce_go_lives() == 0
    kinds = [kind for kind, _payload in events()]
    assert kinds == [EventType.PUBLISHED, EventType.PUBLISHED]


def test_bulk_imported_published_articles_are_announced(subscribe):
    subscribe(URL)
    article = make_article("وارد", status=Article.Status.DRAFT)
    WebhookEvent.objects.all().delete()
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    actions.articles_imported([article.pk], published=True)
    assert [kind for kind, _payload in events()] == [EventType.PUBLISHED]
