"""The harness's world, built once per module (building it takes seconds) inside a transaction
that is rolled back at the end; each request runs in a savepoint of its own, rolled back too, so
an allowed POST never changes what the next persona sees."""

import hashlib
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.harness.world import build_world

# Rows that change on any request and say nothing about a denied action: the session store and
# the audit trail (which records refusals too).
VOLATILE_TABLES = {"django_session", "audit_activitylog"}
# Signing a persona in sets its last_login.
VOLATILE_COLUMNS = {"last_login"}


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("harness-private")
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media), "base_url": None},
        },
    }
    from django.test.utils import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=storages, PRIVATE_MEDIA_ROOT=media),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            built.checksum = checksum()
            built.media = media
            built.storages = storages
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def harness(world, db, settings):
    """The world, with database access (the test's transaction nests in the world's) and the
    world's file storage."""
    settings.STORAGES = world.storages
    settings.PRIVATE_MEDIA_ROOT = world.media
    return world


def client_for(world, persona, language="zh-hans"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    user = world.user(persona)
    if user is not None:
        client.force_login(user)
    return client


@contextmanager
def rolled_back():
    """Run the block in a savepoint that is always rolled back; the cache starts empty."""
    cache.clear()
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def checksum(models=None):
    """A digest of every row of the project's tables (but the volatile ones)."""
    digest = hashlib.sha256()
    for model in models or apps.get_models(include_auto_created=True):
        if model._meta.db_table in VOLATILE_TABLES or not model._meta.managed:
            continue
        if model._meta.proxy:
            continue
        fields = [
            f.attname for f in model._meta.concrete_fields if f.attname not in VOLATILE_COLUMNS
        ]
        rows = model._default_manager.order_by("pk").values_list(*fields)
        digest.update(model._meta.db_table.encode())
        for row in rows.iterator():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def classify(response):
    """The outcome of a response in the matrix's words (common.permission_matrix)."""
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        path = location.split("?", 1)[0]
        if path in (reverse("account_login"), reverse("admin:login")):
            return "login"
        if path == reverse("accounts:agreements_sign"):
            return "sign"
        if path == reverse("mfa_activate_totp"):
            return "mfa"
        return "302"
    if 200 <= code < 300:
        return "200"
    return str(code)
