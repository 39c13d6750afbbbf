"""Search: the page readers use, the vectors behind it, and inputs meant to break it."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleSource
from articles.search import candidates
from articles.search.candidates import week_of, week_query, week_start
from articles.search.engine import (
    highlight,
    parse_query,
    query_stems,
    search,
    search_articles,
    snippet,
)
from articles.search.index import refresh_search_vectors
from tests.factories import make_article, make_section, make_source

pytestmark = pytest.mark.django_db

URL = reverse("articles:search")


def found(query, queryset=None):
    queryset = Article.objects.published() if queryset is None else queryset
    return list(search_articles(queryset, query).values_list("title", flat=True))


def page_titles(response):
    return [hit["article"].title for hit in response.context["hits"]]


# --- Parsing queries (pure) ----------------------------------------------------------------------


def test_query_words_are_normalised_and_stemmed_like_documents():
    assert parse_query("والحُكومة المصرية") == "حكوم مصر"


def test_quotes_and_exclusions_keep_their_meaning():
    assert parse_query('"وزير الدفاع" -روسيا') == '" وزير دفاع " -روس'


def test_query_of_only_stopwords_punctuation_or_exclusions_is_not_searchable():
    for raw in ["", "   ", "في من على", "؟!،.", "-غزة", "-غزة -مصر", "\u200f\u200e", "<>&|!"]:
        assert parse_query(raw) == "", raw


def test_long_queries_are_cut_to_a_bounded_number_of_terms():
    parsed = parse_query("غزة " * 1000)
    assert 0 < len(parsed.split()) <= 12


def test_highlight_marks_matching_words_in_the_original_arabic_and_escapes_the_rest():
    html = highlight("<b>والحكومةُ</b> تعلن & الحكومات", "حكومه")
    assert html == "&lt;b&gt;<mark>والحكومةُ</mark>&lt;/b&gt; تعلن &amp; <mark>الحكومات</mark>"


def test_snippet_shows_the_window_with_most_matches_with_ellipses():
    text = " ".join(["كلمة"] * 100 + ["زلزال", "قوي", "في", "تركيا"] + ["كلمة"] * 100)
    result = snippet(text, "زلزال تركيا", words=10)
    assert result.startswith("… ") and result.endswith(" …")
    assert "<mark>زلزال</mark>" in result and "<mark>تركيا</mark>" in result


def test_query_stems_leave_out_exclusions():
    assert query_stems("غزة -مصر") == {"غزه"}


# --- Finding articles ----------------------------------------------------------------------------


def test_title_outranks_summary_outranks_body():
    make_article("مقال عن الطقس", body="<p>الأمطار الغزيرة في المدينة</p>", hours_ago=1)
    make_article("الأمطار الغزيرة تغرق الشوارع", hours_ago=5)
    make_article("نشرة الصباح", summary="أمطار غزيرة متوقعة", hours_ago=3)
    assert found("امطار غزيره") == [
        "الأمطار الغزيرة تغرق الشوارع",
        "نشرة الصباح",
        "مقال عن الطقس",
    ]


def test_of_equally_relevant_articles_the_recent_one_comes_first():
    make_article(
        "انتخابات بلدية في المدينة", published_at=timezone.now() - datetime.timedelta(days=200)
    )
    make_article("انتخابات بلدية في القرية", hours_ago=2)
    assert found("انتخابات بلديه") == ["انتخابات بلدية في القرية", "انتخابات بلدية في المدينة"]


def test_draft_never_appears_in_search():
    make_article("قمة المناخ تبدأ أعمالها", status=Article.Status.DRAFT)
    make_article("قمة المناخ: مسودة", status=Article.Status.REVIEW)
    make_article("قمة المناخ المؤرشفة", status=Article.Status.ARCHIVED, published_at=timezone.now())
    make_article("قمة المناخ غداً", published_at=timezone.now() + datetime.timedelta(hours=3))
    live = make_article("قمة المناخ تختتم أعمالها")
    response = Client().get(URL, {"q": "قمة المناخ"})
    assert [hit["article"].pk for hit in response.context["hits"]] == [live.pk]


def test_english_version_is_searchable_too():
    make_article("زيارة رسمية", title_en="State visit to Jordan")
    assert found("jordan") == ["زيارة رسمية"]


# --- Keeping vectors current ---------------------------------------------------------------------


def test_editing_an_article_updates_what_search_finds():
    article = make_article("افتتاح معرض الكتاب")
    article.title = "تأجيل مهرجان السينما"
    article.save()
    assert found("معرض الكتاب") == []
    assert found("مهرجان السينما") == ["تأجيل مهرجان السينما"]


def test_adding_and_removing_tags_updates_search():
    article = make_article("خبر محلي")
    article.tags.add("الانتخابات")
    assert found("انتخابات") == ["خبر محلي"]
    article.tags.remove("الانتخابات")
    assert found("انتخابات") == []


def test_crediting_and_renaming_a_source_updates_search():
    article = make_article("خبر من الوكالة")
    source = make_source("رويترز", aliases=["Reuters"])
    ArticleSource.objects.create(article=article, source=source, position=0)
    assert found("reuters") == ["خبر من الوكالة"]
    source.name = "أسوشيتد برس"
    source.aliases = ["AP"]
    source.save()
    assert found("reuters") == []
    assert found("اسوشيتد") == ["خبر من الوكالة"]
    ArticleSource.objects.filter(article=article).delete()
    assert found("اسوشيتد") == []


def test_bulk_inserted_articles_are_found_after_refresh():
    now = timezone.now()
    Article.objects.bulk_create(
        [
            Article(title=f"تقرير اقتصادي {n}", slug=f"bulk-{n}", status="published",
                    published_at=now)
            for n in range(5)
        ]
    )  # fmt: skip
    assert found("تقرير اقتصادي") == []
    assert refresh_search_vectors(Article.objects.filter(slug__startswith="bulk-")) == 5
    assert len(found("تقرير اقتصادي")) == 5


# --- The page ------------------------------------------------------------------------------------


def test_search_page_shows_count_highlighted_titles_and_keeps_the_query(client):
    make_article("الرئيس يستقبل وفداً برلمانياً", summary="لقاء في القصر الرئاسي")
    make_article("وفد برلماني يزور الجنوب")
    make_article("خبر آخر")
    response = client.get(URL, {"q": "وفد برلماني"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2
    html = response.content.decode()
    assert "<mark>وفداً</mark> <mark>برلمانياً</mark>" in html
    assert 'value="وفد برلماني"' in html


def test_results_are_paginated_and_filters_survive_paging(client):
    section = make_section("اقتصاد", slug="economy")
    for n in range(25):
        make_article(f"أسعار النفط {n}", section=section, hours_ago=n + 1)
    response = client.get(URL, {"q": "النفط", "section": "economy"})
    assert response.context["page"].paginator.count == 25
    assert len(response.context["hits"]) == 10
    html = response.content.decode()
    assert "q=%D8%A7%D9%84%D9%86%D9%81%D8%B7&amp;section=economy&amp;page=2" in html
    last = client.get(URL, {"q": "النفط", "section": "economy", "page": 3})
    assert len(last.context["hits"]) == 5


def test_section_and_date_filters_narrow_results(client):
    politics = make_section("سياسة", slug="politics")
    sport = make_section("رياضة", slug="sport")
    make_article("مباراة القمة الليلة", section=sport, hours_ago=2)
    make_article("القمة العربية تنعقد", section=politics, hours_ago=2)
    old = timezone.now() - datetime.timedelta(days=40)
    make_article("القمة العربية السابقة", section=politics, published_at=old)

    assert page_titles(client.get(URL, {"q": "القمة", "section": "sport"})) == [
        "مباراة القمة الليلة"
    ]
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    recent = client.get(URL, {"q": "القمة", "section": "politics", "date_from": since})
    assert page_titles(recent) == ["القمة العربية تنعقد"]
    until = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert page_titles(client.get(URL, {"q": "القمة", "date_to": until})) == [
        "القمة العربية السابقة"
    ]


def test_no_results_page_is_helpful(client):
    make_article("خبر عن الطقس")
    response = client.get(URL, {"q": "ديناصورات", "section": ""})
    assert response.status_code == 200
    assert response.context["hits"] == []
    assert reverse("articles:home") in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "غزة " * 750,  # 3,000 characters
        "x" * 3000,
        "'; DROP TABLE articles_article; --",
        "' OR 1=1 --",
        "غزة & | ! <-> :* ( ) \\",
        '"""',
        "-",
        "!!!",
        "؟",
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "\u202e\u200f\u2066غزة\u2069",
        "\x00غزة\x00",
        "%00",
        "or or or",
        "غزة -",
    ],
)
def test_hostile_queries_answer_200_and_never_echo_markup(client, query):
    make_article("قطاع غزة اليوم")
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "غزة", "page": "999"},
        {"q": "غزة", "page": "abc"},
        {"q": "غزة", "page": "-1"},
        {"q": "غزة", "section": "no-such-section"},
        {"q": "غزة", "date_from": "2024-13-45", "date_to": "not a date"},
        {"q": "غزة", "date_from": "2030-01-01", "date_to": "2020-01-01"},
    ],
)
def test_odd_parameters_answer_200(client, params):
    make_article("قطاع غزة اليوم")
    assert client.get(URL, params).status_code == 200


