from django.conf import settings
from django.core.cache import cache

from articles.models import Section

NAV_SECTIONS_KEY = "nav-sections"


def nav_sections() -> list[Section]:
    """The section menu. Sections change a few times a year and every page shows them, so
    they are kept in the cache (dropped by `forget_nav_sections` when one is saved)."""
    sections = cache.get(NAV_SECTIONS_KEY)
    if sections is None:
        sections = list(Section.objects.all())
        cache.set(NAV_SECTIONS_KEY, sections, 60 * 60)
    return sections


def forget_nav_sections(**kwargs) -> None:
    cache.delete(NAV_SECTIONS_KEY)


def site(request):
    """The navigation every public page shows."""
    if request.path.startswith("/admin/"):
        return {}
    return {"nav_sections": nav_sections(), "SITE_URL": settings.SITE_URL}
