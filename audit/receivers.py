"""Log-ins, log-outs and failed log-ins go to the audit log. Nothing else happens here."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .enums import ACTION_LOGIN, ACTION_LOGIN_FAILED, ACTION_LOGOUT, Result
from .services import log_action


@receiver(user_logged_in, dispatch_uid="audit_user_logged_in")
def log_login(sender, request, user, **kwargs):
    log_action(ACTION_LOGIN, actor=user, obj=user, request=request, result=Result.SUCCESS)


@receiver(user_logged_out, dispatch_uid="audit_user_logged_out")
def log_logout(sender, request, user, **kwargs):
    if user is None:
        return
    log_action(ACTION_LOGOUT, actor=user, obj=user, request=request, result=Result.SUCCESS)


@receiver(user_login_failed, dispatch_uid="audit_user_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    # Django already replaced secrets by asterisks; the masking of log_action also shortens
    # the identifier (the typed e-mail address) to its first letter and domain.
    log_action(ACTION_LOGIN_FAILED, data={"attempt": dict(credentials or {})},
               request=request, result=Result.FAILURE)
