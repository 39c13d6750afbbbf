"""manage.py bench: build a bench database with BENCH_ARTICLES synthetic articles (default
100000) and run every benchmark module in bench/, printing `name: value unit`
lines on stdout (progress goes to stderr).

Environment: BENCH_ARTICLES; BENCH_REUSE=1 keeps a bench database built earlier with the same
size; BENCH_ONLY=related,http runs only those modules; BENCH_DATABASE names the databases'
prefix (default: <your database>_bench).
"""

import os
import sys
import time
import traceback

from django.core.management.base import BaseCommand

import bench as benchmarks


class Command(BaseCommand):
    help = "Build a synthetic corpus in its own database and print benchmark figures."

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=int(os.environ.get("BENCH_ARTICLES", benchmarks.DEFAULT_ARTICLES)),
        )
        parser.add_argument(
            "--only",
            default=os.environ.get("BENCH_ONLY", ""),
            help="comma-separated module names (default: all)",
        )

    def handle(self, *args, articles, only, **options):
        wanted = {name.strip() for name in only.split(",") if name.strip()}

        def report(name: str, value: float, unit: str) -> None:
            value = round(value, 2) if isinstance(value, float) else value
            self.stdout.write(f"{name}: {value} {unit}".rstrip())
            self.stdout.flush()

        benchmarks.prepare_database(articles)
        report("bench_articles", articles, "articles")
        failed = False
        for module in benchmarks.modules():
            short = module.__name__.rsplit(".", 1)[-1]
            if wanted and short not in wanted:
                continue
            benchmarks.log(f"# {short} ...")
            started = time.monotonic()
            try:
                module.run(report, articles=articles)
            except Exception:
                failed = True
                traceback.print_exc(file=sys.stderr)
                report(f"{short}_failed", 1, "")
            benchmarks.log(f"# {short}: {time.monotonic() - started:.0f}s")
        if failed:
            sys.exit(1)
