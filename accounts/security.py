"""Sign-in protection assessed under MLPS 2.0: account lockout, idle timeout, TOTP for staff.

* Lockout: ``LOGIN_LOCKOUT_FAILURES`` failed sign-ins for one account (its e-mail address, not the
  client's IP, so a forged X-Forwarded-For changes nothing) lock it for
  ``LOGIN_LOCKOUT_SECONDS``. Counters live in the shared cache, so every web process counts
  together; while the cache is down (``common.cache``) nothing is counted and nobody is locked
  out — sign-in stays open rather than closed to everyone, as do allauth's rate limits. The
  lock is enforced in ``PortalAccountAdapter.pre_authenticate``: allauth's sign-in,
  its re-authentication and (through ``secure_admin_login``) the Django admin all pass there.
  allauth's own ``login_failed`` rate limit is configured with the same numbers as a second layer.
* Idle timeout: ``IdleTimeoutMiddleware`` signs a user out after ``SESSION_IDLE_TIMEOUT`` seconds
  without a request.
* Two factors for staff: ``RequireMFAForStaffMiddleware`` sends host organisers, experts, Torch
  staff and Django staff to allauth's TOTP set-up until they have an authenticator app.

Times come from ``time.time()`` (as in allauth's rate limiter) and are compared against stored
timestamps, never left to cache expiry alone, so the rules hold on Redis and in tests that move
the clock.
"""

import hashlib
import logging
import time
from contextlib import contextmanager
from datetime import UTC, datetime

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from audit.enums import Result
from audit.services import log_action

from .permissions import is_expert, is_host_organiser, is_torch_staff

logger = logging.getLogger("portal.security")

ACTION_LOCKOUT = "portal.auth.lockout"

LAST_ACTIVITY_SESSION_KEY = "portal_last_activity"
# The last-activity stamp is rewritten at most this often, so an active user costs one session
# write a minute rather than one per request.
ACTIVITY_TOUCH_INTERVAL = 60


def _setting(name, default):
    return getattr(settings, name, default)


def lockout_failures():
    return _setting("LOGIN_LOCKOUT_FAILURES", 5)


def lockout_seconds():
    return _setting("LOGIN_LOCKOUT_SECONDS", 15 * 60)


def idle_timeout():
    return _setting("SESSION_IDLE_TIMEOUT", 30 * 60)


# --- account lockout --------------------------------------------------------------------------
def normalise_login(login):
    return (login or "").strip().lower()


def _account_hash(login):
    return hashlib.sha256(normalise_login(login).encode("utf-8")).hexdigest()


def _failures_key(login):
    return f"portal:login-failures:{_account_hash(login)}"


def _lock_key(login):
    return f"portal:login-lock:{_account_hash(login)}"


@contextmanager
def _cache_lock(key, wait=1.0):
    """A short mutual exclusion across processes through ``cache.add`` (atomic on Redis)."""
    lock_key = f"{key}:mutex"
    deadline = time.monotonic() + wait
    acquired = cache.add(lock_key, 1, timeout=10)
    while not acquired and time.monotonic() < deadline:
        time.sleep(0.01)
        acquired = cache.add(lock_key, 1, timeout=10)
    # Without the mutex after a second, go on: a failure counted imprecisely is better than a
    # sign-in that hangs.
    try:
        yield
    finally:
        if acquired:
            cache.delete(lock_key)


def locked_until(login):
    """When the account signing in with ``login`` may try again (a UNIX time), or None."""
    until = cache.get(_lock_key(login))
    if until is not None and until > time.time():
        return until
    return None


def record_login_failure(request, login):
    """Count one failed sign-in for ``login``; lock the account when the limit is reached.

    Returns the UNIX time the new lock ends, or None when the account is not (newly) locked.
    """
    now = time.time()
    window = lockout_seconds()
    key = _failures_key(login)
    with _cache_lock(key):
        history = [stamp for stamp in cache.get(key, []) if stamp > now - window]
        history.append(now)
        locked = len(history) >= lockout_failures()
        if locked:
            cache.delete(key)
        else:
            cache.set(key, history, int(window) + 60)
    if not locked:
        return None
    until = now + window
    cache.set(_lock_key(login), until, int(window) + 60)
    _log_lockout(request, login, until)
    return until


