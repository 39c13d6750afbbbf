"""Invalidation by dependency: an edit retires the pages that show what changed, and leaves
every other cached page cached (newsroom/page_dependencies.py)."""

import datetime

import pytest
from django.utils import timezone

from articles import actions
from articles.models import Article
from tests.factories import link, make_article

pytestmark = pytest.mark.django_db


def served_from_cache(client, path, django_assert_num_queries) -> bool:
    """Whether the page comes from the page cache (no query at all) rather than the view."""
    try:
        with django_assert_num_queries(0):
            client.get(path)
    except AssertionError:
        return False
    return True


def test_an_edit_leaves_other_article_pages_cached_and_retires_its_own(
    client, django_assert_num_queries
):
    edited = make_article("خبر سيعدل")
    other = make_article("خبر لا علاقة له")
    for article in (edited, other):
        client.get(article.get_absolute_url())
    client.get("/")

    edited.title_ar = "خبر بعد التعديل"
    edited.save()

    assert served_from_cache(client, other.get_absolute_url(), django_assert_num_queries)
    page = client.get(edited.get_absolute_url(), follow=True).content.decode()
    assert "خبر بعد التعديل" in page
    assert "خبر بعد التعديل" in client.get("/").content.decode()  # the listings retire too


def test_an_edit_retires_pages_that_link_to_the_article(client, django_assert_num_queries):
    target = make_article("الخبر المرتبط")
    linking = make_article("خبر فيه رابط")
    link(linking, target=target)
    bystander = make_article("خبر آخر")
    for article in (target, linking, bystander):
        client.get(article.get_absolute_url())

    target.title_ar = "الخبر المرتبط بعنوان جديد"
    target.save()

    assert "الخبر المرتبط بعنوان جديد" in client.get(linking.get_absolute_url()).content.decode()
    assert served_from_cache(client, bystander.get_absolute_url(), django_assert_num_queries)


def test_unpublishing_retires_the_pages_that_list_it_as_related(client, desk_editor):
    shared = ["انتخابات", "برلمان"]
    page = make_article("خبر رئيسي", tags=shared)
    related = make_article("خبر ذو صلة", tags=shared)
    assert "خبر ذو صلة" in client.get(page.get_absolute_url()).content.decode()

    actions.unpublish(related, desk_editor)

    assert "خبر ذو صلة" not in client.get(page.get_absolute_url()).content.decode()
    assert client.get(related.get_absolute_url()).status_code == 404


def test_a_new_link_retires_only_the_linking_page(client, django_assert_num_queries):
    linking = make_article("خبر سيضاف إليه رابط")
    bystander = make_article("خبر آخر")
    for article in (linking, bystander):
        client.get(article.get_absolute_url())
    link(linking, url="https://example.org/report", title="تقرير خارجي")
    assert "تقرير خارجي" in client.get(linking.get_absolute_url()).content.decode()
    assert served_from_cache(client, bystander.get_absolute_url(), django_assert_num_queries)


def test_a_waiting_link_appears_when_its_article_is_published(client):
    waiting = make_article("خبر ينتظر رابطه")
    link(waiting, title="الخبر الذي سيأتي لاحقا")
    assert "الخبر الذي سيأتي لاحقا" not in client.get(waiting.get_absolute_url()).content.decode()
    make_article("الخبر الذي سيأتي لاحقا")
    assert "الخبر الذي سيأتي لاحقا" in client.get(waiting.get_absolute_url()).content.decode()


def test_scheduling_keeps_pages_cached_until_the_go_live(client, django_assert_num_queries):
    other = make_article("خبر قائم")
    client.get(other.get_absolute_url())
    make_article("خبر مجدول", published_at=timezone.now() + datetime.timedelta(hours=1))
    assert served_from_cache(client, other.get_absolute_url(), django_assert_num_queries)
    assert Article.objects.next_go_live() is not None
