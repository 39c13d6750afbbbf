"""Live coverage as readers get it: the article page, "load more" and the poll endpoint."""

import json

import pytest

from articles.live.models import LiveEntry
from tests.live.conftest import post

pytestmark = pytest.mark.django_db


def poll(client, article, **headers):
    return client.get(f"/live/{article.pk}/poll/", **headers)


def test_entries_render_newest_first_on_the_article_page(client, live_article, editor):
    post(live_article, editor, "<p>المدخل الأول</p>")
    post(live_article, editor, "<p>المدخل الثاني</p>")
    page = client.get(live_article.get_absolute_url()).content.decode()
    assert page.index("المدخل الثاني") < page.index("المدخل الأول")
    assert 'data-poll-url="/live/' in page


def test_poll_answers_json_with_an_etag_and_304_when_nothing_changed(client, live_article, editor):
    post(live_article, editor, "<p>خبر عاجل من الميدان</p>")
    first = poll(client, live_article)
    assert first.status_code == 200
    data = json.loads(first.content)
    assert data["state"] == "live" and data["interval"] == 15
    assert "خبر عاجل من الميدان" in data["entries"][0]["html"]
    again = poll(client, live_article, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    post(live_article, editor, "<p>تطور جديد</p>")
    changed = poll(client, live_article, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "تطور جديد" in json.loads(changed.content)["entries"][0]["html"]


def test_desk_composer_posts_edits_pins_and_deletes_entries(editor_client, live_article):
    url = f"/admin/articles/article/{live_article.pk}/live/"
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(
        url, {"do": "entry", "body": "<p>وصول الوفود</p>", "status": "published", "headline": ""}
    )
    assert response.status_code == 302
    entry = LiveEntry.objects.get(article=live_article)
    page = editor_client.get(url).content.decode()
    assert "وصول الوفود" in page
    edit = f"{url}{entry.pk}/"
    form = editor_client.get(edit)
    expected = form.context["entry_form"].initial["expected_updated"]
    response = editor_client.post(
        edit,
        {
            "body": "<p>وصول الوفود إلى القاعة</p>",
            "status": "published",
            "expected_updated": expected,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert "القاعة" in entry.body
    editor_client.post(f"{url}{entry.pk}/pin/")
    assert live_article.live.__class__.objects.get(pk=live_article.pk).pinned_entry_id == entry.pk
    editor_client.post(f"{url}{entry.pk}/delete/")
    entry.refresh_from_db()
    assert entry.deleted_at is not None


def test_desk_page_is_for_desk_members_who_may_edit_the_article(
    client, live_article, django_user_model
):
    from tests.desk_forms import make_member

    url = f"/admin/articles/article/{live_article.pk}/live/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_member(django_user_model, "sami", "reporter"))
    # a reporter sees only their own articles: someone else's is not there at all
    assert client.get(url).status_code == 404
    assert client.post(url, {"do": "entry", "body": "<p>x</p>"}).status_code == 404
    assert not LiveEntry.objects.exists()


def test_a_desk_member_who_may_not_publish_saves_drafts_only(client, django_user_model):
    from articles.models import Article
    from tests.desk_forms import make_member

    reporter = make_member(django_user_model, "sami", "reporter")
    article = make_article_for(reporter)
    client.force_login(reporter)
    url = f"/admin/articles/article/{article.pk}/live/"
    assert client.post(url, {"do": "start"}).status_code == 302
    client.post(url, {"do": "entry", "body": "<p>مسودة مراسل</p>", "status": "published"})
    assert not LiveEntry.objects.filter(status="published").exists()
    client.post(url, {"do": "entry", "body": "<p>مسودة مراسل</p>", "status": "draft"})
    assert LiveEntry.objects.get().status == "draft"
    assert Article.objects.get(pk=article.pk).status == "draft"


def make_article_for(user):
    from articles.models import Article
    from tests.factories import make_article

    return make_article("مسودة تغطية", status=Article.Status.DRAFT, created_by=user)


def test_ending_a_coverage_that_is_not_there_says_so(editor_client):
    from tests.factories import make_article

    article = make_article()
    url = f"/admin/articles/article/{article.pk}/live/"
    response = editor_client.post(url, {"do": "end"}, follow=True)
    assert response.status_code == 200
    assert "لا تغطية مباشرة لهذا المقال" in response.content.decode()


def test_two_editors_editing_one_entry_the_second_is_told_and_keeps_their_text(
    live_article, editor, django_user_model
):
    from django.test import Client

    from tests.desk_forms import make_member

    entry = post(live_article, editor, "<p>الأصل</p>")
    mona, karim = Client(), Client()
    mona.force_login(make_member(django_user_model, "mona", "editor"))
    karim.force_login(make_member(django_user_model, "karim", "editor"))
    url = f"/admin/articles/article/{live_article.pk}/live/{entry.pk}/"
    monas, karims = mona.get(url), karim.get(url)

    def data(page, body):
        expected = page.context["entry_form"].initial["expected_updated"]
        return {"body": body, "status": "published", "expected_updated": expected}

    assert mona.post(url, data(monas, "<p>نص منى</p>")).status_code == 302
    refused = karim.post(url, data(karims, "<p>نص كريم</p>"))
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "غيّر شخص آخر هذا المدخل بعد أن فتحته" in html
    assert "نص كريم" in html  # still in the form
    entry.refresh_from_db()
    assert entry.body == "<p>نص منى</p>"


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"body": "<p>نص</p>", "key_event": "on", "headline": "  "},
            "الحدث الرئيسي يحتاج إلى عنوان",
        ),
        ({"body": "<p> </p><script>x</script>"}, "اكتب نص المدخل"),
    ],
)
def test_desk_refuses_a_bad_entry_in_arabic_and_saves_nothing(
    editor_client, live_article, data, message
):
    url = f"/admin/articles/article/{live_article.pk}/live/"
    response = editor_client.post(url, {"do": "entry", "status": "published", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LiveEntry.objects.exists()
