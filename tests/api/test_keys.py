"""API keys: stored as a digest only, sent in either header, refused when unknown or revoked,
made and revoked at the desk (the key shown once)."""

import hashlib
import re

import pytest

from articles.api.models import ApiKey

pytestmark = pytest.mark.django_db


def test_key_is_stored_as_a_digest_only(plain_key):
    key = ApiKey.objects.get()
    assert plain_key not in {key.prefix, key.secret_hash, key.name}
    assert key.secret_hash == hashlib.sha256(plain_key.encode()).hexdigest()
    assert ApiKey.find(plain_key) == key
    assert ApiKey.find(plain_key[:-1] + ("A" if plain_key[-1] != "A" else "B")) is None


@pytest.mark.parametrize("header", ["HTTP_AUTHORIZATION", "HTTP_X_API_KEY"])
def test_both_headers_authenticate(client, newsroom, plain_key, header):
    value = f"Api-Key {plain_key}" if header == "HTTP_AUTHORIZATION" else plain_key
    response = client.get("/api/v1/articles/", **{header: value})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert ApiKey.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "value", ["Api-Key nr_deadbeef_nothing", "Api-Key ", "Api-Key " + "x" * 5000, "api-key nr__"]
)
def test_unknown_or_malformed_key_is_401(client, newsroom, value):
    response = client.get("/api/v1/articles/", HTTP_AUTHORIZATION=value)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["error"]["code"] == "authentication_failed"


def test_revoked_key_is_refused(client, newsroom, scheduled_key):
    key = ApiKey.objects.get()
    key.revoke()
    key.save()
    assert client.get("/api/v1/articles/", HTTP_X_API_KEY=scheduled_key).status_code == 401


def test_other_authorization_schemes_are_anonymous(client, newsroom):
    response = client.get("/api/v1/articles/", HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public")


def test_desk_makes_a_key_and_shows_it_once(editor_client):
    response = editor_client.post(
        "/admin/articles/apikey/add/", {"name": "تطبيق", "scopes": ["read:scheduled"]}
    )
    assert response.status_code == 200
    page = response.content.decode()
    clear = re.search(r"nr_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}", page).group(0)
    assert "no-store" in response["Cache-Control"]
    key = ApiKey.objects.get()
    assert ApiKey.find(clear) == key and key.scopes == ["read:scheduled"]
    assert key.created_by.username == "chief"
    assert not response.cookies.get("messages")
    change = editor_client.get(f"/admin/articles/apikey/{key.pk}/change/").content.decode()
    assert clear not in change and key.prefix in change


def test_desk_revokes_keys(editor_client, plain_key):
    key = ApiKey.objects.get()
    editor_client.post(
        "/admin/articles/apikey/",
        {"action": "revoke_keys", "_selected_action": [key.pk]},
    )
    key.refresh_from_db()
    assert key.revoked and key.revoked_at is not None
    assert ApiKey.find(plain_key) is None


def test_desk_key_pages_are_in_arabic(editor_client):
    page = editor_client.get("/admin/articles/apikey/add/").content.decode()
    assert "مفتاح" in page
