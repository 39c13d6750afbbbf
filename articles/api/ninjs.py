"""Articles as IPTC ninjs 2.0 (News in JSON, https://iptc.org/std/ninjs/): what a syndication
partner's system reads without knowing our JSON. Mapping (docs/api.md, "ninjs"):

    uri             the article's API URL (stable: the slug may change, the id does not)
    headlines       the headline (role "main"); title is the same text, as metadata
    descriptions    the summary (role "summary", text/plain)
    bodies          the sanitised body as text/html, and as text/plain, with counts
    by              the authors' names; infosources: the credited sources
    subjects        the section (rel "section") and the tags (rel "tag")
    associations    the lead image (name "featureimage", type picture) with its renditions
    altids          our id and the reader page's URL
    embargoed       the publication time, for a scheduled article (keys with read:scheduled)

ninjs 2.0 allows no properties of its own at the top level, so nothing else is added there.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from articles.api.serializers import absolute, content_language, lead_image
from articles.search.engine import html_to_text
from articles.text.sanitize import clean_html

NINJS_VERSION = "2.0"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.0.json"


def _time(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _uri(url: str) -> str:
    """An IRI made a URI: Arabic slugs percent-encoded."""
    return iri_to_uri(url)


def _bodies(body: str) -> list[dict]:
    html = clean_html(body)
    text = " ".join(html_to_text(html).split())
    if not text:
        return []
    counts = {"charcount": len(text), "wordcount": len(text.split())}
    return [
        {"role": "main", "contenttype": "text/html", **counts, "value": html},
        {"role": "main", "contenttype": "text/plain", **counts, "value": text},
    ]


def _picture(article, image: dict) -> dict:
    item = {
        "name": "featureimage",
        "uri": _uri(absolute(article.lead_image.storage.url(article.lead_image.name))),
        "type": "picture",
        "renditions": [
            {
                "name": f"{r['type'].split('/')[1]}-{r['width']}",
                "href": _uri(r["url"]),
                "contenttype": r["type"],
                "width": r["width"],
                "height": r["height"],
                **({"sizeinbytes": r["bytes"]} if r["bytes"] is not None else {}),
            }
            for r in image["renditions"]
        ],
    }
    if image["caption"]:
        item["descriptions"] = [{"role": "caption", "value": image["caption"]}]
    if image["credit"]:
        item["by"] = image["credit"]
        item["copyrightholder"] = image["credit"]
    return item


def ninjs_item(article) -> dict:
    """One article as a ninjs 2.0 object. `article` comes with `with_page_data()` (or the
    listing's prefetches): this makes no query."""
    language = content_language(article)
    page_url = absolute(article.get_absolute_url())
    item = {
        "uri": _uri(absolute(reverse("api:article-detail", args=[article.pk]))),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "type": "text",
        "representationtype": "full",
        "profile": "text-photo" if article.lead_image else "text-only",
        "version": str(article.version),
        "firstcreated": _time(article.created_at),
        "versioncreated": _time(article.updated_at),
        "pubstatus": "usable",
        "language": language,
        "title": article.title,
        "slugline": article.slug,
        "headlines": [{"role": "main", "contenttype": "text/plain", "value": article.title}],
        "altids": [
            {"role": "newsroom:id", "value": str(article.pk)},
            {"role": "newsroom:url", "value": _uri(page_url)},
        ],
    }
    if article.published_at and article.published_at > timezone.now():
        item["embargoed"] = _time(article.published_at)
    if article.breaking:
        item["urgency"] = 1
    if article.summary:
        item["descriptions"] = [
            {"role": "summary", "contenttype": "text/plain", "value": article.summary}
        ]
    bodies = _bodies(article.body)
    if bodies:
        item["bodies"] = bodies
    authors = [author.name for author in article.authors.all()]
    if authors:
        item["by"] = ("، " if language == "ar" else ", ").join(authors)
    credits = [credit.source for credit in article.article_sources.all()]
    if credits:
        item["infosources"] = [
            {
                "name": source.name,
                "literal": source.slug,
                "uri": _uri(absolute(source.get_absolute_url())),
            }
            for source in credits
        ]
    subjects = []
    if article.section:
        section = article.section
        subjects.append(
            {
                "name": section.name,
                "rel": "section",
                "literal": section.slug,
                "uri": _uri(absolute(section.get_absolute_url())),
            }
        )
    for tag in article.tags.all():
        if tag.slug:
            subjects.append(
                {
                    "name": tag.name,
                    "rel": "tag",
                    "literal": tag.slug,
                    "uri": _uri(absolute(reverse("articles:tag", args=[tag.slug]))),
                }
            )
    if subjects:
        item["subjects"] = subjects
    image = lead_image(article)
    if image is not None:
        item["associations"] = [_picture(article, image)]
    return item
