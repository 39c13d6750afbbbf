"""Helpers for desk tests: desk members in their groups, and the admin form's data as a
browser would post it."""

import datetime

from django.contrib.auth.models import Group
from django.db.models.fields.files import FieldFile
from django.forms import ModelMultipleChoiceField, MultipleChoiceField, MultiWidget
from taggit.utils import edit_string_for_tags

from articles.desk.roles import CHIEF_GROUP, EDITOR_GROUP, REPORTER_GROUP, sync_roles

PASSWORD = "pass-for-tests-1"
ROLES = {"reporter": REPORTER_GROUP, "editor": EDITOR_GROUP, "chief": CHIEF_GROUP}


def ensure_roles():
    """A transactional test's flush removes the groups; make them again as `migrate` does."""
    if Group.objects.filter(name__in=ROLES.values()).count() < len(ROLES):
        sync_roles()


def make_member(django_user_model, username, role):
    ensure_roles()
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=ROLES[role]))
    return user


def _as_post(field, value):
    if value is None:
        return None if isinstance(field, MultipleChoiceField | ModelMultipleChoiceField) else ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, list | tuple):
        if value and hasattr(value[0], "slug") and hasattr(value[0], "name"):
            return edit_string_for_tags(value)
        return [str(getattr(item, "pk", item)) for item in value]
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value.pk)
    if isinstance(value, FieldFile):  # a stored file is not uploaded again
        return None
    return str(value)


def _add_form(data, form):
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        if isinstance(field.widget, MultiWidget):
            if not isinstance(value, list):
                value = field.widget.decompress(value)
            for index, part in enumerate(value):
                data[f"{key}_{index}"] = "" if part is None else _as_post(field, part)
            continue
        posted = _as_post(field, value)
        if posted is not None:
            data[key] = posted


def change_form_data(response, **changes):
    """The data the admin change (or add) form in `response` would post unchanged, with
    `changes` applied."""
    data = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
