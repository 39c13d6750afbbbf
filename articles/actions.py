"""The write path: what follows each change to the newsroom's content, in order, in one place.

Every writer goes through here: `Article.save()` and `delete()` (so the desk, restores and
scripts), the wire importer, the management commands and the API. Nothing important happens
in a signal receiver; the only receivers (`articles.signal_handlers`) forward changes made by
managers that call no `save()` of ours (taggit's tags, Django's many-to-many managers) to the
functions below.

An article, saved one at a time (`prepare_article` before the row is written, then
`article_saved`):
  1. "published with no time" means now (`Article.take_publication_time`);
  2. slug: from the Arabic headline, Arabic letters kept, unique (`articles.slugs`);
  3. rich text sanitised (`articles.text.sanitize.clean_html`);
  4. title key: the normalised headline read-also links are matched by;
  5. (after the write) search vector;
  6. read-also links that were waiting for this headline now point at it;
  7. related-articles postings and tag weights (`articles.related`);
  8. page cache: the pages showing the article (its own, pages linking to it, listings)
     are retired; other article pages stay cached (`pages_showing_changed`); an article on
     a most-read list empties the lists, and the pages showing them retire;
  9. image clean-up: a replaced lead image is deleted after commit unless still used; a
     moved focal point's renditions likewise (the new ones are cut on next use, or at once by
     `desk_saved`);
 10. webhooks (`articles.webhooks.events`): what readers would notice (public before or
     after: published, updated, unpublished) is written to the webhook outbox, in this
     transaction; a task delivers it once the transaction commits.
  Steps 7 and 8 are skipped for a new article that is not published: nothing public changed.

A status move (`move`, `publish_now`, `unpublish`, and `withdraw` for an agency's kill): the
row is locked, the version bumped (`bump_version`), the article saved (the steps above), the
move written to the status log (`record_move`) and the article kept as a revision.

A delete (`Article.delete()` and `ArticleQuerySet.delete()`): tag weights recounted, page
cache retired, lead images released after commit, public articles announced as deleted.

Tags changed (`tags_changed`): search vectors, postings, page cache, and a public article's
webhook event (its payload lists the tags).

Tags cleaned up at the desk (`merge_tags`, `rename_tag`, `delete_tags`, articles/tags/), each
in one transaction: the tags locked; the taggings moved (a merge: one row per article, never
two); the old slugs kept as 301 redirects to the tag that remains; then, as for tags changed,
search vectors, postings and tag weights, the page cache, webhooks; last the change logged
(who, when, what) in `TagChange`.

Bulk paths (the wire importer, `make_corpus`) write rows in bulk and then call
`articles_imported`, the bulk form of steps 5 to 8 and 10 (`make_corpus` announces nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles import related
from articles.media import images
from articles.models import Article, StatusChange, free_slug, unicode_slug
from articles.readership import lists as most_read
from articles.search import index as search_index
from articles.site.context_processors import forget_nav_sections
from articles.tags import cleanup
from articles.tags.models import TagChange
from articles.text.sanitize import clean_html
from articles.webhooks import events as webhooks
from articles.wire import links
from articles.wire.links import title_key
from newsroom import page_cache, page_dependencies

Status = Article.Status
BODY_FIELDS = ("body_ar", "body_en")
LEAD_IMAGE_FIELDS = {"lead_image", "lead_image_focal_x", "lead_image_focal_y"}


# --- One article, saved ----------------------------------------------------------------------


@dataclass
class PendingSave:
    """What `prepare_article` learnt before the write that `article_saved` needs after it."""

    created: bool
    stored_lead_image: str | None
    stored_focus: images.Focus | None  # the lead image's focal point before this save
    was_public: bool  # as stored before this save: webhooks tell published from updated


def prepare_article(article: Article, *, using=None, update_fields=None) -> PendingSave:
    """Steps 1 to 4, on the instance, before its row is written."""
    article.take_publication_time()
    if not article.slug:
        article.slug = unicode_slug(article.title_ar or article.title) or "article"
    article.slug = free_slug(Article, article.slug, exclude_pk=article.pk)
    for field in BODY_FIELDS:
        setattr(article, field, clean_html(getattr(article, field) or ""))
    article.title_key = title_key(article.title_ar or article.title)
    stored = None
    if article.pk is not None:
        stored = (
            Article.objects.using(using)
            .filter(pk=article.pk)
            .values("lead_image", "status", "published_at")
            .annotate(focal_x=F("lead_image_focal_x"), focal_y=F("lead_image_focal_y"))
            .first()
        )
    focus = images.Focus.of(stored.pop("focal_x"), stored.pop("focal_y")) if stored else None
    lead_image_may_change = update_fields is None or bool(set(update_fields) & LEAD_IMAGE_FIELDS)
    may_change = bool(stored) and lead_image_may_change
    return PendingSave(
        created=article._state.adding,
        stored_lead_image=stored["lead_image"] if may_change else None,
        stored_focus=focus if may_change else None,
        was_public=bool(stored) and Article(**stored).is_public,
    )


def article_saved(article: Article, pending: PendingSave, *, using=None) -> None:
    """Steps 5 to 10, once the row is written."""
    search_index.refresh_search_vectors([article.pk])
    linking = links.resolve_pending_links(article)
    if not (pending.created and article.status != Status.PUBLISHED):
        related.refresh_postings([article.pk])
        pages_showing_changed([article.pk, *linking], scheduled=article.is_scheduled)
    previous = pending.stored_lead_image
    if previous and previous != article.lead_image.name:
        images.release_after_commit(previous, article.lead_image.storage, using)
    elif previous and pending.stored_focus.key != images.focus_of(article.lead_image).key:
        images.retire_focus_after_commit(
            previous, pending.stored_focus, article.lead_image.storage, using
        )
    webhooks.article_changed(article, was_public=pending.was_public)


# --- Relations of articles: tags, credits, bylines, read-also links --------------------------


def tags_changed(article_ids) -> None:
    """Tags added to or removed from these articles."""
    ids = sorted({int(pk) for pk in article_ids})
    if not ids:
        return
    search_index.refresh_search_vectors(ids)
    related.refresh_postings(ids)
    if Article.objects.filter(pk__in=ids).exclude(status=Status.DRAFT).exists():
        pages_showing_changed(ids)
    webhooks.tags_changed(ids)


def credits_changed(article_ids) -> None:
    """Credited sources of these articles added, moved or removed: sources are searchable."""
    ids = sorted({int(pk) for pk in article_ids})
    search_index.refresh_search_vectors(ids)
    pages_showing_changed(ids)


def source_changed(source, *, created: bool) -> None:
    """A source renamed or given new aliases: the articles crediting it are found by them."""
    if not created:
        search_index.refresh_search_vectors(Article.objects.filter(sources=source))
    page_cache.invalidate_pages()


def tag_changed(tag, *, created: bool) -> None:
    """A tag renamed: the articles carrying it are found by its new name."""
    if not created:
        search_index.refresh_search_vectors(Article.objects.filter(tags=tag))
    page_cache.invalidate_pages()


def section_changed() -> None:
    """A section added, renamed, moved or removed: every page's navigation shows it."""
    forget_nav_sections()
    page_cache.invalidate_pages()


