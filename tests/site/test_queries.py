"""The article page costs the same number of SQL queries whatever the article carries."""

import pytest

from tests.factories import link, make_article, make_author, make_source

pytestmark = pytest.mark.django_db

# article + authors + tags + sources + read-also links + related articles
# (the section menu comes from the cache once any page has shown it)
ARTICLE_PAGE_QUERIES = 6


def article_with(n):
    targets = [make_article(f"هدف {i}", tags=[f"وسم {i}"]) for i in range(n)]
    article = make_article(
        f"مقال بـ {n} من كل شيء",
        tags=[f"وسم {i}" for i in range(n)],
        sources=[make_source(f"مصدر {i}") for i in range(n)],
        authors=[make_author(f"كاتب {i}") for i in range(n)],
    )
    for i, target in enumerate(targets):
        link(article, target=target, position=i)
    for i in range(n):
        make_article(f"خبر ذو صلة {i}", tags=[f"وسم {i}"])
    return article


@pytest.mark.parametrize("n", [1, 30])
def test_article_page_query_count_is_fixed(client, django_assert_max_num_queries, n):
    article = article_with(n)
    client.get("/")
    with django_assert_max_num_queries(ARTICLE_PAGE_QUERIES) as captured:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["read_also"]) == n
    assert response.content.decode().count('rel="tag"') == n
    assert len(captured.captured_queries) == ARTICLE_PAGE_QUERIES


def test_listing_page_query_count_does_not_grow_with_its_articles(
    client, django_assert_max_num_queries
):
    for i in range(20):
        make_article(f"خبر {i}", tags=["النفط"])
    # tag + count + page of articles + section menu + the most-read lists (cold: the one query
    # that fills their cache, docs/most-read.md)
    with django_assert_max_num_queries(5):
        assert client.get("/tag/النفط/").status_code == 200
