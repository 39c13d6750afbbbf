"""API keys at the desk (administrators): make a key (shown once, on the page that follows,
and never stored in clear, nor put in a message or cookie), see when each was last used,
revoke it. Registered from articles/admin.py."""

from django import forms
from django.contrib import admin, messages
from django.template import engines
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.api.models import ApiKey

# The page that shows a new key once; the desk's own frame around it.
ISSUED_PAGE = """{% extends "admin/base_site.html" %}{% load i18n %}
{% block content %}
<p>{% blocktranslate trimmed with name=key.name %}The key for “{{ name }}” is below. Copy it now: it is
shown only this once, and the newsroom keeps only a fingerprint of it.{% endblocktranslate %}</p>
<p><code dir="ltr" style="font-size: 1.2em; user-select: all">{{ clear_key }}</code></p>
<p>{% translate "Callers send it in the header" %}
<code dir="ltr">Authorization: Api-Key {{ key.prefix }}…</code>
{% translate "or" %} <code dir="ltr">X-Api-Key</code>.</p>
<p><a href="{{ list_url }}">{% translate "Back to the API keys" %}</a></p>
{% endblock %}"""


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=ApiKey.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Without a scope a key reads what readers see, with a higher rate limit."),
    )

    class Meta:
        model = ApiKey
        fields = ["name", "scopes", "revoked"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ["name", "prefix", "scopes", "created_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke_keys"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "scopes"]
        return ["name", "prefix", "scopes", "revoked", *self.readonly_fields[1:]]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            request._issued_api_key = obj.issue()
        elif "revoked" in form.changed_data:
            if obj.revoked:
                obj.revoked = False
                obj.revoke()
            else:
                obj.revoked_at = None
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        clear_key = getattr(request, "_issued_api_key", None)
        if clear_key is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "title": _("New API key"),
            "key": obj,
            "clear_key": clear_key,
            "list_url": "../",
            "opts": self.model._meta,
        }
        page = engines["django"].from_string(ISSUED_PAGE)
        response = TemplateResponse(request, page, context)
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @admin.action(description=_("Revoke the selected keys"))
    def revoke_keys(self, request, queryset):
        keys = list(queryset.filter(revoked=False))
        for key in keys:
            key.revoke()
            key.save(update_fields=["revoked", "revoked_at"])
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", len(keys))
            % {"count": len(keys)},
            messages.SUCCESS,
        )
