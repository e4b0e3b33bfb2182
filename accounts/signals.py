from django.db.models.signals import post_migrate

from .enums import RoleCode


def ensure_roles(sender, using="default", apps=None, **kwargs):
    """Roles are reference data: present after every migrate, and again after a test flush
    (a transactional test empties every table, and data migrations do not run again)."""
    if apps is None:  # flush sends no migration state: the current models are the state
        from django.apps import apps
    try:
        Role = apps.get_model("accounts", "Role")
    except LookupError:
        return
    for code in RoleCode.values:
        Role.objects.using(using).get_or_create(code=code)


def connect(app_config):
    from . import identity

    post_migrate.connect(ensure_roles, sender=app_config, dispatch_uid="accounts.ensure_roles")
    connect_security_events()
    identity.connect()


# --- audited security events ------------------------------------------------------------------
# Two-factor events and password changes are written to the audit log like sign-ins
# (audit.receivers); allauth sends a signal for each.
ACTION_MFA_FAILED = "portal.auth.mfa_failed"
ACTION_MFA_ADDED = "portal.auth.mfa_added"
ACTION_MFA_REMOVED = "portal.auth.mfa_removed"
ACTION_MFA_USED = "portal.auth.mfa_used"
ACTION_RECOVERY_CODES_USED = "portal.auth.recovery_codes_used"
ACTION_RECOVERY_CODES_REGENERATED = "portal.auth.recovery_codes_regenerated"
ACTION_PASSWORD_CHANGED = "portal.auth.password_changed"


def _authenticator_data(authenticator, **extra):
    # The type and id only: never the secret or the codes.
    data = {"type": getattr(authenticator, "type", ""), **extra}
    if authenticator is not None and authenticator.pk:
        data["authenticator_id"] = authenticator.pk
    return data


def log_mfa_failed(sender, request, user, authenticator=None, reauthentication=False, **kwargs):
    from audit.enums import Result
    from audit.services import log_action

    log_action(ACTION_MFA_FAILED, actor=user, obj=user, request=request, result=Result.FAILURE,
               data=_authenticator_data(authenticator, reauthentication=bool(reauthentication)))


def log_mfa_added(sender, request, user, authenticator, **kwargs):
    from audit.services import log_action

    log_action(ACTION_MFA_ADDED, actor=user, obj=user, request=request,
               data=_authenticator_data(authenticator))


def log_mfa_removed(sender, request, user, authenticator, **kwargs):
    from audit.services import log_action

    log_action(ACTION_MFA_REMOVED, actor=user, obj=user, request=request,
               data=_authenticator_data(authenticator))


def log_mfa_reset(sender, request, user, authenticator, **kwargs):
    from audit.services import log_action

    log_action(ACTION_RECOVERY_CODES_REGENERATED, actor=user, obj=user, request=request,
               data=_authenticator_data(authenticator))


def log_mfa_used(sender, request, user, authenticator, **kwargs):
    from allauth.mfa.models import Authenticator

    from audit.services import log_action

    recovery = getattr(authenticator, "type", "") == Authenticator.Type.RECOVERY_CODES
    data = _authenticator_data(authenticator,
                               reauthenticated=bool(kwargs.get("reauthenticated")))
    if recovery:
        # How many codes are left tells the assessor (and the user) when to regenerate.
        # (read again: the instance sent may predate the code being marked used).
        fresh = Authenticator.objects.filter(pk=authenticator.pk).first()
        data["codes_left"] = len(fresh.wrap().get_unused_codes()) if fresh else 0
    log_action(ACTION_RECOVERY_CODES_USED if recovery else ACTION_MFA_USED, actor=user,
               obj=user, request=request, data=data)


def on_password_changed(sender, request, user, **kwargs):
    """A password change (or reset) ends every other session of the user, audited."""
    from .security import end_other_sessions

    keep = getattr(getattr(request, "session", None), "session_key", None)
    ended = end_other_sessions(user, keep=keep)
    from audit.services import log_action

    log_action(ACTION_PASSWORD_CHANGED, actor=user, obj=user, request=request,
               data={"how": kwargs.get("how", "change"), "other_sessions_ended": ended})


def _password_reset(sender, request, user, **kwargs):
    on_password_changed(sender, request, user, how="reset")


def connect_security_events():
    from allauth.account import signals as account_signals
    from allauth.mfa import signals as mfa_signals

    mfa_signals.authentication_failed.connect(log_mfa_failed, dispatch_uid="accounts.mfa_failed")
    mfa_signals.authenticator_added.connect(log_mfa_added, dispatch_uid="accounts.mfa_added")
    mfa_signals.authenticator_removed.connect(log_mfa_removed,
                                              dispatch_uid="accounts.mfa_removed")
    mfa_signals.authenticator_reset.connect(log_mfa_reset, dispatch_uid="accounts.mfa_reset")
    mfa_signals.authenticator_used.connect(log_mfa_used, dispatch_uid="accounts.mfa_used")
    account_signals.password_changed.connect(on_password_changed,
                                             dispatch_uid="accounts.password_changed")
    account_signals.password_reset.connect(_password_reset,
                                           dispatch_uid="accounts.password_reset")
