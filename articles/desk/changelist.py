"""Columns of the desk's article list. The status column also says, as small badges, whether
the article is on the site now, scheduled, or breaking news: three facts in one narrow column,
so the headline column gets the width (static/css/desk.css)."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@admin.display(description=_("status"), ordering="status")
def status_line(article):
    badges = []
    if article.is_public:
        badges.append(("live", pgettext_lazy("desk status badge", "on the site")))
    elif article.is_scheduled:
        badges.append(("scheduled", pgettext_lazy("desk status badge", "scheduled")))
    if article.breaking:
        badges.append(("breaking", pgettext_lazy("desk status badge", "breaking")))
    return format_html(
        '<span class="desk-status">{}{}</span>',
        article.get_status_display(),
        format_html_join(
            "", ' <span class="desk-status__badge desk-status__badge--{}">{}</span>', badges
        ),
    )
