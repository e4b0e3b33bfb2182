from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Platform")

    def ready(self):
        from .sites import sync_site

        # After migrate: the sites framework's row follows SITE_URL (common.sites).
        post_migrate.connect(sync_site, sender=self, dispatch_uid="common.sync_site")
