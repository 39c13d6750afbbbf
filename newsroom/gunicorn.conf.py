"""Gunicorn settings for production: `gunicorn -c newsroom/gunicorn.conf.py`.

Every value can be overridden from the environment (GUNICORN_BIND, WEB_CONCURRENCY,
GUNICORN_THREADS, GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS, GUNICORN_ACCESS_LOG). Put a reverse
proxy (nginx, Caddy) in front for TLS and slow clients; static files are served by WhiteNoise
from the app, with hashed names and far-future cache headers, after `manage.py collectstatic`.
"""

import multiprocessing
import os

wsgi_app = "newsroom.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Pages are short CPU-bound renders plus a few quick queries: one synchronous worker per
# core and then some, so a core is never idle while a worker waits on PostgreSQL.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_class = "gthread" if threads > 1 else "sync"

# Import Django once in the master, so workers fork warm (and share memory pages).
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so slow leaks cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10

# Behind a proxy on the same host; trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # "-" for stdout
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "newsroom"
# Gunicorn 24+ opens a control socket at one fixed path per user: two servers on one machine
# (blue/green deploys, tests) would fight over it, and nothing here uses it.
control_socket_disable = True


def post_fork(server, worker):
    # Connections opened in the master (preload) must not be shared with workers.
    from django.db import connections

    connections.close_all()
