"""The desk lives in articles.desk; Django's admin autodiscovery imports this module."""

from articles.desk import admin  # noqa: F401
