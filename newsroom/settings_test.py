"""Settings for the test suite: production settings, plus what tests need to run anywhere."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from newsroom.dev import use_embedded_postgres_if_unset

use_embedded_postgres_if_unset()  # make test on a machine without DATABASE_URL

from newsroom.settings import *  # noqa: E402, F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="newsroom-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Reads are counted in memory and the buffer table unless a test asks for Redis (tests/readership).
READERSHIP_REDIS_URL = None
# Tests clear the shared cache between tests; the page cache must notice at once.
PAGE_CACHE_STATE_SECONDS = 0
# A second database for the replica-routing tests (tests/plumbing/test_db_router.py): its own test
# database, not a mirror, so a test can tell which one answered. Only tests that ask for it
# (databases=[..., "replica_1"]) create it, and the router is installed only in those tests.
DATABASES["replica_1"] = {  # noqa: F405
    **DATABASES["default"],  # noqa: F405
    "TEST": {"NAME": f"test_{DATABASES['default']['NAME']}_replica"},  # noqa: F405
}
