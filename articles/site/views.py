import collections
import datetime
import functools

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Value
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from articles.live.context import page_context as live_page_context
from articles.models import Article, Author, Section, Source
from articles.querysets import breaking_since
from articles.related import public_postings, related_articles, tagged_newest_first
from articles.search.engine import (
    SearchForm,
    highlight,
    html_to_text,
    parse_query,
    snippet,
)
from articles.search.engine import search as search_public
from articles.site.cards import CardRef, cards_html
from articles.site.context_processors import nav_sections
from articles.tags.redirects import TagMoved, tag_by_slug
from articles.templatetags.live import is_live
from articles.templatetags.newsroom import newsday
from newsroom import page_dependencies
from newsroom.page_cache import cache_for_readers
from newsroom.prepared import Moment, Number, Prepared

PAGE_SIZE = 20
HOME_LATEST = 12
HOME_PER_SECTION = 4
BREAKING_SHOWN = 5


def home_crumb():
    return (reverse("articles:home"), _("Home"))


class ListingPaginator(Paginator):
    """Counts at most MAX_PAGES pages, so a listing costs the same at 10,000 articles as at a
    million (a full COUNT grows with the archive). Older articles stay reachable through the
    day archives, tags and search."""

    MAX_PAGES = 100

    def __init__(self, object_list, per_page, *, counted=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        # A cheaper queryset with the same number of rows, if the listing has one.
        self.counted = object_list if counted is None else counted

    @cached_property
    def count(self):
        return self.counted[: self.MAX_PAGES * self.per_page].count()


def paginate(request, queryset, per_page=PAGE_SIZE, *, counted=None):
    """A page of the queryset; a page number out of range is a 404, not a stack trace."""
    paginator = ListingPaginator(queryset, per_page, counted=counted)
    number = request.GET.get("page") or 1
    try:
        return paginator.page(number)
    except Exception as error:  # InvalidPage, or a non-number
        raise Http404(_("No such page.")) from error


def _breaking(now, since):
    return (
        Article.objects.breaking_now(now=now, since=since)
        .select_related("live")
        .only("pk", "slug", "title_ar", "title_en", "published_at", "live__state")
        .newest_first()[:BREAKING_SHOWN]
    )


BREAKING = Prepared(_breaking, Moment, Moment)
HOME_COLUMNS = ("pk", "updated_at", "published_at")


@functools.cache
def _home_cards_query(sections: int) -> Prepared:
    """What the home page's cards need to be found: the latest articles, and each section's
    newest (enough of them that HOME_PER_SECTION remain once the latest are left out), as
    (block, id, updated_at, published_at) rows of one UNION ALL of short index scans
    (article_section_idx). A query per number of sections, compiled once."""

    def build(now, *section_ids):
        public = Article.objects.published(now=now).newest_first()
        latest = public.annotate(block=Value(0)).values_list("block", *HOME_COLUMNS)
        parts = [
            public.filter(section_id=section_id)
            .annotate(block=Value(n))
            .values_list("block", *HOME_COLUMNS)[: HOME_LATEST + 1 + HOME_PER_SECTION]
            for n, section_id in enumerate(section_ids, start=1)
        ]
        return latest[: HOME_LATEST + 1].union(*parts, all=True)

    return Prepared(build, Moment, *([Number] * sections))


def home_cards(now, sections):
    """The home page's cards as HTML: [top story and the latest stories], then for each of
    `sections` its newest stories that are not among the latest (an empty list for a section
    with none)."""
    rows = _home_cards_query(len(sections))(now, *(section.pk for section in sections))
    blocks = collections.defaultdict(list)
    for block, pk, updated_at, published_at in rows:
        blocks[block].append((published_at, pk, updated_at))
    for block in blocks.values():
        block.sort(reverse=True)  # newest first, as each part of the query was
    latest = blocks[0][: HOME_LATEST + 1]
    on_top = {pk for _moment, pk, _updated in latest}
    wanted = [
        [
            CardRef(pk, updated_at, lead=n == 0, level=2 if n == 0 else 3)
            for n, (_moment, pk, updated_at) in enumerate(latest)
        ]
    ]
    for n in range(1, len(sections) + 1):
        newest = [row for row in blocks[n] if row[1] not in on_top][:HOME_PER_SECTION]
        wanted.append([CardRef(pk, updated, hide_section=True) for _m, pk, updated in newest])
    found = iter(cards_html([ref for refs in wanted for ref in refs]))
    # A None is a story unpublished since the rows were read: left out.
    return [[html for html in (next(found) for _ in refs) if html] for refs in wanted]


@require_safe
@cache_for_readers
def home(request):
    now = timezone.now()
    breaking = BREAKING(now, breaking_since(now))
    sections = nav_sections()
    latest, *by_section = home_cards(now, sections)
    response = render(
        request,
        "articles/home.html",
        {
            "top_story": latest[0] if latest else None,
            "latest": latest[1:],
            "by_section": [
                (section, cards)
                for section, cards in zip(sections, by_section, strict=True)
                if cards
            ],
            "breaking": breaking,
        },
    )
    expiring = [a for a in breaking if not is_live(a)]  # live coverage stays while live
    if expiring:
        # The cached page must not outlive the ticker: it expires when the oldest item does.
        fresh_for = datetime.timedelta(hours=settings.BREAKING_NEWS_HOURS)
        response.cache_until = (min(a.published_at for a in expiring) + fresh_for).timestamp()
    return response


def _article_page(now, pk):
    return Article.objects.published(now=now).with_page_data().filter(pk=pk)


# The page's one query, compiled once per language (newsroom/prepared.py).
ARTICLE_PAGE = Prepared(_article_page, Moment, Number)


@require_safe
@cache_for_readers
def article_detail(request, pk, slug=None):
    found = ARTICLE_PAGE(timezone.now(), pk)
    if not found:
        raise Http404(_("No such article."))
    article = found[0]
    if slug != article.slug:
        return redirect(article, permanent=True)
    context = article_page_context(article)
    context.update(live_page_context(article, request))  # articles/live/: coverage, notes
    response = render(request, "articles/article_detail.html", context)
    # The page shows this article and the ones it links to: an edit to any of them retires it;
    # edits to other articles leave it cached (newsroom/page_dependencies.py).
    shown = {article.pk, *(card.pk for card in context["related"]), *context["linked_ids"]}
    page_dependencies.depends_on(response, *(page_dependencies.article(pk) for pk in shown))
    return response


def article_page_context(article):
    """What the article page shows, for readers and for the desk's preview alike.
    `article` comes from `with_page_data()`, so this adds only the related-articles query."""
    links = article.related_links.all()
    manual_targets = [link.target_id for link in links if link.target_id]
    tags = [tag for tag in article.tags.all() if tag.slug]  # a tag without a slug has no page
    crumbs = [home_crumb()]
    if article.section:
        crumbs.append((article.section.get_absolute_url(), article.section.name))
    crumbs.append((None, article.title))
    return {
        "breadcrumbs": crumbs,
        "article": article,
        "tags": tags,
        "read_also": [shown for shown in (link.reader_link() for link in links) if shown],
        "linked_ids": manual_targets,
        "related": related_articles(article, [t.pk for t in tags], exclude_ids=manual_targets),
    }


def _listing(
    request,
    heading,
    queryset,
    *,
    description,
    subject=None,
    feed_url=None,
    counted=None,
    crumbs=(),
    extra=None,
    public_only_when_filled=False,
):
    """A paginated listing page, with its own title, description and breadcrumbs (home, then
    `crumbs`, then the heading). `public_only_when_filled`: a name (tag, author, source) has a
    page only once it has a public article; before that it answers 404 like an unknown one,
    so an embargoed topic or a new wire byline shows nothing."""
    if not queryset.query.order_by:
        queryset = queryset.newest_first()
    page = paginate(request, queryset.with_card_data(), counted=counted)
    if public_only_when_filled and page.number == 1 and not page.object_list:
        raise Http404(_("Nothing has been published under this name yet."))
    return render(
        request,
        "articles/article_list.html",
        {
            "heading": heading,
            "description": description,
            "page": page,
            "subject": subject,
            "feed_url": feed_url,
            "breadcrumbs": [home_crumb(), *crumbs, (None, heading)],
            **(extra or {}),
        },
    )


@require_safe
@cache_for_readers
def section_list(request, slug):
    section = get_object_or_404(Section, slug=slug)
    return _listing(
        request,
        section.name,
        Article.objects.published().in_section(section),
        description=section.description
        or _("The latest news in %(section)s.") % {"section": section.name},
        subject=section,
        feed_url=("articles:feed_section", slug),
    )


@require_safe
@cache_for_readers
def tag_list(request, slug):
    try:
        tag = tag_by_slug(slug)
    except TagMoved as moved:
        return moved.response(request, "articles:tag")
    return _listing(
        request,
        _("Tag: %(name)s") % {"name": tag.name},
        tagged_newest_first(Article.objects.published(), tag),
        description=_("The latest articles tagged %(tag)s.") % {"tag": tag.name},
        feed_url=("articles:feed_tag", slug),
        counted=public_postings(tag),
        public_only_when_filled=True,
    )


@require_safe
@cache_for_readers
def source_list(request, slug):
    source = get_object_or_404(Source, slug=slug)
    return _listing(
        request,
        _("From %(name)s") % {"name": source.name},
        Article.objects.published().filter(sources=source),
        description=_("The latest articles from %(source)s.") % {"source": source.name},
        subject=source,
        public_only_when_filled=True,
    )


@require_safe
@cache_for_readers
def author_list(request, slug):
    author = get_object_or_404(Author, slug=slug)
    return _listing(
        request,
        author.name,
        Article.objects.published().filter(authors=author),
        description=author.bio or _("Articles by %(author)s.") % {"author": author.name},
        subject=author,
        public_only_when_filled=True,
    )


@require_safe
@cache_for_readers
def day_archive(request, year, month, day):
    try:
        day_date = datetime.date(year, month, day)
        start, end = day_bounds(day_date)
    except (ValueError, OverflowError) as error:  # 30 February; the day after 31-12-9999
        raise Http404(_("No such date.")) from error
    public = Article.objects.published()
    articles = public.filter(published_at__gte=start, published_at__lt=end)
    label = newsday(day_date)
    return _listing(
        request,
        _("Archive: %(date)s") % {"date": label},
        articles,
        description=_("The articles published on %(date)s.") % {"date": label},
        extra={
            "archive_day": day_date,
            "previous_day": nearest_day(public.filter(published_at__lt=start).newest_first()),
            "next_day": nearest_day(public.filter(published_at__gte=end).order_by("published_at")),
        },
    )


def day_bounds(day_date: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The start and end of a day in the newsroom's time zone."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day_date, datetime.time.min, tzinfo=zone)
    following = datetime.datetime.combine(
        day_date + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, following


def nearest_day(articles) -> datetime.date | None:
    """The local date of the first of `articles` (an ordered queryset), or None."""
    moment = articles.values_list("published_at", flat=True).first()
    return timezone.localdate(moment) if moment else None


SEARCH_PAGE_SIZE = 10


@require_safe
def search(request):
    """Arabic-aware full-text search over published articles (see articles/search/).

    Every input answers 200: an unsearchable query shows help, invalid filters are reported
    and ignored, and an out-of-range page shows the nearest page.
    """
    form = SearchForm(request.GET)
    form.is_valid()
    query = form.cleaned_data.get("q", "")
    results = search_public(form.filter(Article.objects.published()), query)
    paginator = Paginator(results.articles.with_card_data(body=True), SEARCH_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    hits = [
        {
            "article": article,
            "title": highlight(article.title, query),
            "snippet": snippet(f"{article.summary} {html_to_text(article.body)}", query),
        }
        for article in page.object_list
    ]
    return render(
        request,
        "articles/search.html",
        {
            "form": form,
            "query": query,
            "searchable": bool(parse_query(query)),
            "total": results.total,
            "more": results.more,
            "page": page,
            "hits": hits,
            "breadcrumbs": [home_crumb(), (None, _("Search"))],
        },
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /en/search/",
        "Disallow: /preview/",
        "Disallow: /live/",
        "Disallow: /en/live/",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap_index')}",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap_news')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
