"""Lead images: only real images within limits, upright and without metadata, served as
cached WebP/JPEG renditions with srcset, sizes, width and height."""

import io
import re
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from articles.media import images
from articles.models import Article
from tests.desk_forms import change_form_data, make_member
from tests.factories import make_article


def jpeg_with_gps_and_orientation(width=600, height=300):
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90° clockwise to view"
    exif[ExifTags.Base.Make] = "NewsCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (33.0, 53.0, 0.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (35.0, 30.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"secret source")
    return out.getvalue()


def image_bytes(fmt="PNG", size=(1800, 900), mode="RGB"):
    out = io.BytesIO()
    Image.new(mode, size, (10, 120, 60)).save(out, fmt)
    return out.getvalue()


def png_header_only(width, height):
    """A tiny file that claims to be a huge 1-bit PNG: a decompression bomb's header."""

    def chunk(kind, payload):
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 4096))
        + chunk(b"IEND", b"")
    )


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- pure checks (no database) ---


def test_jpeg_is_turned_upright_and_loses_exif_and_gps():
    cleaned = images.clean_upload(upload(jpeg_with_gps_and_orientation(600, 300)))
    data = cleaned.read()
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG"
    assert stored.size == (300, 600)  # orientation 6 applied: now portrait
    assert not stored.getexif()
    assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert b"Exif" not in data
    assert b"secret source" not in data
    # The upload's name and a token: a deleted image's name is never given to a new one.
    assert re.fullmatch(r"photo-[0-9a-f]{8}\.jpg", cleaned.name)
    again = images.clean_upload(upload(jpeg_with_gps_and_orientation(600, 300)))
    assert again.name != cleaned.name


def test_png_and_webp_keep_their_format():
    for fmt, ext in (("PNG", "png"), ("WEBP", "webp")):
        cleaned = images.clean_upload(upload(image_bytes(fmt), name=f"x.{ext}"))
        assert Image.open(cleaned).format == fmt
        assert cleaned.name.endswith(f".{ext}")


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "x.svg"),
        (b"%PDF-1.4 not an image", "x.jpg"),
        (image_bytes("GIF", mode="P"), "x.gif"),
        (image_bytes("TIFF"), "x.tif"),
    ],
)
def test_only_jpeg_png_and_webp_are_accepted(content, name):
    with pytest.raises(images.ImageRejected) as error:
        images.clean_upload(upload(content, name=name))
    assert error.value.code == "format"


