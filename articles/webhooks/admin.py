"""The desk's webhooks: subscriptions (resume a paused one), and each subscriber's delivery log
(status, response code, times) with redelivery."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.webhooks import tasks
from articles.webhooks.models import EventType, WebhookDelivery, WebhookSubscription


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "events", "secret", "active"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["name", "url", "active", "receiving", "consecutive_failures", "delivery_log"]
    list_filter = ["active"]
    readonly_fields = ["paused_at", "consecutive_failures", "created_at"]
    actions = ["resume_subscriptions"]

    @admin.display(description=_("receiving"), boolean=True)
    def receiving(self, obj):
        return obj.is_receiving

    @admin.display(description=_("delivery log"))
    def delivery_log(self, obj):
        url = reverse("admin:articles_webhookdelivery_changelist")
        return format_html('<a href="{}?subscription__id__exact={}">{}</a>', url, obj.pk, _("log"))

    @admin.action(description=_("Resume the selected subscriptions and send what waits"))
    def resume_subscriptions(self, request, queryset):
        count = tasks.resume(queryset)
        self.message_user(
            request,
            ngettext("%(count)d subscription resumed.", "%(count)d subscriptions resumed.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event_type",
        "article",
        "subscription",
        "status",
        "attempts",
        "last_status_code",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "subscription", "event__type"]
    list_select_related = ["event", "subscription"]
    readonly_fields = [
        "subscription",
        "event",
        "event_id_shown",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "payload",
    ]
    fields = readonly_fields
    actions = ["deliver_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("event"), ordering="event__type")
    def event_type(self, obj):
        return obj.event.get_type_display()

    @admin.display(description=_("article id"), ordering="event__article_id")
    def article(self, obj):
        return obj.event.article_id

    @admin.display(description=_("event id"))
    def event_id_shown(self, obj):
        return obj.event_id

    @admin.display(description=_("payload"))
    def payload(self, obj):
        return format_html("<pre dir='auto'>{}</pre>", tasks.http.event_body(obj.event).decode())

    def has_redeliver_permission(self, request):
        return request.user.has_perm("articles.change_webhooksubscription")

    @admin.action(description=_("Deliver the selected events again"), permissions=["redeliver"])
    def deliver_again(self, request, queryset):
        count = tasks.redeliver(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery queued again.", "%(count)d deliveries queued again.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