def clear_login_failures(login):
    """Forget failures and lift the lock of ``login`` (after a successful password reset)."""
    cache.delete_many([_failures_key(login), _lock_key(login)])


def _log_lockout(request, login, until):
    """Audit entry (and a warning in the server log) for a lockout; the typed address is kept
    only for accounts that exist, masked by the audit log like every e-mail address."""
    user = get_user_model().objects.filter(email__iexact=normalise_login(login)).first()
    until_iso = datetime.fromtimestamp(until, tz=UTC).isoformat()
    logger.warning(
        "Account locked after %d failed sign-ins: user=%s ip=%s until=%s",
        lockout_failures(), user.pk if user else "unknown",
        request.META.get("REMOTE_ADDR", "") if request is not None else "", until_iso,
    )
    log_action(
        ACTION_LOCKOUT, obj=user, request=request, result=Result.DENIED,
        data={"failures": lockout_failures(), "locked_until": until_iso,
              "known_account": user is not None},
    )


def lockout_message(until):
    retry_at = localtime(datetime.fromtimestamp(until, tz=UTC))
    minutes = max(1, int((until - time.time() + 59) // 60))
    return ngettext(
        "This account is locked after %(failures)d failed sign-in attempts. Try again at "
        "%(time)s (in about %(minutes)d minute), or reset your password.",
        "This account is locked after %(failures)d failed sign-in attempts. Try again at "
        "%(time)s (in about %(minutes)d minutes), or reset your password.",
        minutes,
    ) % {
        "failures": lockout_failures(),
        "time": formats.date_format(retry_at, "H:i"),
        "minutes": minutes,
    }


class PortalAccountAdapter(DefaultAccountAdapter):
    """allauth adapter of the portal: enforces the per-account lockout on every password check.

    Subclass this (not allauth's default) if another part of the portal needs adapter hooks.
    """

    def pre_authenticate(self, request, **credentials):
        login = credentials.get("email", credentials.get("username", ""))
        until = locked_until(login)
        if until is not None:
            raise ValidationError(lockout_message(until), code="account_locked")
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials):
        super().authentication_failed(request, **credentials)
        login = credentials.get("email", credentials.get("username", ""))
        until = record_login_failure(request, login)
        if until is not None:
            raise ValidationError(lockout_message(until), code="account_locked")

    def is_reauthentication_required(self, *, app, **kwargs):
        """allauth asks for the password again before any 2FA change. Not for the first
        authenticator of a user who has just signed in with it (staff are sent to set one up
        right after signing in: two password prompts in a row): see
        :func:`first_setup_after_sign_in`. Every later change still asks."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and first_setup_after_sign_in(self.request):
            return False
        return required

    def _delete_login_attempts_cached_email(self, request, **credentials):
        # allauth calls this after a successful password reset: the owner proved control of the
        # mailbox, so the lock is lifted for both allauth's counter and ours.
        super()._delete_login_attempts_cached_email(request, **credentials)
        clear_login_failures(credentials.get("email", credentials.get("username", "")))


# --- idle timeout -----------------------------------------------------------------------------
class IdleTimeoutMiddleware:
    """Ends an authenticated session after ``SESSION_IDLE_TIMEOUT`` seconds without a request.

    ``SESSION_COOKIE_AGE`` carries the same value, so the stored session expires too; this
    middleware adds the explicit sign-out and the message saying why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_SESSION_KEY)
            if last is not None and now - last > idle_timeout():
                logout(request)
                messages.info(request, ngettext(
                    "You were signed out after %(minutes)d minute without activity.",
                    "You were signed out after %(minutes)d minutes without activity.",
                    idle_timeout() // 60,
                ) % {"minutes": idle_timeout() // 60})
            elif last is None or now - last >= ACTIVITY_TOUCH_INTERVAL:
                request.session[LAST_ACTIVITY_SESSION_KEY] = now
        return self.get_response(request)


# --- two factors for staff --------------------------------------------------------------------
def requires_mfa(user):
    """Host organisers, experts, Torch staff and Django staff must use an authenticator app."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return bool(
        user.is_staff or user.is_superuser
        or is_host_organiser(user) or is_expert(user) or is_torch_staff(user)
    )


def has_totp(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# The pages of a first set-up: adding the authenticator app and reading its recovery codes.
FIRST_SETUP_VIEWS = frozenset({"mfa_activate_totp", "mfa_view_recovery_codes"})


def first_setup_after_sign_in(request):
    """The user is setting up two-factor sign-in for the first time (every factor they have
    was added after this sign-in) on its set-up pages, and typed the password to sign in
    within allauth's re-authentication window (ACCOUNT_REAUTHENTICATION_TIMEOUT): that
    sign-in is as recent as a re-authentication would be."""
    import datetime
    import time

    from allauth.account import app_settings as account_settings

    user = getattr(request, "user", None)
    if request is None or not (user and user.is_authenticated):
        return False
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name not in FIRST_SETUP_VIEWS:
        return False
    records = request.session.get("account_authentication_methods") or []
    signed_in = [record.get("at", 0) for record in records if record.get("method") == "password"]
    if not signed_in or time.time() - max(signed_in) > account_settings.REAUTHENTICATION_TIMEOUT:
        return False
    since = datetime.datetime.fromtimestamp(max(signed_in), tz=datetime.UTC)
    return not Authenticator.objects.filter(user=user, created_at__lt=since).exists()


# Views a staff user without TOTP may still open: setting it up (allauth's 2FA pages, all named
# mfa_*, and the re-authentication and e-mail pages they may send to), signing out, switching
# language, the health probe and the privacy notice.
MFA_EXEMPT_VIEW_NAMES = frozenset({
    "account_logout",
    "account_reauthenticate",
    "account_email",
    "account_email_verification_sent",
    "account_confirm_email",
    "set_language",
    "healthz",
    "accounts:privacy",
})


class RequireMFAForStaffMiddleware:
    """Sends staff without an authenticator app to allauth's TOTP activation page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if not requires_mfa(user) or self._exempt(request):
            return None
        if has_totp(user):
            return None
        messages.warning(request, _(
            "Your role gives access to confidential data: set up an authenticator app "
            "(two-factor sign-in) before you continue."
        ))
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(_activation_url())
        return redirect(_activation_url())

    @staticmethod
    def _exempt(request):
        static_url = settings.STATIC_URL or "/static/"
        if request.path_info.startswith(static_url):
            return True
        match = request.resolver_match
        if match is None:
            return False
        return match.view_name.startswith("mfa_") or match.view_name in MFA_EXEMPT_VIEW_NAMES


def _activation_url():
    return reverse("mfa_activate_totp")


# --- sessions ---------------------------------------------------------------------------------
def end_other_sessions(user, *, keep=None):
    """Delete every stored session of ``user`` except ``keep`` (the session key of the request
    that changed the password); returns how many ended.

    Django would also refuse those sessions on their next request (their password hash no longer
    matches), but deleting them ends them now, in the cache too (``cached_db``), and whatever
    else holds them. Only unexpired sessions are read; they expire after the idle timeout, so
    there are few.
    """
    from importlib import import_module

    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    user_key = str(user.pk)
    ended = 0
    rows = Session.objects.filter(expire_date__gt=timezone.now()).exclude(session_key=keep)
    for row in rows.iterator(chunk_size=500):
        if str(row.get_decoded().get(SESSION_KEY)) != user_key:
            continue
        store_class(session_key=row.session_key).delete()
        ended += 1
    return ended
