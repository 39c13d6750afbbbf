"""Lead images: what the desk accepts, how an upload is cleaned, and the renditions readers get.

An upload must be a real JPEG, PNG or WebP within byte and pixel limits; its size is read from
the header before any pixel is decoded, so a decompression bomb is refused cheaply. The stored
file has the camera's orientation applied and every piece of metadata (EXIF, GPS, comments)
dropped. Renditions are cut to the page frame around the image's focal point
(articles/media/focal.py), made once per image, focal point and width, in WebP and JPEG, and
kept under MEDIA_ROOT/renditions/<image>/<focal point>/ beside a small manifest so pages never
reopen the original. An image no article uses any more (replaced, cleared, its article
deleted) is deleted with all its renditions once the change is committed; renditions of a
focal point the editor moved away from are deleted the same way.
"""

import hashlib
import io
import json
import logging
import secrets
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from functools import partial
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from articles.media.focal import CENTRE, PAGE_RATIO, SHARE_RATIO, SHARE_SIZE, Focus, crop_box

logger = logging.getLogger(__name__)

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # e.g. 8000 × 5000: more than any news photo needs
MAX_SIDE = 12_000
RENDITION_WIDTHS = (480, 800, 1200, 1600)
RENDITION_FORMATS = (("webp", "WEBP", "image/webp"), ("jpg", "JPEG", "image/jpeg"))
RENDITION_QUALITY = 82
RENDITIONS_DIR = "renditions"


class ImageRejected(ValidationError):
    pass


