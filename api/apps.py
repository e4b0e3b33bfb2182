from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Open-data API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts.workspace import register_section
        from notifications.kinds import register as register_kind

        from . import privacy, schema, workspace  # noqa: F401  (schema: the key's OpenAPI scheme)

        register_section("api_keys", "api/workspace_section.html", workspace.keys_context,
                         order=90)
        register_kind("api.key_changed", _("API keys issued or revoked"))
        privacy.register()
