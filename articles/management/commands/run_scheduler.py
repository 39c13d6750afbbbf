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
        periodic.import_task_modules()
        if once:
            self._step(verbosity)
            return
        self.running = True
        # Stop between steps on SIGINT/SIGTERM; the previous handlers come back on the way out
        # (call_command runs this inside other processes, tests among them).
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            while self.running:
                self._step(verbosity)
                slept = 0.0
                while self.running and slept < interval:
                    time.sleep(min(0.5, interval - slept))
                    slept += 0.5
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _step(self, verbosity):
        close_old_connections()
        for path in periodic.enqueue_due():
            if verbosity:
                self.stdout.write(f"enqueued {path}")
        close_old_connections()

    def _stop(self, signum, frame):
        self.running = False
