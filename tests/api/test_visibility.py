"""Drafts, articles in review, archived and scheduled articles never reach an API response
(list, detail, search, related, the name listings); a key with read:scheduled adds the
scheduled ones and nothing else."""

import pytest

from tests.api.conftest import ids
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_list_shows_public_articles_only(client, newsroom):
    response = client.get("/api/v1/articles/")
    assert response.status_code == 200
    assert ids(response) == {newsroom["public"].pk}


@pytest.mark.parametrize("label", ["draft", "review", "archived", "scheduled"])
def test_hidden_article_detail_is_404(client, newsroom, label):
    article = newsroom["hidden"][label]
    assert client.get(f"/api/v1/articles/{article.pk}/").status_code == 404
    assert client.get(f"/api/v1/articles/{article.pk}/related/").status_code == 404
    ninjs = client.get(f"/api/v1/articles/{article.pk}/", HTTP_ACCEPT="application/ninjs+json")
    assert ninjs.status_code == 404


def test_search_finds_public_articles_only(client, newsroom):
    response = client.get("/api/v1/search/", {"q": "الموازنة"})
    assert response.status_code == 200
    assert ids(response) == {newsroom["public"].pk}


def test_related_lists_public_articles_only(client, newsroom):
    other = make_article("الموازنة والعجز", tags=["موازنة"])
    response = client.get(f"/api/v1/articles/{newsroom['public'].pk}/related/")
    assert response.status_code == 200
    assert [card["id"] for card in response.json()] == [other.pk]


@pytest.mark.parametrize(
    ("path", "visible", "secret"),
    [
        ("tags", "موازنة", "secret-"),
        ("authors", "salma", "writer-"),
        ("sources", "agencies", "source-"),
    ],
)
def test_names_only_on_hidden_articles_are_not_listed(client, newsroom, path, visible, secret):
    slugs = [item["slug"] for item in client.get(f"/api/v1/{path}/").json()["results"]]
    assert visible in slugs
    assert not [slug for slug in slugs if slug.startswith(secret)]
    for label in newsroom["hidden"]:
        assert client.get(f"/api/v1/{path}/{secret}{label}/").status_code == 404


def test_nothing_hidden_leaks_into_any_body(client, newsroom):
    public = newsroom["public"]
    paths = [
        "/api/v1/articles/",
        f"/api/v1/articles/{public.pk}/",
        f"/api/v1/articles/{public.pk}/related/",
        "/api/v1/search/?q=الموازنة",
        "/api/v1/tags/",
        "/api/v1/authors/",
        "/api/v1/sources/",
        "/api/v1/articles/?format=ninjs",
    ]
    for path in paths:
        text = client.get(path).content.decode()
        assert "سرا" not in text and "secret-" not in text, path


def test_key_with_scope_reads_scheduled_but_never_drafts(client, newsroom, scheduled_key):
    scheduled = newsroom["hidden"]["scheduled"]
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {scheduled_key}"}
    listed = client.get("/api/v1/articles/", **headers)
    assert ids(listed) == {newsroom["public"].pk, scheduled.pk}
    detail = client.get(f"/api/v1/articles/{scheduled.pk}/", **headers).json()
    assert detail["embargoed_until"] is not None
    ninjs = client.get(f"/api/v1/articles/{scheduled.pk}/?format=ninjs", **headers).json()
    assert "embargoed" in ninjs
    for label in ("draft", "review", "archived"):
        article = newsroom["hidden"][label]
        assert client.get(f"/api/v1/articles/{article.pk}/", **headers).status_code == 404
    tags = [t["slug"] for t in client.get("/api/v1/tags/", **headers).json()["results"]]
    assert "secret-scheduled" in tags and "secret-draft" not in tags


def test_key_without_scope_reads_public_only(client, newsroom, plain_key):
    listed = client.get("/api/v1/articles/", HTTP_X_API_KEY=plain_key)
    assert ids(listed) == {newsroom["public"].pk}
    scheduled = newsroom["hidden"]["scheduled"]
    response = client.get(f"/api/v1/articles/{scheduled.pk}/", HTTP_X_API_KEY=plain_key)
    assert response.status_code == 404
