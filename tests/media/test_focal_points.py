"""Focal points: every rendition and the shared image keep the point the editor marked in
frame, checked on pixels; moving the point in the desk makes new renditions, retires the old
ones once committed (unless another article shows them) and retires the pages showing them."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from articles.media import images
from articles.media.focal import CENTRE, PAGE_RATIO, SHARE_RATIO, Focus, crop_box
from articles.media.sharing import shared_image
from articles.models import Article
from tests.desk_forms import change_form_data, make_member
from tests.factories import make_article

RED = (220, 20, 20)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- the arithmetic, without files ---


@given(
    width=st.integers(1, 12_000),
    height=st.integers(1, 12_000),
    ratio=st.sampled_from([PAGE_RATIO, SHARE_RATIO]),
    x=st.floats(0, 1),
    y=st.floats(0, 1),
)
def test_every_crop_keeps_the_focal_point_and_the_frame(width, height, ratio, x, y):
    left, top, right, bottom = crop_box(width, height, ratio, Focus(x, y))
    assert 0 <= left < right <= width and 0 <= top < bottom <= height
    assert left <= x * width <= right and top <= y * height <= bottom
    # the largest crop: one side is the whole image's
    assert right - left == width or bottom - top == height
    if min(right - left, bottom - top) > 50:
        assert abs((right - left) / (bottom - top) - ratio) < ratio * 0.02


def test_the_crop_centres_the_point_away_from_the_edges():
    # 3000 × 1000 cut to 16:9 is 1778 wide; the point at 1500 sits in its middle
    assert crop_box(3000, 1000, PAGE_RATIO, CENTRE) == (611, 0, 2389, 1000)
    assert crop_box(3000, 1000, PAGE_RATIO, Focus(0.4, 0.5)) == (311, 0, 2089, 1000)
    # near an edge the crop stops at the edge
    assert crop_box(3000, 1000, PAGE_RATIO, Focus(0.02, 0.9)) == (0, 0, 1778, 1000)
    assert crop_box(1000, 3000, PAGE_RATIO, Focus(0.5, 1.0)) == (0, 2438, 1000, 3000)
    # an image already in the frame is kept whole
    assert crop_box(1600, 900, PAGE_RATIO, Focus(0.0, 0.0)) == (0, 0, 1600, 900)


def test_stored_values_out_of_range_are_held_to_the_edge():
    assert Focus.of(None, None) == CENTRE
    assert Focus.of(-0.5, 1.7) == Focus(0.0, 1.0)
    assert Focus.of(0.25, 0.75).key == "0250-0750"


# --- on pixels ---


def photo_with_a_red_spot(size, spot):
    """A grey photo with a red disc (the face that must stay in frame) centred on `spot`,
    given as fractions; returns the stored name."""
    image = Image.new("RGB", size, (90, 100, 110))
    cx, cy = spot[0] * size[0], spot[1] * size[1]
    radius = min(size) // 25
    ImageDraw.Draw(image).ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=RED)
    out = io.BytesIO()
    image.save(out, "PNG")
    return default_storage.save("lead/spot.png", ContentFile(out.getvalue()))


def red_pixels(path):
    with default_storage.open(path) as handle, Image.open(handle) as image:
        pixels = image.convert("RGB").tobytes()
    return sum(
        1
        for r, g, b in zip(pixels[0::3], pixels[1::3], pixels[2::3], strict=True)
        if r > 170 and g < 90 and b < 90
    )


def every_crop(manifest):
    paths = [path for entries in manifest["renditions"].values() for _w, _h, path in entries]
    return [*paths, manifest["share"][2]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("size", "spot"),
    [
        ((3000, 1000), (0.04, 0.5)),  # a panorama, the face at its left edge
        ((3000, 1000), (0.97, 0.3)),  # … at its right edge
        ((1000, 3000), (0.5, 0.96)),  # a portrait, the face at its foot
        ((1000, 3000), (0.3, 0.03)),  # … at its top
    ],
)
def test_renditions_of_an_image_with_a_focal_point_near_an_edge_keep_it(size, spot):
    name = photo_with_a_red_spot(size, spot)
    article = make_article(
        "صورة بنقطة تركيز", lead_image=name, lead_image_focal_x=spot[0], lead_image_focal_y=spot[1]
    )
    manifest = images.make_renditions(name, focus=images.focus_of(article.lead_image))
    crops = every_crop(manifest)
    assert len(crops) == 2 * len(manifest["renditions"]["jpg"]) + 1 >= 7
    for path in crops:
        assert red_pixels(path) > 20, path  # the face is in every crop

    # the centre crop of the same image loses it: the test can tell
    centred = images.make_renditions(name, focus=CENTRE)
    assert all(red_pixels(path) == 0 for path in every_crop(centred))


@pytest.mark.django_db
def test_the_shared_image_is_cut_around_the_focal_point(public_site):
    name = photo_with_a_red_spot((3000, 1000), (0.03, 0.5))
    article = make_article("مشاركة", lead_image=name, lead_image_focal_x=0.03)
    image = shared_image(article.lead_image)
    path = image.url.removeprefix(public_site).removeprefix("/media/")
    assert path.endswith("/0030-0500/share.jpg")
    assert (image.width, image.height) == (1200, 630)  # 1905 × 1000 cut, scaled to 1200 wide
    assert red_pixels(path) > 20
    assert image.length == default_storage.size(path)


# --- moving the point in the desk ---


@pytest.fixture
def desk(client, django_user_model):
    client.force_login(make_member(django_user_model, "mona", "editor"))
    return client


def save_in_desk(desk, article, **changes):
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    form = change_form_data(desk.get(change_url))
    form.pop("lead_image", None)
    form.update(changes)
    response = desk.post(change_url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    return article


def files_in(directory):
    try:
        return set(default_storage.listdir(directory)[1])
    except FileNotFoundError:
        return set()


@pytest.mark.django_db
def test_moving_the_focal_point_recuts_renditions_and_retires_the_old_ones(
    desk, client, django_capture_on_commit_callbacks
):
    name = photo_with_a_red_spot((3000, 1000), (0.05, 0.5))
    article = make_article("خبر بصورة عريضة", lead_image=name)
    page = client.get(article.get_absolute_url()).content.decode()  # cached from now on
    old_dir = images.rendition_dir(name, CENTRE)
    assert f"/{old_dir}/800.webp" in page and files_in(old_dir)

    with django_capture_on_commit_callbacks(execute=True):
        save_in_desk(desk, article, lead_image_focal_x="0.05", lead_image_focal_y="0.5")

    new_focus = Focus(0.05, 0.5)
    new_dir = images.rendition_dir(name, new_focus)
    assert "manifest.json" in files_in(new_dir)  # made by the desk's save, not by a reader
    assert images.remembers_manifest(name, new_focus)
    assert files_in(old_dir) == set() and not images.remembers_manifest(name, CENTRE)
    assert default_storage.exists(name)  # the original stays
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"/{new_dir}/800.webp" in page and f"/{old_dir}/" not in page  # the page retired
    manifest = images.make_renditions(name, focus=new_focus)
    assert all(red_pixels(path) > 20 for path in every_crop(manifest))


@pytest.mark.django_db
def test_crops_another_article_still_shows_are_kept(desk, django_capture_on_commit_callbacks):
    name = photo_with_a_red_spot((3000, 1000), (0.5, 0.5))
    first = make_article("الأولى", lead_image=name)
    make_article("الثانية", lead_image=name)
    images.picture_for(first.lead_image)
    shared_dir = images.rendition_dir(name, CENTRE)

    with django_capture_on_commit_callbacks(execute=True):
        save_in_desk(desk, first, lead_image_focal_x="0.9")

    assert "manifest.json" in files_in(shared_dir)  # the second article still shows them
    assert "manifest.json" in files_in(images.rendition_dir(name, Focus(0.9, 0.5)))


@pytest.mark.django_db
def test_saving_without_moving_the_point_deletes_nothing(desk, django_capture_on_commit_callbacks):
    name = photo_with_a_red_spot((3000, 1000), (0.2, 0.5))
    article = make_article("خبر", lead_image=name, lead_image_focal_x=0.2)
    images.picture_for(article.lead_image)
    directory = images.rendition_dir(name, Focus(0.2, 0.5))
    before = files_in(directory)
    with django_capture_on_commit_callbacks(execute=True):
        save_in_desk(desk, article, title_ar="خبر بعنوان جديد")
    assert files_in(directory) == before and len(before) == 2 * 4 + 2


@pytest.mark.django_db
def test_a_point_outside_the_image_is_refused_in_arabic(desk):
    name = photo_with_a_red_spot((1600, 900), (0.5, 0.5))
    article = make_article("خبر", lead_image=name)
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    form = change_form_data(desk.get(change_url))
    form.pop("lead_image", None)
    form.update(lead_image_focal_x="1.5", lead_image_focal_y="-0.2")
    response = desk.post(change_url, form)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "أقل من 1 أو مساوية لها" in str(errors["lead_image_focal_x"])
    assert "أكثر من 0 أو مساوية لها" in str(errors["lead_image_focal_y"])
    assert Article.objects.get(pk=article.pk).lead_image_focal_x == 0.5


@pytest.mark.django_db
def test_an_emptied_point_is_the_centre_and_an_omitted_one_stays(desk):
    name = photo_with_a_red_spot((1600, 900), (0.5, 0.5))
    article = make_article("خبر", lead_image=name, lead_image_focal_x=0.2, lead_image_focal_y=0.3)
    save_in_desk(desk, article, lead_image_focal_x="")
    assert (article.lead_image_focal_x, article.lead_image_focal_y) == (0.5, 0.3)

    article.lead_image_focal_x = 0.7
    article.save()
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    form = change_form_data(desk.get(change_url))
    for key in ("lead_image", "lead_image_focal_x", "lead_image_focal_y"):
        form.pop(key, None)
    assert desk.post(change_url, form).status_code == 302
    article.refresh_from_db()
    assert (article.lead_image_focal_x, article.lead_image_focal_y) == (0.7, 0.3)
