from django.core.checks import Error
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from .kinds import KINDS, TEMPLATE_NAMES


def kind_templates(app_configs=None, **kwargs):
    """Every registered notification kind has its subject, body and inbox templates."""
    errors = []
    for kind in KINDS.values():
        for name in TEMPLATE_NAMES:
            try:
                get_template(kind.template(name))
            except TemplateDoesNotExist:
                errors.append(Error(
                    f"Notification kind {kind.key!r} has no template {kind.template(name)!r}",
                    hint="Add it under templates/notifications/kinds/<key>/ "
                         "(see notifications.kinds).",
                    id="notifications.E001",
                ))
    return errors