def shown_content_changed() -> None:
    """Anything else a public page shows (bylines, read-also links, names): pages retire."""
    page_cache.invalidate_pages()


def link_changed(article_id) -> None:
    """A read-also link of this article added, changed or removed: its page shows the links."""
    pages_showing_changed([article_id], listings=False)


def pages_showing_changed(article_ids, *, listings=True, scheduled=False) -> None:
    """Step 8, the page cache: retire the pages that show these articles (their own, and
    pages linking to them or listing them as related), and the listings (home, sections, tags,
    feeds, sitemaps); other article pages stay cached (newsroom/page_dependencies.py). A
    scheduled article tells the cache its go-live time, when every page retires."""
    names = [page_dependencies.article(pk) for pk in article_ids]
    page_dependencies.retire(*names, *([page_dependencies.LISTINGS] if listings else []))
    most_read.articles_changed(article_ids)  # an article on a most-read list: they retire too
    if scheduled:
        page_cache.reschedule()


def content_deleted(model) -> None:
    """Rows of a model readers see deleted in bulk (a queryset's delete)."""
    if model._meta.model_name == "section":
        section_changed()
    else:
        shown_content_changed()


def prepare_link(link) -> None:
    """Before a read-also link is written: its title key, and at once its article when a
    headline typed at the desk already has one."""
    link.title_key = title_key(link.title)
    if link.is_pending and link.title_key and link.article_id:
        link.target_id = links.target_for_headline(link.title_key, link.article_id)


# --- Deleting articles -----------------------------------------------------------------------


def delete_articles(queryset, delete) -> tuple[int, dict]:
    """Delete articles (one or many) with `delete`, the queryset's own delete: the postings
    go with them by cascade, so the weights of their tags are counted again; readers' pages
    retire; lead images no other article uses are deleted once the transaction commits; the
    public ones are announced as deleted (webhooks)."""
    rows = list(queryset.order_by().values_list("pk", "lead_image"))
    if not rows:
        return delete()
    tag_ids = related.tags_of([pk for pk, _image in rows])
    public_ids = webhooks.public_among(queryset)
    result = delete()
    related.recount_weights(tag_ids)
    webhooks.articles_deleted(public_ids)
    pages_showing_changed([pk for pk, _image in rows])
    for _pk, name in rows:
        if name:
            images.release_after_commit(name, Article._meta.get_field("lead_image").storage)
    return result