def inspect_upload(upload) -> tuple[str, int, int]:
    """(format, width, height) of an acceptable upload, or ImageRejected with the reason.
    Only the header is read for the checks; the pixels are decoded last."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ImageRejected(
            _("The image is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "limit": MAX_BYTES // 1024 // 1024},
            code="too_large",
        )
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload, formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _bomb() from error
        except ValueError as error:
            if "too large" in str(error).lower() or "too much memory" in str(error).lower():
                # Pillow's limit on a PNG's compressed text chunks: a real image, bad metadata.
                raise ImageRejected(
                    _(
                        "The image carries too much embedded text (metadata); export it again "
                        "without metadata and upload that."
                    ),
                    code="metadata",
                ) from error
            raise _not_an_image() from error
        except (UnidentifiedImageError, OSError) as error:
            raise _not_an_image() from error
        width, height = image.size
        if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
            raise _bomb()
        try:
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _bomb() from error
        except (OSError, ValueError, SyntaxError) as error:
            raise ImageRejected(
                _("The image file is damaged or incomplete."), code="damaged"
            ) from error
    return image.format, width, height


def _not_an_image():
    return ImageRejected(
        _("Upload a JPEG, PNG or WebP image; this file is not one."), code="format"
    )


def _bomb():
    return ImageRejected(
        _(
            "The image has too many pixels (at most %(limit)s million); it may be a decompression bomb and was refused."
        )
        % {"limit": MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def clean_upload(upload) -> ContentFile:
    """The upload as it will be stored: checked, turned upright, without any metadata."""
    image_format, _width, _height = inspect_upload(upload)
    upload.seek(0)
    with Image.open(upload, formats=ACCEPTED_FORMATS) as original:
        upright = ImageOps.exif_transpose(original)
        clean = _without_metadata(upright, image_format)
    out = io.BytesIO()
    if image_format == "JPEG":
        clean.save(out, "JPEG", quality=90, optimize=True, progressive=True)
    elif image_format == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=90, method=4)
    stem = PurePosixPath(getattr(upload, "name", "") or "image").stem[:72] or "image"
    # A name never used before, even by a deleted image: a manifest another process still
    # remembers for an old name can never describe a new image (see delete_image).
    token = secrets.token_hex(4)
    return ContentFile(out.getvalue(), name=f"{stem}-{token}.{EXTENSIONS[image_format]}")


def _without_metadata(image, image_format):
    """A copy holding only pixels (and palette/transparency), nothing Pillow would write back
    as EXIF, XMP, ICC or text chunks."""
    mode = image.mode
    if image_format == "JPEG" and mode not in ("RGB", "L"):
        image, mode = image.convert("RGB"), "RGB"
    elif mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image, mode = image.convert("RGBA"), "RGBA"
    clean = Image.new(mode, image.size)
    clean.paste(image)
    if mode == "P":
        clean.putpalette(image.getpalette())
        if "transparency" in image.info:
            clean.info["transparency"] = image.info["transparency"]
    return clean


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class Picture:
    """What a template needs for <picture>: srcsets per type, a fallback, and the size."""

    sources: tuple  # ((mime type, srcset), ...)
    fallback: Rendition
    width: int
    height: int


# Manifests read in this process, newest last, keyed by (image, focal point); bounded so a
# large archive cannot fill memory.
_manifests: OrderedDict[tuple[str, str], dict] = OrderedDict()
MANIFEST_CACHE_SIZE = 4096


def _remember(key: tuple[str, str], manifest: dict) -> dict:
    _manifests[key] = manifest
    _manifests.move_to_end(key)
    while len(_manifests) > MANIFEST_CACHE_SIZE:
        _manifests.popitem(last=False)
    return manifest


def forget_manifests(name: str | None = None, focus: Focus | None = None) -> None:
    """Forget the manifests this process remembers (all, one image's, or one image's at one
    focal point): the next use reads them from storage again. Called when an image or its
    renditions are deleted, and by tests between cases."""
    if name is None:
        _manifests.clear()
        return
    for key in [key for key in _manifests if key[0] == name]:
        if focus is None or key[1] == focus.key:
            del _manifests[key]


def remembers_manifest(name: str, focus: Focus | None = None) -> bool:
    """Whether this process holds a manifest of `name` (at `focus`, or at any point)."""
    return any(key[0] == name and (focus is None or key[1] == focus.key) for key in _manifests)


def image_dir(name: str) -> str:
    """The folder of everything made from the image `name`: one sub-folder per focal point."""
    digest = hashlib.sha256(name.encode()).hexdigest()[:12]
    return f"{RENDITIONS_DIR}/{digest}-{PurePosixPath(name).stem[:40]}"


def rendition_dir(name: str, focus: Focus = CENTRE) -> str:
    """The folder of the renditions of `name` cropped around `focus`, with their manifest."""
    return f"{image_dir(name)}/{focus.key}"


def focus_of(field_file) -> Focus:
    """The focal point chosen for an image field's file (the article's lead image), or the
    centre when its model has none."""
    instance = getattr(field_file, "instance", None)
    return Focus.of(
        getattr(instance, "lead_image_focal_x", None), getattr(instance, "lead_image_focal_y", None)
    )


def rendition_widths(original_width: int) -> list[int]:
    """The rendition widths for an original: never upscaled; a narrow original gets one."""
    widths = [w for w in RENDITION_WIDTHS if w < original_width]
    if original_width <= RENDITION_WIDTHS[-1]:
        widths.append(original_width)
    return widths


def make_renditions(name: str, storage=default_storage, focus: Focus = CENTRE) -> dict:
    """Make (once per focal point) the renditions of a stored image and return its manifest
    {"width", "height", "focus", "renditions": {ext: [[width, height, path], ...]},
    "share": [width, height, path], "bytes": {path: size}}. Renditions are the page frame
    (16:9) cut around `focus`; "share" is the 1.91:1 image for feeds and social cards, cut
    around it too; "width" and "height" are the page frame's, in the original's pixels."""
    key = (name, focus.key)
    directory = rendition_dir(name, focus)
    manifest_path = f"{directory}/manifest.json"
    if key in _manifests:
        return _manifests[key]
    if storage.exists(manifest_path):
        with storage.open(manifest_path) as handle:
            return _remember(key, json.load(handle))
    with storage.open(name) as handle, Image.open(handle) as original:
        original.load()
        image = ImageOps.exif_transpose(original)
    page = image.crop(crop_box(*image.size, PAGE_RATIO, focus))
    width, height = page.size
    renditions = {}
    sizes = {}  # bytes per rendition path, for feed enclosures (no file opened per item)

    def save(picture, path, pil_format):
        if pil_format == "JPEG" and picture.mode != "RGB":
            picture = _flatten(picture)
        elif picture.mode not in ("RGB", "RGBA"):
            picture = picture.convert("RGBA")
        out = io.BytesIO()
        picture.save(out, pil_format, quality=RENDITION_QUALITY, optimize=True)
        if storage.exists(path):
            storage.delete(path)
        storage.save(path, ContentFile(out.getvalue()))
        sizes[path] = len(out.getvalue())

    for ext, pil_format, _mime in RENDITION_FORMATS:
        renditions[ext] = []
        for target in rendition_widths(width):
            target_height = max(1, round(height * target / width))
            path = f"{directory}/{target}.{ext}"
            save(page.resize((target, target_height), Image.Resampling.LANCZOS), path, pil_format)
            renditions[ext].append([target, target_height, path])
    shared = image.crop(crop_box(*image.size, SHARE_RATIO, focus))
    share_width = min(SHARE_SIZE[0], shared.width)
    share_height = max(1, round(shared.height * share_width / shared.width))
    share_path = f"{directory}/share.jpg"
    save(shared.resize((share_width, share_height), Image.Resampling.LANCZOS), share_path, "JPEG")
    manifest = {
        "width": width,
        "height": height,
        "focus": [focus.x, focus.y],
        "renditions": renditions,
        "share": [share_width, share_height, share_path],
        "bytes": sizes,
    }
    if storage.exists(manifest_path):
        storage.delete(manifest_path)
    storage.save(manifest_path, ContentFile(json.dumps(manifest).encode()))
    return _remember(key, manifest)


def _flatten(image):
    """JPEG has no transparency: lay the image on white."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def picture_for(field_file, storage=default_storage) -> Picture | None:
    """The <picture> data of an image field, cropped around its focal point, making the
    renditions on first use; None when the image is missing or unreadable (the page then
    shows no image rather than failing)."""
    if not field_file or not field_file.name:
        return None
    try:
        manifest = make_renditions(field_file.name, storage, focus_of(field_file))
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        logger.warning("no renditions for %s: %s", field_file.name, error)
        return None
    sources = []
    fallback = None
    for ext, _pil_format, mime in RENDITION_FORMATS:
        entries = manifest["renditions"][ext]
        srcset = ", ".join(f"{storage.url(path)} {w}w" for w, _h, path in entries)
        sources.append((mime, srcset))
        if ext == "jpg":
            w, h, path = min(entries, key=lambda entry: abs(entry[0] - 800))
            fallback = Rendition(storage.url(path), w, h)
    return Picture(tuple(sources), fallback, manifest["width"], manifest["height"])


