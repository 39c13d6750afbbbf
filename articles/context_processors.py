from django.conf import settings

from .models import Section


def site(request):
    """The navigation every public page shows."""
    if request.path.startswith("/admin/"):
        return {}
    return {"nav_sections": Section.objects.all(), "SITE_URL": settings.SITE_URL}
