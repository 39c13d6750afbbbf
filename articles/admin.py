"""The desk lives in articles.desk; Django's admin autodiscovery imports this module."""

from articles.agency import admin as agency_admin  # noqa: F401
from articles.api import admin as api_admin  # noqa: F401
from articles.desk import admin  # noqa: F401
from articles.tags import desk as tags_desk  # noqa: F401
from articles.webhooks import admin as webhooks_admin  # noqa: F401
