"""Settings for `make bench` and `make load`: production's, plus what only the benchmarks use.

- `/bench/hello/`, the bare Django view page throughput is compared with (bench.urls);
- the page cache honours an `X-Bench-Bypass-Cache` request header, so uncached pages can be
  measured behind the same middleware (bench.middleware).
"""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = [
    "bench.middleware.BypassablePageCacheMiddleware"
    if name == "newsroom.page_cache.PageCacheMiddleware"
    else name
    for name in MIDDLEWARE  # noqa: F405
]
