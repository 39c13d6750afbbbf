"""Lead images: what the desk accepts, how an upload is cleaned, and the renditions readers get.

An upload must be a real JPEG, PNG or WebP within byte and pixel limits; its size is read from
the header before any pixel is decoded, so a decompression bomb is refused cheaply. The stored
file has the camera's orientation applied and every piece of metadata (EXIF, GPS, comments)
dropped. Renditions are made once per image and width, in WebP and JPEG, and kept under
MEDIA_ROOT/renditions/ beside a small manifest so pages never reopen the original. An image no
article uses any more (replaced, cleared, its article deleted) is deleted with its renditions
once the change is committed.
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


# Manifests read in this process, newest last; bounded so a large archive cannot fill memory.
_manifests: OrderedDict[str, dict] = OrderedDict()
MANIFEST_CACHE_SIZE = 4096


def _remember(name: str, manifest: dict) -> dict:
    _manifests[name] = manifest
    _manifests.move_to_end(name)
    while len(_manifests) > MANIFEST_CACHE_SIZE:
        _manifests.popitem(last=False)
    return manifest


def forget_manifests(name: str | None = None) -> None:
    """Forget the manifests this process remembers (all, or one image's): the next use reads
    them from storage again. Called when an image is deleted, and by tests between cases."""
    if name is None:
        _manifests.clear()
    else:
        _manifests.pop(name, None)


def remembers_manifest(name: str) -> bool:
    """Whether this process holds the manifest of `name` in memory."""
    return name in _manifests


def rendition_dir(name: str) -> str:
    return _rendition_dir(name)


def _rendition_dir(name: str) -> str:
    digest = hashlib.sha256(name.encode()).hexdigest()[:12]
    return f"{RENDITIONS_DIR}/{digest}-{PurePosixPath(name).stem[:40]}"


def rendition_widths(original_width: int) -> list[int]:
    """The rendition widths for an original: never upscaled; a narrow original gets one."""
    widths = [w for w in RENDITION_WIDTHS if w < original_width]
    if original_width <= RENDITION_WIDTHS[-1]:
        widths.append(original_width)
    return widths


def make_renditions(name: str, storage=default_storage) -> dict:
    """Make (once) the renditions of a stored image and return its manifest
    {"width", "height", "renditions": {ext: [[width, height, path], ...]}}."""
    directory = _rendition_dir(name)
    manifest_path = f"{directory}/manifest.json"
    if name in _manifests:
        return _manifests[name]
    if storage.exists(manifest_path):
        with storage.open(manifest_path) as handle:
            return _remember(name, json.load(handle))
    with storage.open(name) as handle, Image.open(handle) as original:
        original.load()
        image = ImageOps.exif_transpose(original)
    width, height = image.size
    renditions = {}
    sizes = {}  # bytes per rendition path, for feed enclosures (no file opened per item)
    for ext, pil_format, _mime in RENDITION_FORMATS:
        renditions[ext] = []
        for target in rendition_widths(width):
            target_height = max(1, round(height * target / width))
            resized = image.resize((target, target_height), Image.Resampling.LANCZOS)
            if pil_format == "JPEG" and resized.mode != "RGB":
                resized = _flatten(resized)
            elif resized.mode not in ("RGB", "RGBA"):
                resized = resized.convert("RGBA")
            out = io.BytesIO()
            resized.save(out, pil_format, quality=RENDITION_QUALITY, optimize=True)
            path = f"{directory}/{target}.{ext}"
            if storage.exists(path):
                storage.delete(path)
            storage.save(path, ContentFile(out.getvalue()))
            sizes[path] = len(out.getvalue())
            renditions[ext].append([target, target_height, path])
    manifest = {"width": width, "height": height, "renditions": renditions, "bytes": sizes}
    if storage.exists(manifest_path):
        storage.delete(manifest_path)
    storage.save(manifest_path, ContentFile(json.dumps(manifest).encode()))
    return _remember(name, manifest)


def _flatten(image):
    """JPEG has no transparency: lay the image on white."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def picture_for(field_file, storage=default_storage) -> Picture | None:
    """The <picture> data of an image field, making renditions on first use; None when the
    image is missing or unreadable (the page then shows no image rather than failing)."""
    if not field_file or not field_file.name:
        return None
    try:
        manifest = make_renditions(field_file.name, storage)
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
    """Delete a stored original with its renditions and manifest, and forget its manifest.
    Storage API only (disk or S3). The manifest goes first: if a later delete fails, the
    renditions are made again on next use rather than trusted half-deleted."""
    forget_manifests(name)
    directory = _rendition_dir(name)
    try:
        _folders, files = storage.listdir(directory)
    except FileNotFoundError:
        files = []
    for file in sorted(files, key=lambda file: file != "manifest.json"):
        storage.delete(f"{directory}/{file}")
    if files:
        storage.delete(directory)  # the emptied folder on disk; nothing to do on S3
    storage.delete(name)


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