def test_search_page_runs_a_fixed_number_of_queries(client):
    section = make_section("محليات", slug="local")
    for n in range(3):
        make_article(f"حريق في المصنع {n}", section=section, tags=["حرائق"])
    client.get("/")  # the section menu is cached from the first page on
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"q": "حريق"})
    for n in range(12):
        make_article(f"حريق في المستودع {n}", section=section, tags=["حرائق"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, {"q": "حريق"})
    assert len(response.context["hits"]) == 10
    assert len(many) == len(few) <= 10
    # the section menu of the form is one ordinary query, not a held server-side cursor
    assert not any("DECLARE" in query["sql"] for query in many)


def test_common_word_ranks_the_newest_matches_and_says_there_are_more(client, monkeypatch):
    monkeypatch.setattr(candidates, "SMALL_MATCH_SET", 5)
    monkeypatch.setattr(candidates, "RANKED", 4)
    monkeypatch.setattr(candidates, "RECENT_WINDOWS", (6, None))
    monkeypatch.setattr(candidates, "_boundary_cache", {})
    for n in range(12):
        make_article(f"نشرة الطقس {n}", hours_ago=n + 1)
    make_article("خبر آخر", hours_ago=0)

    results = search(Article.objects.published(), "الطقس")
    assert results.more and results.total == 5
    assert sorted(results.articles.values_list("title", flat=True)) == [
        f"نشرة الطقس {n}" for n in range(4)
    ]
    response = client.get(URL, {"q": "الطقس"})
    assert response.context["more"] is True


# --- The week index: the newest matches of common words ------------------------------------------


def test_week_query_moves_every_lexeme_into_the_week_and_phrases_become_and():
    assert week_query("'سد' & 'نهض'", 2970) == "'2970:سد' & '2970:نهض'"
    assert week_query("'a' <-> 'b' | ( 'c' <2> 'it''s' )", 7) == (
        "'7:a' & '7:b' | ( '7:c' & '7:it''s' )"
    )


def test_week_boundaries_agree_with_the_index_function():
    week = week_of(timezone.now()) - 3
    start = week_start(week)
    assert (
        week_of(start) == week and week_of(start - datetime.timedelta(microseconds=1)) == week - 1
    )
    before = make_article("سد النهضة", published_at=start - datetime.timedelta(microseconds=1))
    after = make_article("سد النهضة", published_at=start)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, tsvector_to_array(search_vector),"
            " tsvector_to_array(article_search_week_terms(search_vector, published_at))"
            " FROM articles_article WHERE id IN (%s, %s)",
            [before.pk, after.pk],
        )
        rows = {pk: (stems, terms) for pk, stems, terms in cursor.fetchall()}
    for article, expected_week in ((before, week - 1), (after, week)):
        stems, terms = rows[article.pk]
        assert stems and sorted(terms) == sorted(f"{expected_week}:{stem}" for stem in stems)


