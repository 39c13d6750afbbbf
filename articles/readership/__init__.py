"""Most read: readers counted behind every cache, without tracking them (docs/most-read.md).

beacon.py    the beacon (POST /read/<id>/, and /read/<id>/pixel.gif for pages without
             script): a middleware ahead of sessions and the page cache; no cookie, no query
counting.py  who is counted (no bots, prefetches, editors; rate-limited), the reader's
             hourly hash (a daily salt kept in memory or Redis only), and the two stores:
             Redis when configured, an in-database buffer otherwise
rollup.py    the periodic roll-up into hourly counts per article (idempotent batches)
lists.py     most read in 24 hours and 7 days, site-wide and per section, cached whole
models.py    HourlyReads (what is kept), PendingRead (the buffer), AppliedBatch (the ledger)
demo.py      load_demo's counts, spread over the last days
"""
