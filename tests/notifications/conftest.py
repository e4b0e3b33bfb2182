import pytest
from allauth.mfa.models import Authenticator

from challenge_portal.celery import app as celery_app
from notifications import outbox


def _reset_producer_pool():
    # The publisher pool is built from the broker URL on first use; drop it when the URL changes.
    celery_app.amqp._producer_pool = None
    celery_app._pool = None


@pytest.fixture(autouse=True)
def eager_celery(monkeypatch):
    """Tasks run in the test process, as on a development machine, whatever REDIS_URL says;
    and no earlier test's broker failure pauses the kicks of this one."""
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_always_eager, conf.task_eager_propagates)
    conf.task_always_eager = True
    conf.task_eager_propagates = True
    monkeypatch.setattr(outbox, "_kick_paused_until", 0.0)
    yield conf
    conf.broker_url, conf.task_always_eager, conf.task_eager_propagates = saved
    _reset_producer_pool()


@pytest.fixture
def broker_down(eager_celery, monkeypatch):
    """Celery publishes to a Redis port where nothing listens."""
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    eager_celery.broker_url = "redis://127.0.0.1:1/0"
    eager_celery.task_always_eager = False
    _reset_producer_pool()
    yield eager_celery
    eager_celery.task_always_eager = True
    monkeypatch.setattr(outbox, "_kick_paused_until", 0.0)


@pytest.fixture
def with_totp():
    """Give a staff user the authenticator app that staff need to get past sign-in."""

    def add(user):
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP,
                                     data={"secret": "JBSWY3DPEHPK3PXP"})
        return user

    return add


@pytest.fixture
def torch_client(client, torch_staff, with_totp):
    client.force_login(with_totp(torch_staff))
    return client


def kicks(callbacks):
    """The on-commit callbacks that kick the relay (the others drop cached badge counts)."""
    return [callback for callback in callbacks if "kick" in callback.__qualname__]