# --- Bulk: imports and generated corpora -----------------------------------------------------


def articles_imported(article_ids, *, published: bool, search_documents=None) -> None:
    """The bulk form of steps 5 to 8 and 10 for articles written in bulk (rows inserted
    directly): search vectors (from `search_documents` [(id, DocumentTexts)] when the caller
    has them), waiting read-also links, postings and the page cache, once for all of them;
    the public ones announced as published (webhooks)."""
    ids = sorted({int(pk) for pk in article_ids})
    if not ids:
        return
    if search_documents is not None:
        search_index.write_documents(search_documents)
    else:
        search_index.refresh_search_vectors(ids)
    linking = links.resolve_pending_links_to(ids)
    if published:
        related.refresh_postings(ids)
        pages_showing_changed([*ids, *linking])
        webhooks.articles_published(ids)


def tag_in_bulk(article: Article, names) -> None:
    """Tag a new article written in bulk: the tags are found or made by taggit's own rule,
    the tagging rows inserted at once (the caller then calls `articles_imported`)."""
    if not names:
        return
    manager = article.tags
    tags = manager._to_tag_model_instances(names, {})
    through = manager.through
    through.objects.bulk_create(
        [through(tag=tag, **manager._lookup_kwargs()) for tag in tags], ignore_conflicts=True
    )


def corpus_loaded() -> None:
    """After a generated corpus was copied in (`make_corpus`): postings and tag weights are
    rebuilt for the whole table at once, and readers' pages retire. (Its search vectors are
    refreshed by the command, in batches it reports.)"""
    related.rebuild_postings()
    page_cache.invalidate_pages()


# --- Status moves: the desk's workflow, the importer, the commands ---------------------------


def bump_version(article: Article, current: int | None = None) -> int:
    """The one place the optimistic lock's version moves on: every change made from the desk
    (a form save, a status move, a restore) is one version more than what it was based on."""
    article.version = (article.version if current is None else current) + 1
    return article.version


def record_move(article: Article, from_status, user, *, at=None):
    """The status log: who moved the article from where to where (nothing if it stayed)."""
    if from_status == article.status:
        return None
    return StatusChange.objects.create(
        article=article,
        from_status=from_status or "",
        to_status=article.status,
        published_at=article.published_at,
        changed_by=user if user and user.is_authenticated else None,
        changed_at=at or timezone.now(),
    )


def move(article: Article, target: str, user, *, published_at=None) -> Article:
    """Move one article to `target` as `user` would from the desk: checked, versioned, saved,
    logged and kept as a revision. Publishing without a time means now; a future time
    schedules."""
    from articles.desk import revisions, workflow

    if not workflow.can_edit(user, article) or not workflow.is_allowed_move(
        article.status, target, can_publish=workflow.can_publish(user)
    ):
        raise PermissionDenied(_("You may not move this article to that status."))
    with transaction.atomic(), reversion.create_revision(manage_manually=True):
        locked = Article.objects.select_for_update().get(pk=article.pk)
        from_status = locked.status
        locked.status = target
        if target == Status.PUBLISHED:
            locked.published_at = published_at or timezone.now()
        bump_version(locked)
        locked.save()
        record_move(locked, from_status, user)
        revisions.keep(
            locked,
            user,
            _("Status: %(from)s → %(to)s")
            % {"from": Status(from_status).label, "to": Status(target).label},
        )
    return locked


def publish_now(article: Article, user) -> Article:
    """Make an article live now; an article already live is left as it is."""
    if article.is_public:
        return article
    return move(article, Status.PUBLISHED, user, published_at=timezone.now())


def unpublish(article: Article, user) -> Article:
    """Take a published (live or scheduled) article off the site, back to draft."""
    return move(article, Status.DRAFT, user)


def withdraw(article: Article, note: str) -> Article:
    """The agency killed the story the article was made from: off the site at once, whatever
    its state and whoever holds it (no desk user makes this move). A published (live or
    scheduled) or in-review article goes back to draft; the row is locked and versioned (a desk
    form open on it is now stale and cannot republish it), saved, logged and kept as a
    revision with `note`, the audit record the desk shows."""
    from articles.desk import revisions

    revisions.keep_the_original(article.pk)
    with transaction.atomic(), reversion.create_revision(manage_manually=True):
        locked = Article.objects.select_for_update().get(pk=article.pk)
        from_status = locked.status
        if locked.status in (Status.PUBLISHED, Status.REVIEW):
            locked.status = Status.DRAFT
        bump_version(locked)
        locked.save()
        record_move(locked, from_status, None)
        revisions.keep(locked, None, note)
    return locked


