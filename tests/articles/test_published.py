import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_published_shows_only_live_articles():
    live = make_article("منشور")
    make_article("مسودة", status=Article.Status.DRAFT)
    make_article("قيد المراجعة", status=Article.Status.REVIEW)
    make_article("مؤرشف", status=Article.Status.ARCHIVED, published_at=timezone.now())
    make_article("مجدول", published_at=timezone.now() + datetime.timedelta(hours=2))

    assert list(Article.objects.published()) == [live]


def test_scheduled_article_goes_live_by_itself_when_its_time_comes():
    article = make_article("مجدول", published_at=timezone.now() + datetime.timedelta(seconds=1))
    assert not Article.objects.published().filter(pk=article.pk).exists()
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_publishing_without_a_time_stamps_now():
    article = make_article("خبر عاجل", published_at=None, hours_ago=0)
    article.refresh_from_db()
    assert article.published_at is not None
    assert article.published_at <= timezone.now()
