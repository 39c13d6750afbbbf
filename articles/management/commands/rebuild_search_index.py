from django.core.management.base import BaseCommand
from django.db import connection

from articles.models import Article
from articles.search.index import default_workers, rebuild_search_vectors
from newsroom.progress import Progress


class Command(BaseCommand):
    help = (
        "Rebuild every article's search document, e.g. after a restore or a change to the "
        "Arabic normalisation or stemming rules (articles/text/arabic.py, articles/text/plurals.py). "
        "Saves and imports keep it current on their own. Runs in one worker process per core "
        "(--workers); shows progress on stderr when it is a terminal."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=f"worker processes (default: one per core, at most 8; here {default_workers()})",
        )

    def handle(self, *args, workers, **options):
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        with Progress("search vectors", len(ids), stream=self.stderr) as progress:
            done = rebuild_search_vectors(ids, workers=workers, progress=progress)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_article")
        self.stdout.write(f"search index rebuilt for {done} articles")
