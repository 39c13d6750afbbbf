"""The only signal receivers, connected in one function (`register_signal_handlers`, from
`ArticlesConfig.ready()`).

Our own models call the write path (`articles.actions`) from their `save()` and `delete()`.
Signals remain only where a change reaches the database without any save of ours:
- taggit's `Tag` saved or deleted (a tag renamed in the desk), and its slug made by our rule;
- many-to-many managers: `article.tags` (taggit), `article.authors` and `article.sources`
  (Django's related managers write the link rows directly);
- `post_migrate`: the desk's roles are synced after every migrate.
Each receiver only forwards to the write path.
"""

from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_save,
)

from articles import actions
from articles.slugs import free_slug, unicode_slug

_AFTER = ("post_add", "post_remove", "post_clear")


def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in _AFTER:
        return
    from articles.models import Article

    if not reverse:
        actions.tags_changed([instance.pk])
    elif pk_set:  # tag.<articles>.add(...): the instance is a tag, pk_set holds articles
        actions.tags_changed(pk_set)
    elif action == "post_clear":
        actions.tags_changed(Article.objects.filter(tags=instance).values_list("pk", flat=True))


def _credits_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in _AFTER:
        return
    if not reverse:
        actions.credits_changed([instance.pk])
    else:
        from articles.models import Article

        actions.credits_changed(
            pk_set or Article.objects.filter(sources=instance).values_list("pk", flat=True)
        )


def _bylines_changed(sender, action, **kwargs):
    if action in _AFTER:
        actions.shown_content_changed()


def _tag_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw:
        actions.tag_changed(instance, created=created)


def _tag_slug(sender, instance, raw=False, **kwargs):
    """A new tag's slug by the project's one slug rule (taggit's own makes "" of "؟")."""
    if not raw and instance._state.adding and not instance.slug:
        field = sender._meta.get_field("slug")
        instance.slug = free_slug(sender, unicode_slug(instance.name, field.max_length))


def _tag_deleted(sender, instance, **kwargs):
    actions.shown_content_changed()


def _migrated(sender, using="default", **kwargs):
    if sender.label == "articles":
        from articles.desk.roles import sync_roles

        sync_roles(using)


def register_signal_handlers() -> None:
    from taggit.models import Tag

    from articles.models import Article

    m2m_changed.connect(_tags_changed, sender=Article.tags.through, dispatch_uid="nr_tags")
    m2m_changed.connect(_credits_changed, sender=Article.sources.through, dispatch_uid="nr_srcs")
    m2m_changed.connect(_bylines_changed, sender=Article.authors.through, dispatch_uid="nr_auth")
    pre_save.connect(_tag_slug, sender=Tag, dispatch_uid="nr_tag_slug")
    post_save.connect(_tag_saved, sender=Tag, dispatch_uid="nr_tag_saved")
    post_delete.connect(_tag_deleted, sender=Tag, dispatch_uid="nr_tag_deleted")
    post_migrate.connect(_migrated, dispatch_uid="nr_roles")
