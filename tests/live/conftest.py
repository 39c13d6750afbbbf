import pytest

from articles.live import actions
from articles.live.models import LiveEntry
from tests.factories import make_article


def post(article, user, body="<p>نص المدخل.</p>", **fields):
    """Post an entry through the write path (published unless told otherwise)."""
    return actions.save_entry(LiveEntry(article=article, body=body, **fields), user)


@pytest.fixture
def live_article(editor):
    article = make_article("تغطية مباشرة للانتخابات", body="<p>مقدمة التغطية.</p>")
    actions.start_coverage(article, editor)
    return article
