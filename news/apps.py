from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Publicity")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from files.selectors import register_attached_model

        from . import (
            permissions,  # noqa: F401  (registers news.* permissions with rules)
            privacy,
        )
        from .models import NewsItem
        from .selectors import items_visible_to

        # Images and attachments of published items are public; drafts are their editors'.
        register_attached_model(NewsItem, items_visible_to)
        privacy.register()
