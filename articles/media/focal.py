"""Focal points and the crops made around them: plain arithmetic on sizes, no files.

An editor marks the point of a lead image that must stay in frame (a face, the ball) as two
fractions of the upright original, x from the left edge and y from the top, both 0 to 1; the
centre (0.5, 0.5) when nobody chose. Every rendition is cut to the frame pages show (16:9)
and the shared image to the frame social networks show (1.91:1) by `crop_box`, which keeps
the point inside the crop: as near its centre as the image's edges allow.
"""

from dataclasses import dataclass

# The frame of renditions (article pages and cards) and of the shared image (Open Graph's
# 1200 × 630, which Twitter cards and feed readers also take).
PAGE_RATIO = 16 / 9
SHARE_SIZE = (1200, 630)
SHARE_RATIO = SHARE_SIZE[0] / SHARE_SIZE[1]
# An original within 1 % of a frame is used whole: a crop of a few pixels only blurs edges.
RATIO_TOLERANCE = 0.01


@dataclass(frozen=True)
class Focus:
    x: float = 0.5
    y: float = 0.5

    @classmethod
    def of(cls, x, y) -> "Focus":
        """A focal point from stored values: missing means the centre; out of range is held
        to the edge (the form refuses it; rows written by scripts may not)."""
        return cls(_fraction(x), _fraction(y))

    @property
    def key(self) -> str:
        """The point to a thousandth, as a name for its renditions' folder: "0500-0500"."""
        return f"{round(self.x * 1000):04d}-{round(self.y * 1000):04d}"


CENTRE = Focus()


def _fraction(value) -> float:
    if value is None:
        return 0.5
    return min(1.0, max(0.0, float(value)))


def crop_box(width: int, height: int, ratio: float, focus: Focus = CENTRE):
    """(left, top, right, bottom) of the largest `ratio` (width / height) crop of a
    width × height image that keeps `focus` in frame, centred on it where the edges allow."""
    if width <= 0 or height <= 0:
        raise ValueError("an image has a positive size")
    if abs(width / height - ratio) <= ratio * RATIO_TOLERANCE:
        return (0, 0, width, height)
    if width / height > ratio:  # too wide: keep the full height, choose the columns
        crop = max(1, min(width, round(height * ratio)))
        left = _start(focus.x * width, crop, width)
        return (left, 0, left + crop, height)
    crop = max(1, min(height, round(width / ratio)))  # too tall: choose the rows
    top = _start(focus.y * height, crop, height)
    return (0, top, width, top + crop)


def _start(point: float, crop: int, whole: int) -> int:
    """Where a `crop`-long span centred on `point` starts, held inside 0..whole."""
    return int(min(max(round(point - crop / 2), 0), whole - crop))