def desk_saved(article: Article, from_status, user, comment: str, *, new_lead_image=False):
    """After the desk's change form saved an article with its inlines and tags (each save
    above went through the steps of `article_saved`): the status log, the renditions of a new
    or re-focused lead image made now (not on a reader's request), the revision."""
    from articles.desk import revisions

    record_move(article, from_status, user)
    if new_lead_image and article.lead_image:
        images.picture_for(article.lead_image)
    revisions.keep(article, user, comment)


# --- Tags cleaned up at the desk (articles/tags/) ---------------------------------------------


def _locked_tags(tag_ids):
    ids = sorted({int(pk) for pk in tag_ids})
    locked = {tag.pk: tag for tag in Tag.objects.select_for_update().filter(pk__in=ids)}
    if len(locked) != len(ids):
        raise cleanup.TagCleanupError(_("One of these tags no longer exists; reload the page."))
    return locked


def _log_tag_change(kind, user, *, tag=None, old, articles):
    return TagChange.objects.create(
        kind=kind,
        tag=tag,
        tag_name=tag.name if tag else "",
        old_names=[name for name, _slug in old],
        old_slugs=[slug for _name, slug in old],
        articles=len(articles),
        changed_by=user if user and user.is_authenticated else None,
    )


def merge_tags(survivor, others, user):
    """Merge `others` into `survivor`: every article carrying any of them carries the survivor
    (once), the others are deleted and their addresses (and those already redirected to them)
    answer 301 to the survivor's; search vectors, postings, tag weights and pages follow as
    if the articles had always shared the survivor. Returns the survivor."""
    other_ids = sorted({tag.pk for tag in others} - {survivor.pk})
    if not other_ids:
        raise cleanup.TagCleanupError(_("Choose at least two tags to merge."))
    with transaction.atomic():
        locked = _locked_tags([survivor.pk, *other_ids])
        survivor = locked[survivor.pk]
        old = [(locked[pk].name, locked[pk].slug) for pk in other_ids]
        article_ids = cleanup.tagged_article_ids(list(locked))
        cleanup.move_taggings(survivor.pk, other_ids)
        cleanup.redirect_pointing_to(other_ids, survivor)
        # Their postings and weights go by cascade; the survivor's are rewritten below.
        Tag.objects.filter(pk__in=other_ids).delete()
        cleanup.keep_addresses(survivor, [slug for _name, slug in old])
        tags_changed(article_ids)
        page_cache.invalidate_pages()  # the old tags' pages and feeds: now redirects
        _log_tag_change(TagChange.Kind.MERGE, user, tag=survivor, old=old, articles=article_ids)
    return survivor


def rename_tag(tag, new_name: str, user):
    """Give `tag` a new name and the slug made from it; its old slug answers 301 to the new
    one. A name another tag already has is refused: that is a merge. Returns the tag."""
    new_name = " ".join((new_name or "").split())
    max_length = Tag._meta.get_field("name").max_length
    if not unicode_slug(new_name) or len(new_name) > max_length:
        raise cleanup.TagCleanupError(
            _("A tag's name needs a letter or digit and at most %(max)d characters.")
            % {"max": max_length}
        )
    if Tag.objects.filter(name__iexact=new_name).exclude(pk=tag.pk).exists():
        raise cleanup.TagCleanupError(
            _("The tag “%(name)s” already exists: merge the two instead.") % {"name": new_name}
        )
    with transaction.atomic():
        tag = _locked_tags([tag.pk])[tag.pk]
        old = [(tag.name, tag.slug)]
        slug_length = Tag._meta.get_field("slug").max_length
        tag.name = new_name
        tag.slug = free_slug(Tag, unicode_slug(new_name, slug_length), exclude_pk=tag.pk)
        tag.save()  # its articles' search vectors and the pages: `tag_changed`
        cleanup.keep_addresses(tag, [old[0][1]])
        article_ids = cleanup.tagged_article_ids([tag.pk])
        _log_tag_change(TagChange.Kind.RENAME, user, tag=tag, old=old, articles=article_ids)
    return tag


def delete_tags(tags, user) -> int:
    """Delete tags: their articles lose them (search vectors, postings, pages follow); their
    pages and old addresses answer 404. Returns how many articles carried them."""
    ids = sorted({tag.pk for tag in tags})
    if not ids:
        return 0
    with transaction.atomic():
        locked = _locked_tags(ids)
        old = [(locked[pk].name, locked[pk].slug) for pk in ids]
        article_ids = cleanup.tagged_article_ids(ids)
        Tag.objects.filter(pk__in=ids).delete()
        tags_changed(article_ids)
        page_cache.invalidate_pages()
        _log_tag_change(TagChange.Kind.DELETE, user, old=old, articles=article_ids)
    return len(article_ids)
