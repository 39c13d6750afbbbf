from django import template

from articles.media.images import picture_for

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(field_file, alt="", sizes="100vw", lazy=True, css_class=""):
    """A responsive <picture> of an image field: WebP and JPEG srcsets, width and height set
    (no layout shift), lazy loading unless the image is above the fold."""
    return {
        "picture": picture_for(field_file),
        "alt": alt,
        "sizes": sizes,
        "lazy": lazy,
        "css_class": css_class,
    }
