"""Live coverage for the benchmarks: a coverage on the bench database (made once, through the
live write path), the paths readers' pages poll, and the entries a busy desk posts."""

from articles.live import actions
from articles.live.models import LiveCoverage, LiveEntry
from articles.models import Article

ENTRIES = 50


def ensure_live_coverage(entries: int = ENTRIES) -> Article:
    """The newest public article made live with `entries` entries, unless a public article is
    live already (the bench database is reused between runs)."""
    existing = (
        LiveCoverage.objects.filter(state=LiveCoverage.State.LIVE)
        .filter(article__in=Article.objects.published())
        .select_related("article")
        .first()
    )
    if existing is not None:
        return existing.article
    article = Article.objects.published().newest_first().first()
    actions.start_coverage(article, None)
    for n in range(entries):
        post_entry(article, n)
    return article


def post_entry(article, n: int) -> LiveEntry:
    entry = LiveEntry(
        article=article,
        body=f"<p>تحديث رقم {n}: تطورات جديدة في التغطية المباشرة.</p>",
        key_event=n % 20 == 0,
        headline=f"حدث رئيسي رقم {n}" if n % 20 == 0 else "",
    )
    return actions.save_entry(entry, None)


def poll_paths() -> list[str]:
    """The poll endpoints of the public live coverages, in both languages."""
    ids = LiveCoverage.objects.filter(
        state=LiveCoverage.State.LIVE, article__in=Article.objects.published()
    ).values_list("article_id", flat=True)
    return [f"{prefix}/live/{pk}/poll/" for pk in ids for prefix in ("", "/en")]
