from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Newsroom")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from articles.signal_handlers import register_signal_handlers
        from newsroom.security import media_origin_is_allowed

        checks.register(media_origin_is_allowed, checks.Tags.security)
        register_signal_handlers()