@pytest.fixture
def common_words(monkeypatch):
    """Thresholds scaled to a handful of articles: every query counts as common, so the newest
    matches come from the week index (windows of 3 rows, then the whole archive)."""
    monkeypatch.setattr(candidates, "COMMON_STEM", -1)
    monkeypatch.setattr(candidates, "SMALL_MATCH_SET", 2)
    monkeypatch.setattr(candidates, "RANKED", 4)
    monkeypatch.setattr(candidates, "RECENT_WINDOWS", (3, None))
    monkeypatch.setattr(candidates, "_boundary_cache", {})
    # The table's statistics are whatever earlier tests left (ANALYZE sets pg_class.reltuples
    # outside any transaction): pin them, every stem in every one of a dozen articles, so the
    # windows are sized the same in any run and order.
    monkeypatch.setattr(candidates, "_stem_frequencies", lambda model: _Everywhere())
    monkeypatch.setattr(candidates, "_table_rows", lambda model: 13.0)


class _Everywhere(dict):
    def get(self, key, default=None):
        return 1.0


def _dam_articles(section=None):
    """Stories about two dams, one every four days over seven weeks, newest first."""
    made = []
    for n in range(12):
        dam = "النهضة" if n % 3 else "مأرب"
        made.append(make_article(f"سد {dam} {n}", hours_ago=96 * n + 1, section=section))
    return made


def _week_index_used(captured) -> bool:
    return any("article_search_week_terms" in query["sql"] for query in captured)


def test_common_words_take_the_newest_matches_from_the_week_index(common_words):
    made = _dam_articles()
    make_article("خبر آخر", hours_ago=0)
    with CaptureQueriesContext(connection) as captured:
        results = search(Article.objects.published(), "سد")
    assert _week_index_used(captured)
    assert results.more
    # the four newest matches, ranked (equal ranks: newest first)
    assert list(results.articles.values_list("pk", flat=True)) == [a.pk for a in made[:4]]


