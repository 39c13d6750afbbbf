"""The desk's three roles as groups with Arabic names (reporter, editor, chief editor)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = "مراسل"
EDITOR = "محرر"
CHIEF = "رئيس التحرير"

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
]
EDITING = [
    ("articles", "publish_article"),
    ("articles", "change_any_article"),
]
MANAGING = [
    (app, f"{action}_{model}")
    for app, model in [
        ("articles", "section"),
        ("articles", "source"),
        ("articles", "author"),
        ("taggit", "tag"),
        ("taggit", "taggeditem"),
    ]
    for action in ("add", "change", "delete", "view")
]

ROLES = {
    REPORTER: ARTICLE_WORK,
    EDITOR: ARTICLE_WORK + EDITING,
    CHIEF: ARTICLE_WORK + EDITING + MANAGING,
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in codenames
        ]
        group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_desk_permissions_and_status_log"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
