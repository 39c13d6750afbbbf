import pytest
from django.core.management import call_command

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_rebuild_search_index_restores_documents_lost_outside_the_orm(client, capsys):
    article = make_article("الذهب يسجل مستوى قياسياً جديداً")
    Article.objects.filter(pk=article.pk).update(search_vector=None)  # e.g. a raw SQL restore
    url = article.get_absolute_url()
    assert url not in client.get("/search/", {"q": "ذهب"}).content.decode()

    call_command("rebuild_search_index")

    assert "search index rebuilt for 1 articles" in capsys.readouterr().out
    assert url in client.get("/search/", {"q": "ذهب"}).content.decode()