def test_week_index_keeps_exclusions_phrases_alternatives_and_filters(common_words):
    economy = make_section("اقتصاد", slug="economy")
    made = _dam_articles()
    in_section = _dam_articles(section=economy)
    reversed_words = make_article("النهضة سد", hours_ago=2)  # both words, not the phrase

    def newest(articles, keep):
        chosen = sorted((a for a in articles if keep(a)), key=lambda a: (a.published_at, a.pk))
        return [a.pk for a in reversed(chosen)]

    public = Article.objects.published()
    everywhere = [*made, *in_section, reversed_words]
    cases = [
        ("سد -مأرب", public, everywhere, lambda a: "مأرب" not in a.title),
        ('"سد مأرب"', public, everywhere, lambda a: "سد مأرب" in a.title),
        ("مأرب or زلزال", public, everywhere, lambda a: "مأرب" in a.title),
        ("سد", public.filter(section=economy), in_section, lambda a: True),
    ]
    for query, queryset, pool, keep in cases:
        with CaptureQueriesContext(connection) as captured:
            pks = set(search_articles(queryset, query).values_list("pk", flat=True))
        assert _week_index_used(captured), query
        # the newest matches: all of the window's (at least RANKED / 2), at most RANKED
        assert 2 <= len(pks) <= 4 and pks == set(newest(pool, keep)[: len(pks)]), query


def test_week_index_finds_the_same_articles_as_the_whole_posting_list(common_words, monkeypatch):
    made = _dam_articles()
    weekly = sorted(search_articles(Article.objects.published(), "سد").values_list("pk", flat=True))
    monkeypatch.setattr(candidates, "COMMON_STEM", 10**6)
    monkeypatch.setattr(candidates, "SMALL_MATCH_SET", 10**6)
    with CaptureQueriesContext(connection) as captured:
        plain = sorted(
            search_articles(Article.objects.published(), "سد").values_list("pk", flat=True)
        )
    assert not _week_index_used(captured)
    assert weekly == plain == sorted(a.pk for a in made[:4])


def test_a_rare_stem_is_counted_exactly_and_a_common_one_goes_to_the_week_index(monkeypatch):
    for n in range(10):
        make_article(f"أمطار غزيرة {n}", hours_ago=n + 1)
    make_article("عاصفة ثلجية", hours_ago=1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    monkeypatch.setattr(candidates, "_stem_cache", {})
    monkeypatch.setattr(candidates, "_table_rows_cache", {})
    monkeypatch.setattr(candidates, "_boundary_cache", {})
    monkeypatch.setattr(candidates, "COMMON_STEM", 5)  # a stem in more than 5 articles is common
    monkeypatch.setattr(candidates, "RECENT_WINDOWS", (3, None))
    monkeypatch.setattr(candidates, "RANKED", 4)
    with CaptureQueriesContext(connection) as captured:
        rare = search(Article.objects.published(), "ثلجية")
    assert not _week_index_used(captured)
    assert (rare.total, rare.more) == (1, False)
    with CaptureQueriesContext(connection) as captured:
        common = search(Article.objects.published(), "أمطار")
    assert _week_index_used(captured)
    assert common.more and common.articles.count() == 4
    with CaptureQueriesContext(connection) as captured:
        both = search(Article.objects.published(), "أمطار ثلجية")  # the rare stem bounds the scan
    assert not _week_index_used(captured)
    assert both.total == 0


def test_past_the_windows_the_whole_archive_is_counted_or_its_newest_matches_taken(
    common_words, monkeypatch
):
    old = [make_article(f"سد النهضة {n}", hours_ago=24 * 30 * (n + 1)) for n in range(6)]
    for n in range(4):
        make_article(f"خبر اليوم {n}", hours_ago=n + 1)  # the newest rows: no match there
    results = search(Article.objects.published(), "سد")  # 6 matches: more than 2 counted
    assert results.more
    assert sorted(results.articles.values_list("pk", flat=True)) == sorted(a.pk for a in old[:4])
    monkeypatch.setattr(candidates, "SMALL_MATCH_SET", 10)
    counted = search(Article.objects.published(), "سد")
    assert (counted.total, counted.more) == (6, False)


@pytest.mark.parametrize(
    "raw",
    ["الحكومة", "وزير الدفاع -روسيا", '"سد النهضة" إثيوبيا', "gaza 2024", "covid19 وباء", "café"],
)
def test_the_indexable_part_of_a_query_is_what_postgresql_makes_of_it(raw):
    unquoted = " ".join(parse_query(raw).replace('"', " ").split())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::tsquery::text, querytree(websearch_to_tsquery('simple', %s))::text",
            [candidates._positive_tree(unquoted, "simple"), unquoted],
        )
        ours, postgres = cursor.fetchone()
    assert ours == postgres
