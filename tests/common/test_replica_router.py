"""Read replicas (common/replicas.py): a public list reads the replica, a browser that has just
written reads the primary, and nothing changes without a replica configured.

On PostgreSQL two databases of the same server stand in for the primary and its replica; the
replica is written only by copying the primary (pg_dump | psql), never by the portal. After the
copy the two differ on purpose: a demand published only in the replica's copy, another only in
the primary."""

import os
import shutil
import subprocess
import uuid

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.urls import reverse

from common import replicas
from demands.enums import DemandStatus
from demands.models import Demand
from demands.public.projection import refresh_public_index
from tests.factories.accounts import UserFactory
from tests.factories.demands import DemandFactory


def _published(title):
    demand = DemandFactory(status=DemandStatus.PUBLISHED, title=title)
    refresh_public_index(demand)
    return demand


def _libpq_env(config):
    return {"PGHOST": config.get("HOST") or "", "PGPORT": str(config.get("PORT") or ""),
            "PGUSER": config.get("USER") or "", "PGPASSWORD": config.get("PASSWORD") or ""}


def _run(args, env, **kwargs):
    subprocess.run(args, env={**os.environ, **env}, check=True, timeout=60,
                   capture_output=True, **kwargs)


@pytest.fixture
def replica(postgres, settings):
    """A ``replica`` alias on a copy of the test database, made by pg_dump | psql."""
    if not (shutil.which("pg_dump") and shutil.which("psql")):
        pytest.skip("pg_dump and psql are needed to copy the primary")
    primary = connections.settings["default"]
    name = f"{primary['NAME']}_replica_{uuid.uuid4().hex[:8]}"
    env = _libpq_env(primary)

    def copy():
        _run(["psql", "-q", "-d", "postgres", "-c", f'DROP DATABASE IF EXISTS "{name}"'], env)
        _run(["psql", "-q", "-d", "postgres", "-c", f'CREATE DATABASE "{name}"'], env)
        dump = subprocess.run(["pg_dump", "--no-owner", "--no-privileges", "-d", primary["NAME"]],
                              env={**os.environ, **env}, check=True, timeout=60,
                              capture_output=True)
        _run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", name], env, input=dump.stdout)

    # The alias is a connection of this thread only (not in settings.DATABASES, so no other
    # test sees it); the router is installed as DATABASE_REPLICA_URL would install it.
    replica_connection = load_backend(primary["ENGINE"]).DatabaseWrapper(
        {**connections["default"].settings_dict, "NAME": name, "CONN_MAX_AGE": 0},
        replicas.REPLICA)
    setattr(connections._connections, replicas.REPLICA, replica_connection)
    settings.DATABASE_ROUTERS = [replicas.ROUTER]
    yield copy
    replica_connection.close()
    delattr(connections._connections, replicas.REPLICA)
    _run(["psql", "-q", "-d", "postgres", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
         env)


def _list(client):
    from django.core.cache import cache

    cache.clear()  # the page cache would answer from either database's earlier page
    return client.get(reverse("demands:list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_public_list_reads_the_replica_and_a_writer_reads_the_primary(replica, client):
    copied = _published("只在副本里的需求甲")
    replica()  # the replica now holds the first demand
    Demand.objects.filter(pk=copied.pk).delete()  # ... which the primary no longer has
    _published("只在主库里的需求乙")

    visitor = _list(client)
    assert "只在副本里的需求甲" in visitor
    assert "只在主库里的需求乙" not in visitor

    # A signed-in person writes something (marks their notifications read) ...
    user = UserFactory()
    client.force_login(user)
    written = client.post(reverse("notifications:mark_all_read"))
    assert written.status_code < 400
    assert replicas.PIN_COOKIE in written.cookies
    # ... and reads the primary for the next seconds.
    after_write = _list(client)
    assert "只在主库里的需求乙" in after_write
    assert "只在副本里的需求甲" not in after_write

    # Another browser without that pin still reads the replica.
    client.cookies.pop(replicas.PIN_COOKIE)
    assert "只在副本里的需求甲" in _list(client)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_pages_that_are_not_public_reads_never_touch_the_replica(replica, client):
    demand = _published("副本之后才发布的需求")
    replica()
    Demand.objects.filter(pk=demand.pk).update(title="主库里改过的标题")
    routed = []
    original = replicas.ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        alias = original(self, model, **hints)
        routed.append(alias)
        return alias

    replicas.ReplicaRouter.db_for_read = spy
    try:
        client.get(reverse("notifications:inbox"))
        client.get(reverse("demands:detail", kwargs={"ref": demand.ref}))
    finally:
        replicas.ReplicaRouter.db_for_read = original
    assert routed and set(routed) == {"default"}


@pytest.mark.django_db
def test_without_a_replica_every_read_is_the_primarys(client, settings):
    if os.environ.get("DATABASE_REPLICA_URL"):
        pytest.skip("this run configures a replica")
    assert replicas.REPLICA not in connections.settings
    assert settings.DATABASE_ROUTERS == []
    assert not replicas.replica_configured()
    response = client.post(reverse("set_language"), {"language": "en"})
    assert replicas.PIN_COOKIE not in response.cookies
    assert replicas.ReplicaRouter().db_for_read(Demand) == "default"
