import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Article, RelatedLink, unicode_slug
from tests.factories import link, make_article, make_source

pytestmark = pytest.mark.django_db


def test_slug_keeps_arabic_letters():
    article = make_article("وزارة الدفاع: العمليات مستمرة")
    assert article.slug == "وزارة-الدفاع-العمليات-مستمرة"
    # Diacritics (tanween here) are dropped: readers never type them in URLs.
    assert unicode_slug("  اقرأ أيضاً!  ") == "اقرأ-أيضا"


def test_two_articles_with_one_headline_get_distinct_slugs():
    first = make_article("خبر مكرر")
    second = make_article("خبر مكرر")
    third = make_article("خبر مكرر")
    assert [first.slug, second.slug, third.slug] == ["خبر-مكرر", "خبر-مكرر-2", "خبر-مكرر-3"]


def test_database_refuses_a_duplicate_slug():
    make_article("خبر", slug="خبر")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(slug="خبر").update(slug="آخر")
        Article.objects.bulk_create([Article(title="آخر", slug="آخر", status="draft")])


def test_credit_line_lists_sources_in_their_order():
    agencies, masdar = make_source("وكالات"), make_source("مصدر الإخبارية")
    article = make_article(sources=[agencies, masdar])
    assert article.credit_line() == "وكالات - مصدر الإخبارية"


def test_body_is_sanitised_on_save():
    article = make_article(
        body='<p onclick="steal()">نص</p><script>alert(1)</script><a href="javascript:alert(1)">x</a>'
    )
    article.refresh_from_db()
    assert "<script" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert "نص" in article.body


@pytest.mark.parametrize(
    "fields",
    [
        {"url": "https://example.org/a", "title": ""},  # outside link without its title
        {"url": "javascript:alert(1)", "title": "x"},  # not http/https
        {"url": "ftp://example.org/file", "title": "x"},
        {"url": "", "title": "   "},  # nothing at all
    ],
)
def test_database_refuses_a_related_link_without_exactly_one_target(fields):
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(article=article, **fields)


def test_database_refuses_a_link_with_both_an_article_and_a_url():
    article, other = make_article(), make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(article=article, target=other, url="https://example.org/")


def test_database_refuses_a_link_to_itself():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedLink.objects.create(article=article, target=article)


def test_a_pending_headline_is_kept_but_not_shown_to_readers():
    article = make_article()
    pending = link(article, title="هرتسوغ يتجه إلى أذربيجان")
    assert pending.is_pending
    assert pending.reader_link() is None


def test_link_to_an_unpublished_article_is_not_shown_to_readers():
    article = make_article()
    draft = make_article("مسودة", status=Article.Status.DRAFT)
    assert link(article, target=draft).reader_link() is None


def test_link_validation_explains_the_problem():
    article, other = make_article(), make_article()
    with pytest.raises(ValidationError) as error:
        RelatedLink(article=article, target=other, url="https://example.org/").full_clean()
    assert "لا الاثنين معاً" in str(error.value)
    with pytest.raises(ValidationError) as error:
        RelatedLink(article=article, url="javascript:alert(1)", title="x").full_clean()
    assert "url" in error.value.message_dict


def test_slug_wildcards_do_not_count_as_taken():
    make_article("x", slug="نفط_خام")
    other = make_article("y", slug="نفطأخام")  # "_" in a LIKE pattern would match any letter
    assert other.slug == "نفطأخام"
    again = make_article("z", slug="نفط_خام")
    assert again.slug == "نفط_خام-2"
