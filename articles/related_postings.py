"""The derived data behind related articles: bounded posting lists per tag and each tag's
document frequency. Maintained by articles.related (the write path calls it); importable from
articles.models like every model of the app."""

from django.db import models


class TagPosting(models.Model):
    """One row per (tag, published article), ordered by publication time within a tag, so the
    related-articles engine reads only the newest postings of each tag however large the
    archive grows. Derived data: `articles.related.refresh_postings` rewrites it."""

    # Article first: rewriting an article's rows uses it, and the only index led by tag is the
    # recency one below, so the planner always reads a tag's postings newest first.
    pk = models.CompositePrimaryKey("article", "tag")
    tag = models.ForeignKey(
        "taggit.Tag", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="tag_postings", db_index=False
    )
    published_at = models.DateTimeField()

    class Meta:
        indexes = [
            # Also serves tag listings, newest first (articles.related.tagged_newest_first).
            models.Index(fields=["tag", "-published_at", "-article"], name="tagposting_recent_idx"),
        ]

    def __str__(self):
        return f"{self.tag_id} → {self.article_id}"


class TagWeight(models.Model):
    """How many published articles carry a tag: the document frequency behind its rarity."""

    tag = models.OneToOneField(
        "taggit.Tag", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    articles = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.tag_id}: {self.articles}"
