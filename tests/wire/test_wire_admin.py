"""The desk's wire import page: paste or upload, check the parse, save drafts."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Source
from articles.wire.story import MAX_HEADLINE_CHARS, MAX_WIRE_BYTES
from tests.factories import make_article, make_section, make_source
from tests.wire_forms import URL, confirm_fields, preview, text_of

pytestmark = pytest.mark.django_db


FIRST = """الحكومة تعلن خطة لدعم المزارعين

عمّان - بترا:

أعلنت الحكومة اليوم خطة لدعم المزارعين المتضررين من موجة الجفاف.

اقرأ أيضاً: أسعار الخضار ترتفع في الأسواق
"""

SECOND = """افتتاح مستشفى جديد في الشمال

وكالات- شبكة الشمال الإخبارية:

افتتح وزير الصحة مستشفى جديداً يتسع لمئتي سرير.

اقرأ ايضا: خبر لم يكتب بعد
"""


def test_changelist_links_to_the_import_page(editor_client):
    page = editor_client.get(reverse("admin:articles_article_changelist"))
    assert URL in page.content.decode()


def test_preview_shows_the_parse_and_writes_nothing(editor_client):
    make_source("وكالة الأنباء الأردنية", aliases=["بترا"])
    existing = make_article("أسعار الخضار ترتفع في الأسواق")
    upload = SimpleUploadedFile("wire.txt", SECOND.encode("cp1256"), content_type="text/plain")
    response = preview(editor_client, text=FIRST, files=[upload])
    text = text_of(response)
    assert response.status_code == 200
    assert "الحكومة تعلن خطة لدعم المزارعين" in text
    assert "افتتاح مستشفى جديد في الشمال" in text  # decoded from Windows-1256
    assert "وكالة الأنباء الأردنية" in text  # matched by its alias
    assert "شبكة الشمال الإخبارية" in text
    assert "عمّان" in text
    assert reverse("admin:articles_article_change", args=[existing.pk]) in response.content.decode()
    assert "خبر لم يكتب بعد" in text
    assert Article.objects.count() == 1
    assert Source.objects.count() == 1


def test_several_pasted_stories_are_separated_by_dashes(editor_client):
    response = preview(editor_client, text=FIRST + "\n---\n" + SECOND)
    assert response.context["previews"][0]["preview"].story.headline.startswith("الحكومة")
    assert response.context["previews"][1]["preview"].story.headline.startswith("افتتاح")


def test_save_creates_drafts_with_section_tags_and_the_editor(editor_client, editor):
    section = make_section("محليات", slug="local")
    response = preview(
        editor_client, text=FIRST + "\n---\n" + SECOND, section=section.pk, tags="زراعة، صحة"
    )
    fields = confirm_fields(response)
    saved = editor_client.post(URL, {**fields, "save": "1"})
    articles = Article.objects.order_by("pk")
    assert saved.status_code == 302
    assert [a.title for a in articles] == [
        "الحكومة تعلن خطة لدعم المزارعين",
        "افتتاح مستشفى جديد في الشمال",
    ]
    assert {a.status for a in articles} == {Article.Status.DRAFT}
    assert {a.section for a in articles} == {section}
    assert {a.created_by for a in articles} == {editor}
    assert [(c.to_status, c.changed_by) for c in articles[0].status_changes.all()] == [
        (Article.Status.DRAFT, editor)
    ]
    assert sorted(articles[0].tags.names()) == ["زراعة", "صحة"]
    assert articles[1].credit_line() == "وكالات - شبكة الشمال الإخبارية"


def test_saving_the_same_text_twice_does_not_duplicate(editor_client):
    fields = confirm_fields(preview(editor_client, text=FIRST))
    first = editor_client.post(URL, {**fields, "save": "1"}, follow=True)
    again = editor_client.post(URL, {**fields, "save": "1"}, follow=True)
    article = Article.objects.get()
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    assert first.redirect_chain[0][0] == change_url
    assert [m.level_tag for m in first.context["messages"]] == ["success"]
    assert [(m.level_tag, str(m)) for m in again.context["messages"]] == [
        ("warning", "خبر واحد استورد من قبل؛ لم يتغير شيء.")
    ]
    assert Article.objects.count() == 1


def test_bad_item_shows_its_error_and_is_left_out_of_the_save(editor_client):
    empty = SimpleUploadedFile("empty.txt", b"", content_type="text/plain")
    latin = SimpleUploadedFile("fr.txt", "Le ministère a annoncé.".encode("latin-1"))
    response = preview(editor_client, text="عنوان بلا نص", files=[empty, latin])
    previews = response.context["previews"]
    assert [p["error"] for p in previews] == [
        "للخبر عنوان بلا متن: لا فقرات بعد العنوان",
        "الملف فارغ",
        "الملف ليس بترميز UTF-8 ولا يبدو نصاً عربياً؛ "
        "احفظ الملف بترميز UTF-8 (ويُقبل أيضاً UTF-16 وWindows-1256 وISO-8859-6)",
    ]
    assert response.context["confirm"] is None
    assert not Article.objects.exists()


# Each kind of bad input, and the Arabic the desk shows for it.
BAD_UPLOADS = [
    (("empty.txt", b""), "الملف فارغ"),
    (("blank.txt", b"\n \n\t"), "الملف فارغ"),
    (
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01"),
        "هذا ملف صورة (JPEG) وليس نص خبر",
    ),
    (
        ("unknown.bin", b"\x00\x01\x02\x03\x00\x00\x00\rIHDR"),
        "في النص بايتات صفرية، ويبدو أنه ليس ملفاً نصياً",
    ),
    (
        ("huge.txt", "خبر ".encode() * (MAX_WIRE_BYTES // 7 + 1)),
        f"حجم الملف 513 كيلوبايت، والحد الأقصى للخبر الواحد {MAX_WIRE_BYTES // 1024} كيلوبايت",
    ),
    (
        ("long.txt", ("ع" * (MAX_HEADLINE_CHARS + 5) + "\nفقرة").encode()),
        f"عدد أحرف العنوان {MAX_HEADLINE_CHARS + 5}، والحد الأقصى {MAX_HEADLINE_CHARS} "
        "(هل السطر الأول فقرة؟ ضع العنوان وحده في السطر الأول)",
    ),
    (
        ("credit.txt", "القاهرة - رويترز:\nقال الوزير إن الخطة جاهزة.".encode()),
        "السطر الأول («القاهرة - رويترز:») سطر المصدر، والعنوان يجب أن يكون السطر الأول",
    ),
    (("broken.json", b'{"headline": "x",\n'), "صيغة JSON غير سليمة (السطر 2، العمود 1)"),
    (("list.json", b"[]"), "عنصر ninjs يجب أن يكون كائن JSON \u200f(object)"),
    (("untitled.json", b'{"body_text": "x"}'), "عنصر ninjs بلا عنوان (headline)"),
    (
        ("bodiless.json", '{"headline": "عنوان"}'.encode()),
        "عنصر ninjs بلا متن (body_text أو body_html أو bodies)",
    ),
]


def test_each_kind_of_bad_file_is_explained_in_arabic(editor_client):
    files = [SimpleUploadedFile(name, content) for (name, content), _ in BAD_UPLOADS]
    response = preview(editor_client, files=files)
    previews = response.context["previews"]
    page = text_of(response)
    assert [(p["label"], p["error"]) for p in previews] == [
        (name, reason) for (name, _), reason in BAD_UPLOADS
    ]
    for _, reason in BAD_UPLOADS:
        assert f"تعذّر الاستيراد: {reason}" in page
    assert response.context["confirm"] is None
    assert not Article.objects.exists()


def test_a_story_that_fails_at_the_save_step_is_named_in_arabic(editor_client):
    fields = confirm_fields(preview(editor_client, text=FIRST))
    fields["labels"] = json.dumps(["الخبر الملصق 1", "برقية.txt"], ensure_ascii=False)
    fields["texts"] = json.dumps([FIRST, "عنوان بلا نص"], ensure_ascii=False)
    saved = editor_client.post(URL, {**fields, "save": "1"}, follow=True)
    assert [(m.level_tag, str(m)) for m in saved.context["messages"]] == [
        ("error", "برقية.txt: للخبر عنوان بلا متن: لا فقرات بعد العنوان"),
        ("success", "حُفظت مسودة واحدة."),
    ]
    page = text_of(saved)
    assert "برقية.txt: للخبر عنوان بلا متن: لا فقرات بعد العنوان" in page
    assert "حُفظت مسودة واحدة." in page
    assert Article.objects.count() == 1


def test_empty_form_asks_for_a_story(editor_client):
    response = preview(editor_client)
    assert response.context["form"].errors
    assert not response.context["previews"]


def test_staff_without_add_permission_cannot_import(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"text": FIRST, "preview": "1"}).status_code == 403
    assert not Article.objects.exists()


def test_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_too_many_stories_at_once_are_refused_before_parsing(editor_client):
    text = "\n---\n".join(FIRST.replace("المزارعين", f"المزارعين {n}") for n in range(51))
    response = preview(editor_client, text=text)
    assert response.context["form"].non_field_errors()
    assert not response.context["previews"]
