"""What must follow a change to published content: the related-articles postings and the
anonymous page cache. Connected once, from `ArticlesConfig.ready()`."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from articles import related
from articles.site.context_processors import forget_nav_sections
from newsroom import page_cache as caching


def _shows_nowhere(article) -> bool:
    """An article that is not published has no postings and appears on no public page.
    (One that was published and no longer is still goes through: its save is the change.)"""
    return article.status != article.Status.PUBLISHED


def _article_saved(sender, instance, raw=False, created=False, **kwargs):
    if created and _shows_nowhere(instance):
        return  # a new draft, e.g. a wire import: nothing public to refresh
    if not raw:
        related.refresh_postings([instance.pk])
    caching.invalidate_pages()


def _article_deleting(sender, instance, **kwargs):
    # Before the cascade removes the postings, so the weights of its tags are recounted.
    instance._posting_tags = list(
        related.TagPosting.objects.filter(article_id=instance.pk).values_list("tag_id", flat=True)
    )


def _article_deleted(sender, instance, **kwargs):
    related.recount_weights(getattr(instance, "_posting_tags", ()))
    caching.invalidate_pages()


def _article_tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from articles.models import Article

    if not reverse:
        if _shows_nowhere(instance):
            return
        related.refresh_postings([instance.pk])
    elif pk_set:  # tag.articles.add(...): the instance is a tag, pk_set holds articles
        related.refresh_postings(pk_set)
    elif action == "post_clear":
        related.refresh_postings(Article.objects.filter(tags=instance).values_list("pk", flat=True))
    caching.invalidate_pages()


def _content_changed(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):
        caching.invalidate_pages()


def connect() -> None:
    from taggit.models import Tag

    from articles.models import Article, ArticleSource, Author, RelatedLink, Section, Source

    post_save.connect(_article_saved, sender=Article, dispatch_uid="perf_article_saved")
    pre_delete.connect(_article_deleting, sender=Article, dispatch_uid="perf_article_deleting")
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid="perf_article_deleted")
    m2m_changed.connect(
        _article_tags_changed, sender=Article.tags.through, dispatch_uid="perf_article_tags"
    )
    post_save.connect(forget_nav_sections, sender=Section, dispatch_uid="nav_sections_saved")
    post_delete.connect(forget_nav_sections, sender=Section, dispatch_uid="nav_sections_deleted")
    # Anything else a public page shows: names, credits, bylines, read-also links.
    for model in (Section, Author, Source, ArticleSource, RelatedLink, Tag):
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"perf_saved_{model}")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"perf_deleted_{model}")
    for through in (Article.authors.through, Article.sources.through):
        m2m_changed.connect(_content_changed, sender=through, dispatch_uid=f"perf_m2m_{through}")
