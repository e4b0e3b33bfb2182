from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportExportConfig(AppConfig):
    name = "common.importexport"
    label = "importexport"
    verbose_name = _("Import and export")

    def ready(self):
        # Every app's resources.py registers its resources (and their import/export permission
        # rules) in common.importexport.registry; loading them here makes the rules exist in
        # every process, web and Celery worker alike, not only where the admin was imported.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("resources")
