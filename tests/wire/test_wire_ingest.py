"""articles.wire.importer: sources, datelines, read-also links and their later resolution."""

import json

import pytest

from articles.models import Article, RelatedLink, Source
from articles.wire.importer import WireImporter
from articles.wire.links import resolve_pending_links
from tests.factories import link, make_article, make_source

pytestmark = pytest.mark.django_db

BODY = "قال مسؤولون إن الاجتماع انتهى دون اتفاق.\n\nوأضافوا أن المحادثات ستستأنف الأسبوع المقبل."


def story(headline, credit="", *extra):
    return "\n\n".join(line for line in (headline, credit, BODY, *extra) if line)


def imported(text, **options):
    result = WireImporter(**options).import_bytes(text.encode())
    return Article.objects.get(pk=result.article_id)


def credited(article):
    return [link.source.name for link in article.article_sources.all()]


@pytest.mark.parametrize(
    "written",
    ["أ ف ب", "ا.ف.ب", "أف ب", "AFP", "فرانس برس", "فرانس  بريس"],
)
def test_credit_matches_a_registered_source_by_name_or_alias_variant(written):
    afp = make_source("فرانس برس", aliases=["أ ف ب", "AFP", "فرانس بريس"])
    article = imported(story("اجتماع دون اتفاق", f"باريس - {written}:"))
    assert list(article.sources.all()) == [afp]
    assert Source.objects.count() == 1


def test_hamza_and_ta_marbuta_variants_match_the_registry():
    source = make_source("وكالة الأنباء الأردنية", aliases=["بترا"])
    article = imported(story("اجتماع دون اتفاق", "عمان - وكاله الانباء الاردنيه:"))
    assert list(article.sources.all()) == [source]


def test_unknown_source_after_the_dateline_becomes_a_new_source():
    article = imported(story("اجتماع دون اتفاق", "غزة - شبكة قدس:"))
    assert credited(article) == ["شبكة قدس"]
    assert Source.objects.get().slug == "شبكة-قدس"
    assert article.body.startswith("<p>غزة - قال مسؤولون")


def test_unknown_first_name_that_can_be_a_place_is_the_dateline_not_a_source():
    article = imported(story("اجتماع دون اتفاق", "الخرطوم:"))
    assert credited(article) == []
    assert not Source.objects.exists()
    assert article.body.startswith("<p>الخرطوم - قال مسؤولون")


def test_a_name_the_registry_knows_is_credited_even_where_a_dateline_would_be():
    make_source("سبق")
    article = imported(story("اجتماع دون اتفاق", "سبق - وكالات:"))
    assert credited(article) == ["سبق", "وكالات"]
    assert article.body.startswith("<p>قال مسؤولون")


def test_sources_keep_the_credit_line_order_and_are_not_repeated():
    make_source("وكالات")
    article = imported(story("اجتماع دون اتفاق", "وكالات- مصدر الإخبارية - وكالات:"))
    assert credited(article) == ["وكالات", "مصدر الإخبارية"]


def test_read_also_resolves_to_the_article_with_the_same_normalised_headline():
    target = make_article("هرتسوغ يتجه إلى أذربيجان في أول زيارة رسمية")
    other = make_article("خبر لا علاقة له")
    article = imported(
        story(
            "اجتماع دون اتفاق",
            "",
            "اقرأ أيضاً: هرتسوغ يتجه الى اذربيجان في اول زيارة رسمية",
            "اقرأ ايضا: خبر لم يكتب بعد",
            "إقرأ أيضاً: «خبر لا علاقة له»",
        )
    )
    links = list(article.related_links.all())
    assert [(x.position, x.target) for x in links] == [(0, target), (1, None), (2, other)]
    assert links[1].title == "خبر لم يكتب بعد" and links[1].is_pending


def test_pending_link_resolves_when_the_article_is_imported_later():
    first = imported(story("اجتماع دون اتفاق", "", "اقرأ أيضاً: الأمم المتحدة تحذر من مجاعة"))
    later = imported(story("الأمم المتحدة تحذّر من مجاعة", "نيويورك - رويترز:"))
    assert first.related_links.get().target == later


def test_pending_link_resolves_when_an_article_with_that_headline_is_written_at_the_desk():
    first = imported(story("اجتماع دون اتفاق", "", "اقرأ أيضاً: زيارة مرتقبة للرئيس"))
    draft = make_article("زيارة مرتقبة للرئيس", status=Article.Status.DRAFT)
    assert first.related_links.get().target == draft


def test_resolution_never_links_an_article_to_itself_or_twice_to_one_target():
    target = make_article("زيارة مرتقبة للرئيس", status=Article.Status.DRAFT)
    owner = make_article("خبر أول")
    link(owner, target=target, position=0)
    link(owner, title="زيارة مرتقبة للرئيس", position=1)
    assert resolve_pending_links(target) == []
    target.save()
    assert owner.related_links.filter(target__isnull=True).count() == 1


