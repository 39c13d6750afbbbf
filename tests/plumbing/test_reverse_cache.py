"""cached_reverse gives exactly what reverse() gives, in both languages and for Arabic slugs."""

import pytest
from django.urls import reverse, set_script_prefix
from django.utils import translation

from newsroom.reverse_cache import cached_reverse

CASES = [
    ("articles:detail", (42, "وزير-الخارجية-يزور-القاهرة")),
    ("articles:detail", (7, "a-b_c")),
    ("articles:section", ("سياسة",)),
    ("articles:author", ("سلمى-حداد",)),
    ("articles:source", ("afp",)),
    ("articles:tag", ("غزة",)),
    ("articles:day_archive", (2026, 12, 2)),
    ("articles:home", ()),
]


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize(("name", "args"), CASES)
def test_cached_reverse_matches_reverse(language, name, args):
    with translation.override(language):
        assert cached_reverse(name, *args) == reverse(name, args=args)


def test_cached_reverse_follows_the_script_prefix():
    try:
        set_script_prefix("/news-site/")
        assert cached_reverse("articles:section", "سياسة") == reverse(
            "articles:section", args=["سياسة"]
        )
        assert cached_reverse("articles:section", "x").startswith("/news-site/")
    finally:
        set_script_prefix("/")
