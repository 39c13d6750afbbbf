"""The article page costs the same number of SQL queries whatever the article carries."""

import pytest

from articles.site.views import HOME_LATEST
from tests.factories import link, make_article, make_author, make_section, make_source

pytestmark = pytest.mark.django_db

# the article with its authors, tags, sources and read-also links (one query:
# articles/page_data.py) + related articles (the section menu comes from the cache once any
# page has shown it). It was 6 before the relations came as JSON.
ARTICLE_PAGE_QUERIES = 2


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


@pytest.mark.parametrize("sections", [2, 8])
def test_home_page_query_count_does_not_grow_with_the_sections(
    client, django_assert_num_queries, sections
):
    for s in range(sections):
        section = make_section(f"قسم {s}", slug=f"section-{s}")
        for i in range(HOME_LATEST // 2 + 2):  # more than the latest block takes
            make_article(f"خبر {s}-{i}", section=section, breaking=(i == 0), hours_ago=s + i)
    client.get("/en/")  # the section menu is cached once any page has shown it
    # breaking ticker + latest + every section's newest (one UNION ALL)
    with django_assert_num_queries(3):
        response = client.get("/")
    html = response.content.decode()
    assert html.count('class="by-section"') == sections
    for s in range(sections):
        assert f"قسم {s}" in html
