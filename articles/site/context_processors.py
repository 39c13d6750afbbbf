from django.conf import settings
from django.core.cache import cache

from articles.models import Section
from newsroom.page_cache import current_state

NAV_SECTIONS_KEY = "nav-sections"


def nav_sections() -> list[Section]:
    """The section menu. Sections change a few times a year and every page shows them, so
    they are kept in the cache (dropped by `forget_nav_sections` when one is saved), and in
    this process's memory for as long as the page cache's generation lasts (saving a section
    starts a new one, which every process learns within PAGE_CACHE_STATE_SECONDS)."""
    generation = current_state()["generation"]
    remembered = _remembered
    if remembered and remembered[0] == generation:
        return remembered[1]
    sections = cache.get(NAV_SECTIONS_KEY)
    if sections is None:
        sections = list(Section.objects.all())
        cache.set(NAV_SECTIONS_KEY, sections, 60 * 60)
    _remembered[:] = [generation, sections]
    return sections


_remembered: list = []


def forget_nav_sections(**kwargs) -> None:
    _remembered.clear()
    cache.delete(NAV_SECTIONS_KEY)


def site(request):
    """The navigation every public page shows."""
    if request.path.startswith("/admin/"):
        return {}
    return {"nav_sections": nav_sections(), "SITE_URL": settings.SITE_URL}
