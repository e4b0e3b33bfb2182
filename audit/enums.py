from django.db import models
from django.utils.translation import pgettext_lazy


class Result(models.TextChoices):
    SUCCESS = "success", pgettext_lazy("audit result", "Success")
    FAILURE = "failure", pgettext_lazy("audit result", "Failure")
    DENIED = "denied", pgettext_lazy("audit result", "Denied")


# Entries younger than this are never purged (Cybersecurity Law art. 21: logs kept at least six
# months). The PostgreSQL trigger of migration 0002 repeats the number; keep them equal.
MIN_RETENTION_DAYS = 180

# Hash of the (virtual) entry before the first one.
GENESIS_HASH = "0" * 64

# Actions written by the audit app itself.
ACTION_LOGIN = "portal.auth.login"
ACTION_LOGIN_FAILED = "portal.auth.login_failed"
ACTION_LOGOUT = "portal.auth.logout"
ACTION_ACCESS_DENIED = "portal.access.denied"
ACTION_PURGE = "portal.audit.purge"
