"""Most-read lists and the read beacon in templates (articles/readership, docs/most-read.md).

{% load readership %}
{% most_read %}                      site-wide, as a block (home)
{% most_read section layout="aside" %}   a section's lists in the page's side column
{% read_beacon article %}            the article page's beacon (script and noscript pixel)
"""

from django import template

from articles.models import Section
from articles.readership import beacon, lists
from newsroom import page_dependencies

register = template.Library()


@register.inclusion_tag("includes/most_read.html", takes_context=True)
def most_read(context, subject=None, layout="block"):
    """The lists of a section (when `subject` is one) or of the whole site. The page depends
    on them: it retires when they change (a roll-up, or an edit to an article on them)."""
    request = context.get("request")
    if request is not None:
        page_dependencies.depends_on_request(request, lists.DEPENDENCY)
    section = subject if isinstance(subject, Section) else None
    found = lists.for_scope(section.pk if section else None)
    return {"day": found["day"], "week": found["week"], "section": section, "layout": layout}


@register.inclusion_tag("includes/read_beacon.html", takes_context=True)
def read_beacon(context, article):
    """Only on a public article's page for readers (not in a desk preview, not for editors)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    shown = article is not None and article.is_public and not signed_in
    return {
        "beacon_url": beacon.beacon_url(article.pk) if shown else None,
        "pixel_url": beacon.pixel_url(article.pk) if shown else None,
    }
