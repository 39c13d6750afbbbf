import datetime

import pytest
from django.utils import timezone

from articles.api.models import ApiKey
from articles.models import Article
from tests.factories import make_article, make_author, make_section, make_source


@pytest.fixture
def scheduled_key(db):
    """A key with the read:scheduled scope, in clear (as shown once at the desk)."""
    key = ApiKey(name="تطبيق الجوال", scopes=[ApiKey.Scope.READ_SCHEDULED])
    clear = key.issue()
    key.save()
    return clear


@pytest.fixture
def plain_key(db):
    key = ApiKey(name="شريك")
    clear = key.issue()
    key.save()
    return clear


@pytest.fixture
def newsroom(db):
    """A public article, and one of every other kind sharing its section, tag, author and
    source: a draft, one in review, an archived one, a scheduled one (each with a name of its
    own too, which must never show)."""
    section = make_section("اقتصاد", slug="economy")
    author = make_author("سلمى حداد", slug="salma")
    source = make_source("وكالات", slug="agencies")
    public = make_article(
        "الحكومة تقر الموازنة",
        section=section,
        tags=["موازنة", "اقتصاد"],
        authors=[author],
        sources=[source],
        summary="ملخص الخبر",
        body="<p>نص <strong>الخبر</strong> الأول</p><script>alert(1)</script>",
        title_en="Government passes the budget",
    )
    hidden = {}
    for label, status, published_at in [
        ("draft", Article.Status.DRAFT, None),
        ("review", Article.Status.REVIEW, None),
        ("archived", Article.Status.ARCHIVED, timezone.now() - datetime.timedelta(days=2)),
        ("scheduled", Article.Status.PUBLISHED, timezone.now() + datetime.timedelta(days=1)),
    ]:
        hidden[label] = make_article(
            f"الموازنة سرا {label}",
            status=status,
            published_at=published_at,
            section=section,
            tags=["موازنة", f"secret-{label}"],
            authors=[author, make_author(f"كاتب {label}", slug=f"writer-{label}")],
            sources=[source, make_source(f"مصدر {label}", slug=f"source-{label}")],
            summary="الموازنة",
        )
    return {"public": public, "hidden": hidden, "section": section}


def ids(response) -> set[int]:
    body = response.json()
    return {item["id"] for item in body.get("results", body if isinstance(body, list) else [])}
