"""HTTP behaviour: conditional GET, Cache-Control, rate limits, constant queries per page,
errors as JSON in the caller's language, and hostile parameters answered 4xx."""

import base64
import datetime

import pytest
from django.utils.http import http_date

from newsroom.page_cache import reader_cache_control
from tests.api.conftest import ids
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_anonymous": "3/min", "api_key": "5/min"},
    }


def test_anonymous_answers_cache_like_readers_pages(client, newsroom):
    response = client.get("/api/v1/articles/")
    assert response["Cache-Control"] == reader_cache_control()
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"accept", "accept-language", "authorization", "x-api-key"} <= vary


def test_etag_answers_304(client, newsroom):
    for path in ("/api/v1/articles/", f"/api/v1/articles/{newsroom['public'].pk}/"):
        first = client.get(path)
        again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b""
        assert again["ETag"] == first["ETag"]
        assert again["Cache-Control"] == first["Cache-Control"]


def test_etag_changes_with_language_and_edits(client, newsroom):
    path = f"/api/v1/articles/{newsroom['public'].pk}/"
    arabic = client.get(path)["ETag"]
    assert client.get(path + "?lang=en")["ETag"] != arabic
    article = newsroom["public"]
    article.title = "عنوان جديد"
    article.save()
    assert client.get(path, HTTP_IF_NONE_MATCH=arabic).status_code == 200


def test_last_modified_on_an_article(client, newsroom):
    path = f"/api/v1/articles/{newsroom['public'].pk}/"
    response = client.get(path)
    assert response["Last-Modified"] == http_date(newsroom["public"].updated_at.timestamp())
    later = http_date(newsroom["public"].updated_at.timestamp() + 60)
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=later).status_code == 304


def test_too_many_requests_is_429_with_retry_after(client, newsroom, low_rates, plain_key):
    for _ in range(3):
        assert client.get("/api/v1/articles/").status_code == 200
    refused = client.get("/api/v1/articles/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["error"]["code"] == "throttled"
    assert refused["Cache-Control"] == "no-store"
    # Another address, and a key, have buckets of their own.
    assert client.get("/api/v1/articles/", REMOTE_ADDR="10.1.2.3").status_code == 200
    for _ in range(5):
        assert client.get("/api/v1/tags/", HTTP_X_API_KEY=plain_key).status_code == 200
    assert client.get("/api/v1/tags/", HTTP_X_API_KEY=plain_key).status_code == 429


def _fill(count):
    section = make_section("محليات", slug="local")
    for n in range(count):
        make_article(
            hours_ago=n + 1,
            section=section,
            tags=[f"وسم {n}", "عام"],
            authors=[make_author(f"كاتب {n}", slug=f"w{n}")],
            summary="ملخص",
        )


@pytest.mark.parametrize("count", [2, 12])
def test_list_queries_do_not_grow_with_the_page(client, django_assert_num_queries, count):
    _fill(count)
    # the articles with their authors, tags and credits (articles/page_data.py): one query
    # whatever the page holds
    with django_assert_num_queries(1):
        response = client.get("/api/v1/articles/?page_size=20")
    assert len(response.json()["results"]) == count
    with django_assert_num_queries(1):
        client.get("/api/v1/articles/?format=ninjs")


def test_detail_queries_are_fixed(client, django_assert_num_queries, newsroom, plain_key):
    path = f"/api/v1/articles/{newsroom['public'].pk}/"
    # the article with its authors, tags, credits and read-also links, in one query
    with django_assert_num_queries(1):
        client.get(path)
    with django_assert_num_queries(1):
        client.get(path + "?format=ninjs")
    # a key: its lookup, and the "last used" time (once a minute at most)
    with django_assert_num_queries(3):
        client.get(path, HTTP_X_API_KEY=plain_key)
    with django_assert_num_queries(2):
        client.get(path, HTTP_X_API_KEY=plain_key)


def _cursor(raw: str) -> str:
    return base64.b64encode(raw.encode()).decode()


@pytest.mark.parametrize(
    "query",
    [
        "page_size=1000000000",
        "page_size=0",
        "page_size=-5",
        "page_size=abc",
        "page_size=1e3",
        "cursor=%%%",
        "cursor=" + _cursor("p=not-a-date&r=0"),
        "cursor=" + _cursor("o=-1"),
        "cursor=" + _cursor("p=9999999-01-01"),
        "published_since=yesterday",
        "published_since=2025-13-45",
        "updated_since=99999-01-01T00:00:00Z",
        "section=<script>",
        "section=" + "a" * 5000,
        "tag=%00",
        "author=a%00b",
        "lang=xx",
        "format=xml",
    ],
)
def test_hostile_list_parameters_answer_4xx_json(client, newsroom, query):
    response = client.get(f"/api/v1/articles/?{query}")
    assert 400 <= response.status_code < 500, response.content
    assert "error" in response.json()


@pytest.mark.parametrize(
    "query",
    ["", "q=", "q=%00%00", "q=x&page=0", "q=x&page=abc", "q=x&page_size=500", "q=x&section=%00"],
)
def test_hostile_search_parameters_answer_4xx(client, newsroom, query):
    response = client.get(f"/api/v1/search/?{query}")
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


def test_odd_but_harmless_search_answers_200(client, newsroom):
    for q in ("!!!", "و", "x" * 5000, "الموازنة" * 300):
        assert client.get("/api/v1/search/", {"q": q}).status_code == 200
    far = client.get("/api/v1/search/", {"q": "الموازنة", "page": 999})
    assert far.status_code == 200 and far.json()["results"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/articles/abc/",
        "/api/v1/articles/99999999999999999999/",
        "/api/v1/articles/1/nothing/",
        "/api/v1/nothing/",
        "/api/v1/tags/%00/",
    ],
)
def test_unknown_paths_are_json_404(client, newsroom, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_errors_speak_the_callers_language(client, newsroom):
    arabic = client.get("/api/v1/articles/?page_size=0").json()["error"]
    english = client.get("/api/v1/articles/?page_size=0&lang=en").json()["error"]
    assert english["message"] == "Some parameters are not valid."
    assert arabic["message"] != english["message"] and any(
        "\u0600" <= c <= "\u06ff" for c in arabic["message"]
    )
    assert english["fields"]["page_size"] == ["A whole number from 1 to 100."]
    missing = client.get("/api/v1/articles/999999/", HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    assert (
        missing["code"] == "not_found"
        and missing["message"] == "No Article matches the given query."
    )


def test_unsafe_methods_are_refused(client, newsroom):
    for method in (client.post, client.put, client.delete):
        response = method("/api/v1/articles/", {}, content_type="application/json")
        assert response.status_code in (403, 405)


def test_future_since_is_an_empty_page_not_an_error(client, newsroom):
    future = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3)).isoformat()
    response = client.get("/api/v1/articles/", {"published_since": future})
    assert response.status_code == 200 and response.json()["results"] == []


def test_answers_are_never_served_from_the_page_cache(client, newsroom):
    """The page cache keys on the path and `page` only: the API's filters, cursors, languages
    and keys must each get their own answer."""
    assert ids(client.get("/api/v1/articles/?section=economy")) == {newsroom["public"].pk}
    assert ids(client.get("/api/v1/articles/?section=elsewhere")) == set()
    assert client.get("/api/v1/articles/?lang=en").json()["results"][0]["language"] == "en"


def test_head_answers_like_get_without_a_body(client, newsroom):
    got = client.get("/api/v1/articles/")
    head = client.head("/api/v1/articles/")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == got["ETag"]