def test_truncated_image_is_refused():
    data = image_bytes("PNG")
    with pytest.raises(images.ImageRejected) as error:
        images.clean_upload(upload(data[: len(data) // 2], name="x.png"))
    assert error.value.code in ("damaged", "format")


def test_file_over_the_byte_limit_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_BYTES", 1000)
    with pytest.raises(images.ImageRejected) as error:
        images.clean_upload(upload(image_bytes("PNG", size=(800, 800)), name="x.png"))
    assert error.value.code == "too_large"


@pytest.mark.parametrize(("width", "height"), [(9000, 9000), (50_000, 50_000), (20_000, 100)])
def test_decompression_bomb_is_refused_before_decoding(width, height):
    bomb = png_header_only(width, height)
    assert len(bomb) < 1000
    with pytest.raises(images.ImageRejected) as error:
        images.clean_upload(upload(bomb, name="bomb.png", content_type="image/png"))
    assert error.value.code == "too_many_pixels"


def test_rendition_widths_never_upscale():
    assert images.rendition_widths(2000) == [480, 800, 1200, 1600]
    assert images.rendition_widths(1000) == [480, 800, 1000]
    assert images.rendition_widths(300) == [300]


# --- renditions and pages ---


@pytest.fixture
def stored_image():
    return default_storage.save("lead/test/wide.jpg", upload(image_bytes("JPEG", (2000, 1000))))


def test_renditions_in_webp_and_jpeg_at_three_or_more_widths(stored_image):
    manifest = images.make_renditions(stored_image)
    # the 2:1 original cut to the pages' 16:9 frame, around the centre (no focal point chosen)
    assert (manifest["width"], manifest["height"]) == (1778, 1000)
    for ext, fmt in (("webp", "WEBP"), ("jpg", "JPEG")):
        entries = manifest["renditions"][ext]
        assert len(entries) >= 3
        for width, height, path in entries:
            with default_storage.open(path) as handle, Image.open(handle) as rendition:
                assert rendition.format == fmt
                assert rendition.size == (width, height)
                assert abs(width / height - 16 / 9) < 0.01


def test_renditions_are_made_once_and_reused(stored_image, monkeypatch):
    images.make_renditions(stored_image)
    images.forget_manifests()  # a new process: only the files on disk remain

    def no_decoding(*args, **kwargs):
        raise AssertionError("the original was opened again")

    monkeypatch.setattr(images.Image, "open", no_decoding)
    again = images.make_renditions(stored_image)
    assert len(again["renditions"]["webp"]) == 4


def test_unreadable_image_shows_no_picture_instead_of_failing():
    article = Article(lead_image="lead/missing.jpg")
    assert images.picture_for(article.lead_image) is None


@pytest.mark.django_db
def test_article_page_serves_srcset_sizes_dimensions_caption_and_credit(stored_image, client):
    article = make_article(
        "خبر مصور",
        lead_image=stored_image,
        lead_image_caption="متظاهرون في الساحة",
        lead_image_credit="أ ف ب",
    )
    page = client.get(article.get_absolute_url()).content.decode()
    figure = page[page.index('<figure class="article__image">') : page.index("</figure>")]
    assert 'type="image/webp"' in figure
    assert ".webp 480w" in figure and ".webp 1600w" in figure
    assert ".jpg 800w" in figure
    assert 'sizes="' in figure
    assert 'width="1778" height="1000"' in figure  # the 16:9 frame of the 2:1 original
    assert 'loading="lazy"' not in figure  # the lead image is above the fold
    caption = figure[figure.index("<figcaption>") :]
    assert "متظاهرون في الساحة" in caption and "أ ف ب" in caption


@pytest.mark.django_db
def test_cards_below_the_fold_load_lazily(stored_image, client):
    make_article("الخبر الأول", lead_image=stored_image, hours_ago=1)
    make_article("خبر ثان", lead_image=stored_image, hours_ago=2)
    page = client.get(reverse("articles:home")).content.decode()
    # (the headlines' links: images without a caption take the headline as alt text)
    top = page[: page.index(">الخبر الأول<")]
    rest = page[page.index(">خبر ثان<") - 2000 :]
    assert 'fetchpriority="high"' in top
    assert 'loading="lazy"' in rest
    assert 'srcset="' in rest


# --- through the desk ---


@pytest.fixture
def editor_desk(client, django_user_model):
    client.force_login(make_member(django_user_model, "mona", "editor"))
    return client


@pytest.mark.django_db
def test_desk_upload_is_stored_upright_without_gps(editor_desk):
    add_url = reverse("admin:articles_article_add")
    data = change_form_data(editor_desk.get(add_url), title_ar="صورة من الميدان", slug="sora")
    data["lead_image"] = upload(jpeg_with_gps_and_orientation(), name="field.jpg")
    response = editor_desk.post(add_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(title_ar="صورة من الميدان")
    with article.lead_image.open() as handle:
        stored = handle.read()
    assert b"Exif" not in stored
    assert Image.open(io.BytesIO(stored)).size == (300, 600)


@pytest.mark.django_db
def test_desk_refuses_a_decompression_bomb_with_an_arabic_message(editor_desk):
    add_url = reverse("admin:articles_article_add")
    data = change_form_data(editor_desk.get(add_url), title_ar="قنبلة", slug="qunbula")
    data["lead_image"] = upload(png_header_only(30_000, 30_000), "bomb.png", "image/png")
    response = editor_desk.post(add_url, data)
    assert response.status_code == 200
    assert not Article.objects.filter(title_ar="قنبلة").exists()
    errors = response.context["adminform"].form.errors["lead_image"]
    assert errors == ["الصورة كبيرة الأبعاد جداً (الحد 40 مليون بكسل)؛ قد تكون قنبلة فك ضغط فرُفضت."]


def png_with_a_huge_text_chunk():
    """A real 10 × 10 PNG carrying 70 MB of compressed text in its metadata."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("comment", "A" * (70 * 1024 * 1024), zip=True)
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_png_with_huge_metadata_is_refused_for_what_it_is(editor_desk):
    data = png_with_a_huge_text_chunk()
    with pytest.raises(images.ImageRejected) as error:
        images.clean_upload(upload(data, name="photo.png", content_type="image/png"))
    assert error.value.code == "metadata"
    add_url = reverse("admin:articles_article_add")
    form = change_form_data(editor_desk.get(add_url), title_ar="صورة", slug="sura")
    form["lead_image"] = upload(data, "photo.png", "image/png")
    errors = editor_desk.post(add_url, form).context["adminform"].form.errors["lead_image"]
    assert "بيانات" in errors[0] and "ليس" not in errors[0]  # metadata, not "this is not one"
