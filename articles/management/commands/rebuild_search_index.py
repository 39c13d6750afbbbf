from django.core.management.base import BaseCommand
from django.db import connection

from articles.models import Article
from articles.search.index import refresh_search_vectors

BATCH = 2000


class Command(BaseCommand):
    help = (
        "Rebuild every article's search document, e.g. after a restore or a change to the "
        "Arabic normalisation or stemming rules (articles/text/arabic.py, articles/text/plurals.py). "
        "Saves and imports keep it current on their own."
    )

    def handle(self, *args, **options):
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        done = 0
        for start in range(0, len(ids), BATCH):
            done += refresh_search_vectors(ids[start : start + BATCH])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_article")
        self.stdout.write(f"search index rebuilt for {done} articles")