def test_pending_and_unpublished_targets_are_not_shown_to_readers(client):
    article = imported(
        story("اجتماع دون اتفاق", "", "اقرأ أيضاً: خبر لم يكتب بعد", "اقرأ أيضاً: خبر قيد التحرير"),
        publish=True,
    )
    draft = make_article("خبر قيد التحرير", status=Article.Status.DRAFT)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "خبر لم يكتب بعد" not in page
    assert "خبر قيد التحرير" not in page

    draft.status = Article.Status.PUBLISHED
    draft.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert draft.get_absolute_url() in page
    assert "خبر لم يكتب بعد" not in page


def test_read_also_with_a_url_and_no_article_becomes_an_outside_link():
    article = imported(
        story("اجتماع دون اتفاق", "", "اقرأ أيضاً: تقرير مفصل https://example.org/report")
    )
    saved = article.related_links.get()
    assert (saved.url, saved.title, saved.target) == (
        "https://example.org/report",
        "تقرير مفصل",
        None,
    )


def test_importer_forgets_sources_of_a_failed_story(monkeypatch):
    importer = WireImporter()
    text = story("اجتماع دون اتفاق", "غزة - شبكة قدس:", "اقرأ أيضاً: خبر")

    def broken_links(self, article, story):
        raise RuntimeError("boom")

    with monkeypatch.context() as patch:
        patch.setattr(WireImporter, "_link", broken_links)
        with pytest.raises(RuntimeError):
            importer.import_bytes(text.encode())
    assert not Source.objects.exists()
    result = importer.import_bytes(text.encode())
    assert result.created
    assert credited(Article.objects.get()) == ["شبكة قدس"]


def test_read_also_prefers_the_published_article_over_a_newer_draft():
    published = make_article("قمة المناخ تختتم أعمالها", hours_ago=5)
    make_article("قمة المناخ تختتم أعمالها", status=Article.Status.DRAFT)
    article = imported(story("اجتماع دون اتفاق", "", "اقرأ أيضاً: قمة المناخ تختتم أعمالها"))
    assert article.related_links.get().target == published


def test_overlong_values_from_the_wire_are_trimmed_not_fatal():
    url = "https://example.org/" + "a" * 600
    ninjs = {
        "headline": "خبر بقيم طويلة",
        "body_text": "نص الخبر.",
        "byline": "ك" * 300,
        "subjects": [{"name": "وسم" * 60}],
        "associations": [{"headline": "رابط طويل", "uri": url}],
    }
    result = WireImporter().import_bytes(json.dumps(ninjs).encode(), name="item.json")
    article = Article.objects.get(pk=result.article_id)
    assert len(article.authors.get().name) == 150
    assert [len(tag) for tag in article.tags.names()] == [100]
    assert article.related_links.get().is_pending


def test_text_story_opening_with_a_brace_is_still_plain_text():
    article = imported(story("{تحديث} اجتماع دون اتفاق", "القاهرة - رويترز:"))
    assert article.title == "{تحديث} اجتماع دون اتفاق"


def test_links_missed_by_concurrent_imports_are_resolved_afterwards():
    from articles.wire.links import resolve_links_of, title_key

    target = make_article("وصول المساعدات إلى الميناء")
    owner = make_article("خبر أول")
    # As if written by an import whose transaction could not see the target yet
    # (bulk_create sends no signals, so nothing resolves it on the way in).
    headline = "وصول المساعدات الى الميناء"
    RelatedLink.objects.bulk_create(
        [RelatedLink(article=owner, title=headline, title_key=title_key(headline))]
    )
    assert owner.related_links.get().is_pending

    assert resolve_links_of([owner.pk]) == 1
    assert owner.related_links.get().target == target


def test_headline_typed_at_the_desk_links_its_existing_article_at_once():
    target = make_article("افتتاح المعرض الدولي للكتاب")
    owner = make_article("خبر أول")
    saved = link(owner, title="افتتاح المعرض الدولى للكتاب")
    assert saved.target == target
    waiting = link(owner, title="خبر لم يكتب بعد", position=1)
    assert waiting.is_pending


def test_imported_links_keep_the_wire_headline_alongside_their_target():
    target = make_article("قمة المناخ تختتم أعمالها")
    article = imported(story("اجتماع دون اتفاق", "", "اقرأ أيضاً: «قمة المناخ تختتم أعمالها»"))
    saved = article.related_links.get()
    assert (saved.target, saved.title) == (target, "«قمة المناخ تختتم أعمالها»")
    assert saved.reader_link() == (target.get_absolute_url(), "قمة المناخ تختتم أعمالها")


def test_imported_article_is_found_by_its_credit_and_tags_in_one_vector_build():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.search.engine import search_articles

    make_source("وكالة الأنباء الأردنية", aliases=["بترا"])
    text = story("الحكومة تقر الموازنة", "عمان - بترا:")
    with CaptureQueriesContext(connection) as captured:
        result = WireImporter(publish=True, tags=["موازنات"]).import_bytes(text.encode())
    vector_builds = [q for q in captured.captured_queries if "SET search_vector" in q["sql"]]
    assert len(vector_builds) == 1
    public = Article.objects.published()
    for words in ("الموازنة", "الأنباء الأردنية", "موازنات"):
        assert [a.pk for a in search_articles(public, words)] == [result.article_id], words
