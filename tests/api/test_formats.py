"""JSON by default, IPTC ninjs 2.0 on request (validated against tests/api's schema written
from the standard); both languages; sanitised HTML with plain text; image renditions."""

import datetime
import json
from pathlib import Path
from urllib.parse import unquote

import pytest
from jsonschema import Draft7Validator

from articles.media.images import make_renditions
from tests.api.conftest import ids
from tests.factories import make_article, stored_jpeg

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "ninjs-2.0-subset.schema.json").read_text())
NINJS = "application/ninjs+json"


def assert_ninjs(item):
    Draft7Validator.check_schema(SCHEMA)
    errors = sorted(Draft7Validator(SCHEMA).iter_errors(item), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    for name in ("firstcreated", "versioncreated", "embargoed"):
        if name in item:
            datetime.datetime.fromisoformat(item[name])
    uris = [item["uri"], *(s["uri"] for s in item.get("subjects", []))]
    for association in item.get("associations", []):
        uris += [association["uri"], *(r["href"] for r in association["renditions"])]
    for uri in uris:
        assert uri.startswith(("http://", "https://")) and uri.isascii(), uri


@pytest.fixture
def illustrated(newsroom, public_site):
    article = newsroom["public"]
    article.lead_image = stored_jpeg()
    article.lead_image_caption = "قاعة البرلمان"
    article.lead_image_credit = "وكالات"
    article.breaking = True
    article.save()
    return article


def test_json_by_default_with_sanitised_html_and_text(client, newsroom):
    response = client.get(f"/api/v1/articles/{newsroom['public'].pk}/")
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert "<script>" not in body["body_html"] and "<strong>الخبر</strong>" in body["body_html"]
    assert body["body_text"] == "نص الخبر الأول"
    assert body["section"]["slug"] == "economy"
    assert [a["slug"] for a in body["authors"]] == ["salma"]
    assert [s["slug"] for s in body["sources"]] == ["agencies"]
    assert {t["name"] for t in body["tags"]} == {"موازنة", "اقتصاد"}
    assert body["language"] == "ar"
    assert unquote(body["url"]).endswith(f"/news/{body['id']}/{body['slug']}/")


@pytest.mark.parametrize(
    ("request_kwargs", "path_suffix"),
    [({"HTTP_ACCEPT": NINJS}, "/"), ({}, "/?format=ninjs"), ({}, ".ninjs")],
)
def test_ninjs_on_request(client, illustrated, request_kwargs, path_suffix):
    response = client.get(f"/api/v1/articles/{illustrated.pk}{path_suffix}", **request_kwargs)
    assert response.status_code == 200
    assert response["Content-Type"] == NINJS
    item = response.json()
    assert_ninjs(item)
    assert item["type"] == "text" and item["pubstatus"] == "usable"
    assert item["headlines"][0]["value"] == "الحكومة تقر الموازنة"
    html, text = item["bodies"]
    assert html["contenttype"] == "text/html" and "<script>" not in html["value"]
    assert text["contenttype"] == "text/plain" and text["wordcount"] == 3
    assert item["by"] == "سلمى حداد"
    assert {s["rel"] for s in item["subjects"]} == {"section", "tag"}
    picture = item["associations"][0]
    assert picture["type"] == "picture" and picture["descriptions"][0]["value"] == "قاعة البرلمان"
    manifest = make_renditions(illustrated.lead_image.name)
    widths = {w for w, _h, _p in manifest["renditions"]["jpg"]}
    assert {r["width"] for r in picture["renditions"]} == widths
    assert all(r["sizeinbytes"] > 0 for r in picture["renditions"])
    assert item["urgency"] == 1


def test_ninjs_list_search_and_related_items_validate(client, illustrated):
    make_article("الموازنة والعجز", tags=["موازنة"])
    pages = [
        client.get("/api/v1/articles/", HTTP_ACCEPT=NINJS).json()["results"],
        client.get("/api/v1/search/", {"q": "الموازنة"}, HTTP_ACCEPT=NINJS).json()["results"],
        client.get(f"/api/v1/articles/{illustrated.pk}/related/", HTTP_ACCEPT=NINJS).json(),
    ]
    for items in pages:
        assert items
        for item in items:
            assert_ninjs(item)


def test_scheduled_item_is_embargoed_in_ninjs(client, newsroom, scheduled_key):
    scheduled = newsroom["hidden"]["scheduled"]
    response = client.get(
        f"/api/v1/articles/{scheduled.pk}/", HTTP_ACCEPT=NINJS, HTTP_X_API_KEY=scheduled_key
    )
    item = response.json()
    assert_ninjs(item)
    assert datetime.datetime.fromisoformat(item["embargoed"]) == scheduled.published_at


def test_names_have_no_ninjs_form(client, newsroom):
    assert client.get("/api/v1/tags/", HTTP_ACCEPT=NINJS).status_code == 406


def test_image_renditions_in_json(client, illustrated):
    image = client.get(f"/api/v1/articles/{illustrated.pk}/").json()["image"]
    assert image["caption"] == "قاعة البرلمان" and image["credit"] == "وكالات"
    types = {r["type"] for r in image["renditions"]}
    assert types == {"image/webp", "image/jpeg"}
    assert all(r["url"].startswith("https://news.example.org/") for r in image["renditions"])


@pytest.mark.parametrize(
    "request_kwargs",
    [{"data": {"lang": "en"}}, {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}],
)
def test_english_by_lang_or_accept_language(client, newsroom, request_kwargs):
    response = client.get(f"/api/v1/articles/{newsroom['public'].pk}/", **request_kwargs)
    body = response.json()
    assert body["title"] == "Government passes the budget" and body["language"] == "en"
    assert response["Content-Language"] == "en"
    assert "/en/news/" in body["url"]


def test_english_falls_back_to_arabic(client, newsroom):
    untranslated = make_article("خبر بلا ترجمة")
    body = client.get(f"/api/v1/articles/{untranslated.pk}/?lang=en").json()
    assert body["title"] == "خبر بلا ترجمة" and body["language"] == "ar"
    ninjs = client.get(f"/api/v1/articles/{untranslated.pk}/?lang=en&format=ninjs").json()
    assert ninjs["language"] == "ar"


def test_arabic_by_default_and_for_other_languages(client, newsroom):
    for accept in ("", "fr-FR,fr"):
        response = client.get(
            f"/api/v1/articles/{newsroom['public'].pk}/", HTTP_ACCEPT_LANGUAGE=accept
        )
        assert response.json()["title"] == "الحكومة تقر الموازنة"
        assert response["Content-Language"] == "ar"


def test_filters(client, newsroom):
    public = newsroom["public"]
    other = make_article("خبر رياضي", hours_ago=48, tags=["كرة"])
    assert ids(client.get("/api/v1/articles/", {"section": "economy"})) == {public.pk}
    assert ids(client.get("/api/v1/articles/", {"tag": "كرة"})) == {other.pk}
    assert ids(client.get("/api/v1/articles/", {"author": "salma"})) == {public.pk}
    assert ids(client.get("/api/v1/articles/", {"source": "agencies"})) == {public.pk}
    assert ids(client.get("/api/v1/articles/", {"section": "no-such-section"})) == set()
    since = (other.published_at + datetime.timedelta(hours=1)).isoformat()
    assert ids(client.get("/api/v1/articles/", {"published_since": since})) == {public.pk}
    assert ids(client.get("/api/v1/articles/", {"updated_since": "2999-01-01"})) == set()


def test_cursor_pages_walk_every_article_once(client, db):
    made = {make_article(hours_ago=hours).pk for hours in range(1, 8)}
    seen, url, pages = [], "/api/v1/articles/?page_size=3", 0
    while url:
        body = client.get(url).json()
        seen += [item["id"] for item in body["results"]]
        url, pages = body["next"], pages + 1
    assert pages == 3 and len(seen) == len(made) and set(seen) == made
