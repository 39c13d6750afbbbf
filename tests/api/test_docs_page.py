"""The API's documentation page is served from this site alone (no CDN, no web fonts)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_docs_page_loads_nothing_from_elsewhere(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(src|href)=\"https?://", html)
    assert "fonts.googleapis.com" not in html
    assert "/static/drf_spectacular_sidecar/redoc/" in html
    policy = response["Content-Security-Policy"]
    assert "worker-src blob:" in policy and "'unsafe-inline'" in policy
    # Only this page relaxes the policy.
    assert "'unsafe-inline'" not in client.get("/api/v1/articles/")["Content-Security-Policy"]
