"""The signed-in user of a request, from the cache: every page a signed-in person opens needs
their row and their roles (the menu), and on announcement days that is most pages. Read from
the database once, they are kept for a minute under the user's id with the session hash of
that moment, and a request whose session carries the same hash gets the user without a query.

Safe because the entry is dropped whenever what it holds changes — the user saved or deleted
(a new password, deactivation, a profile edit) or their roles changed (``connect``) — and a
session whose hash does not match (a password changed elsewhere) falls back to Django's own
check, which flushes it. What changes neither way (a bulk ``update()``) is seen within
``TTL``. The password hash itself is never cached: it stays deferred on the instance, so a
``save()`` of a cached user writes only the fields it holds.
"""

from functools import partial

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.auth.middleware import auser
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from notifications.selectors import remember_unread

TTL = 60


def _fields(User):
    return [field.attname for field in User._meta.concrete_fields if field.attname != "password"]


def _key(pk):
    return f"accounts:identity:{pk}"


def remember(user):
    """Keep ``user`` (just read from the database) with its roles and session hash."""
    entry = {"hash": user.get_session_auth_hash(),
             "values": [getattr(user, name) for name in _fields(type(user))],
             "roles": sorted(user.role_codes())}
    cache.set(_key(user.pk), entry, TTL)
    unread = getattr(user, "_unread_notifications", None)  # read by role_codes' query
    if unread is not None:
        remember_unread(user.pk, unread)


def forget(pk):
    """Drop ``pk``'s entry now and again when the transaction commits (a request that read
    the old row in between must not keep it)."""
    cache.delete(_key(pk))
    transaction.on_commit(lambda: cache.delete(_key(pk)))


def _cached_user(request):
    session = request.session
    try:
        user_id, backend_path = session[SESSION_KEY], session[BACKEND_SESSION_KEY]
    except KeyError:
        return None
    session_hash = session.get(HASH_SESSION_KEY)
    if not session_hash or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    User = auth.get_user_model()
    try:
        pk = User._meta.pk.to_python(user_id)
    except Exception:  # noqa: BLE001 - a malformed id is Django's to refuse
        return None
    entry = cache.get(_key(pk))
    if entry is None or not constant_time_compare(session_hash, entry["hash"]):
        return None
    user = User.from_db(DEFAULT_DB_ALIAS, _fields(User), entry["values"])
    if not user.is_active:
        return None
    user._role_codes = frozenset(entry["roles"])
    user.backend = backend_path
    return user


def get_user(request):
    """``request.user``: from the cache when the session's hash matches, else Django's
    ``get_user`` (which verifies the session and flushes a stale one), then kept."""
    if not hasattr(request, "_cached_user"):
        user = _cached_user(request)
        if user is None:
            user = auth.get_user(request)
            if user.is_authenticated:
                remember(user)
        request._cached_user = user
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's ``AuthenticationMiddleware`` with :func:`get_user` (async views keep Django's
    ``auser``); a subclass, so that the admin's check finds it."""

    def process_request(self, request):
        request.user = SimpleLazyObject(lambda: get_user(request))
        request.auser = partial(auser, request)


def _user_changed(sender, instance, **kwargs):
    if instance.pk is not None:
        forget(instance.pk)


def _roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:
        if action.startswith("post_"):
            forget(instance.pk)
    elif action == "pre_clear":  # role.users.clear(): every user the role had
        for pk in instance.users.values_list("pk", flat=True):
            forget(pk)
    elif action.startswith("post_"):
        for pk in pk_set or ():
            forget(pk)


def connect():
    User = auth.get_user_model()
    post_save.connect(_user_changed, sender=User, dispatch_uid="accounts.identity.saved")
    post_delete.connect(_user_changed, sender=User, dispatch_uid="accounts.identity.deleted")
    m2m_changed.connect(_roles_changed, sender=User.roles.through,
                        dispatch_uid="accounts.identity.roles")
