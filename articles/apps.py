from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Newsroom")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from articles import signals
        from articles.media import images
        from articles.search import engine as search
        from articles.wire import importer as ingest
        from newsroom.security import media_origin_is_allowed

        checks.register(media_origin_is_allowed, checks.Tags.security)

        search.connect_signals()
        ingest.connect_signals()
        signals.connect()
        images.connect_signals()
