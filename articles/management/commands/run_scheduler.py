"""manage.py run_scheduler: enqueue the periodic tasks when due (articles.tasks.periodic).

Several schedulers may run against one database (one per worker host): each due task is still
enqueued once. `--once` runs one step and exits (cron, tests)."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from articles.tasks import periodic


class Command(BaseCommand):
    help = "Enqueue the periodic tasks when they are due (runs until stopped)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between steps (default 5)"
        )
        parser.add_argument("--once", action="store_true", help="one step, then exit")

    def handle(self, *, interval, once, verbosity, **options):
        self.running = True
        for name in ("SIGINT", "SIGTERM"):
            signal.signal(getattr(signal, name), self._stop)
        periodic.import_task_modules()
        while self.running:
            close_old_connections()
            for path in periodic.enqueue_due():
                if verbosity:
                    self.stdout.write(f"enqueued {path}")
            if once:
                return
            close_old_connections()
            slept = 0.0
            while self.running and slept < interval:
                time.sleep(min(0.5, interval - slept))
                slept += 0.5

    def _stop(self, signum, frame):
        self.running = False