# --- cleaning up images no article uses any more ---


def delete_image(name: str, storage=default_storage) -> None:
    """Delete a stored original with the renditions made from it at every focal point, and
    forget their manifests. Storage API only (disk or S3)."""
    forget_manifests(name)
    directory = image_dir(name)
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        folders, files = [], []
    for folder in folders:
        _delete_folder(f"{directory}/{folder}", storage)
    for file in files:  # renditions made before focal points, kept beside the folders
        storage.delete(f"{directory}/{file}")
    if folders or files:
        storage.delete(directory)  # the emptied folder on disk; nothing to do on S3
    storage.delete(name)


def _delete_folder(directory: str, storage) -> None:
    """Delete one focal point's renditions. The manifest goes first: if a later delete
    fails, the renditions are made again on next use rather than trusted half-deleted."""
    try:
        _folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for file in sorted(files, key=lambda file: file != "manifest.json"):
        storage.delete(f"{directory}/{file}")
    if files:
        storage.delete(directory)


def release_after_commit(name: str, storage=default_storage, using=None) -> None:
    """Once the current transaction commits, delete the image `name` unless an article still
    uses it. Nothing happens if the transaction is rolled back. A storage error is logged and
    never reaches the editor, whose save is already committed."""
    transaction.on_commit(partial(_release, name, storage, using), using=using, robust=True)


def _release(name: str, storage, using=None) -> None:
    from articles.models import Article

    # On the database that was written (the primary), never a lagging replica.
    if Article.objects.using(using).filter(lead_image=name).exists():
        return  # another article shows this image: it stays
    try:
        delete_image(name, storage)
    except Exception:  # any backend's error: disk, S3, network
        logger.exception("could not delete the unused image %s and its renditions", name)


def retire_focus_after_commit(name: str, focus: Focus, storage=default_storage, using=None):
    """Once the current transaction commits, delete the renditions of `name` cut around
    `focus` (the focal point an editor moved away from) unless an article still shows the
    image with that point. Nothing happens if the transaction is rolled back."""
    transaction.on_commit(
        partial(_retire_focus, name, focus, storage, using), using=using, robust=True
    )


def _retire_focus(name: str, focus: Focus, storage, using=None) -> None:
    from articles.models import Article

    users = Article.objects.using(using).filter(lead_image=name)
    points = users.values_list("lead_image_focal_x", "lead_image_focal_y")
    if any(Focus.of(x, y).key == focus.key for x, y in points):
        return  # another article shows the image framed this way
    forget_manifests(name, focus)
    try:
        _delete_folder(rendition_dir(name, focus), storage)
    except Exception:  # any backend's error: disk, S3, network
        logger.exception("could not delete the renditions of %s at %s", name, focus.key)
