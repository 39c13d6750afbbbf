"""Search: the page readers use, the vectors behind it, and inputs meant to break it."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleSource
from articles.search.engine import (
    highlight,
    parse_query,
    query_stems,
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


def test_common_word_ranks_the_newest_matches_and_says_there_are_more(client, monkeypatch):
    from articles.search import engine as search_module

    monkeypatch.setattr(search_module, "SMALL_MATCH_SET", 5)
    monkeypatch.setattr(search_module, "RANKED", 4)
    monkeypatch.setattr(search_module, "RECENT_WINDOWS", (6, None))
    monkeypatch.setattr(search_module, "_boundary_cache", {})
    for n in range(12):
        make_article(f"نشرة الطقس {n}", hours_ago=n + 1)
    make_article("خبر آخر", hours_ago=0)

    results = search_module.search(Article.objects.published(), "الطقس")
    assert results.more and results.total == 5
    assert sorted(results.articles.values_list("title", flat=True)) == [
        f"نشرة الطقس {n}" for n in range(4)
    ]
    response = client.get(URL, {"q": "الطقس"})
    assert response.context["more"] is True
