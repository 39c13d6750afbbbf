"""Slugs: the one rule for every model with a slug (articles, sections, authors, sources).

A slug keeps Arabic letters (URLs carry them percent-encoded) and is unique per table."""

import re

from django.db import connection
from django.utils.text import slugify


def unicode_slug(text: str, max_length: int = 200) -> str:
    """A slug that keeps Arabic letters (URLs carry them percent-encoded)."""
    return slugify(text, allow_unicode=True)[:max_length].strip("-")


def free_slug(model, slug: str, *, exclude_pk=None) -> str:
    """`slug`, or `slug-2`, `slug-3` …: the first that no other row of `model` holds.

    Plain SQL on purpose: it runs on every save and import, and through modeltranslation's
    queryset the same lookup costs ten times more. The prefix LIKE uses the slug's
    pattern index."""
    slug = (slug or model._meta.model_name)[: model._meta.get_field("slug").max_length - 6]
    pattern = re.sub(r"([\\%_])", r"\\\1", slug) + "%"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT slug FROM {model._meta.db_table} WHERE slug LIKE %s AND id IS DISTINCT FROM %s",
            [pattern, exclude_pk],
        )
        taken = {row[0] for row in cursor.fetchall()}
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate
