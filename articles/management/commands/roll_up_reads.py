from django.core.management.base import BaseCommand

from articles.readership.rollup import roll_up


class Command(BaseCommand):
    help = (
        "Roll counted reads up into hourly counts per article and refresh the most-read lists "
        "(the periodic task does it every 10 minutes; docs/most-read.md)."
    )

    def handle(self, *args, **options):
        self.stdout.write(str(roll_up()))
