"""`make bench` (`python -m bench`): build a bench database with BENCH_ARTICLES synthetic
articles (default 100000) and print one `name: value unit` line per figure on stdout; progress
goes to stderr. docs/benchmarks.md says how each figure is measured.

The first figure, `corpus_build_s`, is how long `make_corpus` took to build the bench database;
it is not printed when the database is reused (the time it took then is logged on stderr).

Environment: BENCH_ARTICLES; BENCH_REUSE=1 keeps a bench database built earlier with the same
size; BENCH_ONLY=related,pages runs only those modules; BENCH_DATABASE names the databases'
prefix. Without DATABASE_URL an embedded PostgreSQL is started, as `manage.py` does.
"""

import argparse
import os
import sys
import time
import traceback


def main(argv=None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    from newsroom.dev import use_embedded_postgres_if_unset

    use_embedded_postgres_if_unset()
    import django

    django.setup()
    import bench

    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--articles",
        type=int,
        default=int(os.environ.get("BENCH_ARTICLES", bench.DEFAULT_ARTICLES)),
    )
    parser.add_argument(
        "--only",
        default=os.environ.get("BENCH_ONLY", ""),
        help="comma-separated module names (default: all)",
    )
    options = parser.parse_args(argv)
    wanted = {name.strip() for name in options.only.split(",") if name.strip()}

    def report(name: str, value: float, unit: str) -> None:
        value = round(value, 2) if isinstance(value, float) else value
        print(f"{name}: {value} {unit}".rstrip(), flush=True)

    bench.prepare_database(options.articles, report=report)  # corpus_build_s when it builds
    report("bench_articles", options.articles, "articles")
    failed = False
    for module in bench.modules():
        short = module.__name__.rsplit(".", 1)[-1]
        if wanted and short not in wanted:
            continue
        bench.log(f"# {short} ...")
        started = time.monotonic()
        try:
            module.run(report, articles=options.articles)
        except Exception:
            failed = True
            traceback.print_exc(file=sys.stderr)
            report(f"{short}_failed", 1, "")
        bench.log(f"# {short}: {time.monotonic() - started:.0f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
