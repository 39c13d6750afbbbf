"""The desk's three roles, as groups with Arabic names, and what each may do.

Defined here once; `sync_roles()` makes the groups and grants exactly these permissions. It
runs after every `migrate` (`articles.signal_handlers`), so a new database, a test database
flushed by a transactional test, or a role given a new permission all end up the same.
Migration 0004 made the groups first; it keeps its own frozen copy, as migrations must.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

REPORTER_GROUP = "مراسل"
EDITOR_GROUP = "محرر"
CHIEF_GROUP = "رئيس التحرير"

PUBLISH_PERMISSION = "articles.publish_article"
EDIT_ANY_PERMISSION = "articles.change_any_article"

# (app label, codename)
ARTICLE_WORK = [
    ("articles", "view_article"),
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "delete_article"),
    ("articles", "view_articlesource"),
    ("articles", "add_articlesource"),
    ("articles", "change_articlesource"),
    ("articles", "delete_articlesource"),
    ("articles", "view_relatedlink"),
    ("articles", "add_relatedlink"),
    ("articles", "change_relatedlink"),
    ("articles", "delete_relatedlink"),
    ("articles", "view_section"),
    ("articles", "view_author"),
    ("articles", "view_source"),
    ("articles", "view_statuschange"),
    ("taggit", "view_tag"),
    ("articles", "view_storygroup"),  # the incoming agency queue
    ("articles", "view_incomingitem"),
    ("articles", "view_agencystory"),  # new agency versions of one's own drafts
    ("articles", "change_agencystory"),
]
EDITING = [tuple(name.split(".")) for name in (PUBLISH_PERMISSION, EDIT_ANY_PERMISSION)]
MANAGING = [
    (app, f"{action}_{model}")
    for app, model in [
        ("articles", "section"),
        ("articles", "source"),
        ("articles", "author"),
        ("articles", "agencyfeed"),
        ("taggit", "tag"),
        ("taggit", "taggeditem"),
    ]
    for action in ("add", "change", "delete", "view")
]
# The log of tag renames, merges and deletes (articles/tags/): read only, for chief editors.
AUDITING = [("articles", "view_tagchange")]

ROLES = {
    REPORTER_GROUP: ARTICLE_WORK,
    EDITOR_GROUP: ARTICLE_WORK + EDITING,
    CHIEF_GROUP: ARTICLE_WORK + EDITING + MANAGING + AUDITING,
}


def sync_roles(using="default") -> None:
    """Make the three groups if missing and give each exactly its permissions."""
    for name, codenames in ROLES.items():
        codenames = set(codenames)
        wanted = Q()
        for app, codename in codenames:
            wanted |= Q(content_type__app_label=app, codename=codename)
        permissions = list(Permission.objects.using(using).filter(wanted))
        if len(permissions) != len(codenames):
            continue  # permissions not made yet (a partial migrate): the next run completes it
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(permissions)
