"""Celery settings: broker, reliability, time limits and the checks between them, the outbox
relay's retries and lease, the queues and the beat schedule's first jobs (each feature's own
periodic job is added to ``CELERY_BEAT_SCHEDULE`` in ``challenge_portal.settings``, beside that
feature's settings). Imported by ``challenge_portal.settings``; ``challenge_portal.celery``
reads them with ``namespace="CELERY"``.
"""

from celery.schedules import crontab

from .settings_env import REDIS_URL, TIME_ZONE, envbool, envint

__all__ = [
    "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "CELERY_TASK_EAGER_PROPAGATES",
    "CELERY_RESULT_BACKEND", "CELERY_TASK_IGNORE_RESULT", "CELERY_ACCEPT_CONTENT",
    "CELERY_TASK_SERIALIZER", "CELERY_RESULT_SERIALIZER", "CELERY_TIMEZONE",
    "CELERY_TASK_ACKS_LATE", "CELERY_TASK_REJECT_ON_WORKER_LOST",
    "CELERY_WORKER_PREFETCH_MULTIPLIER",
    "CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS", "CELERY_VISIBILITY_TIMEOUT",
    "CELERY_BROKER_TRANSPORT_OPTIONS", "CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS",
    "CELERY_BROKER_CONNECTION_TIMEOUT", "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP",
    "CELERY_TASK_TIME_LIMIT", "CELERY_TASK_SOFT_TIME_LIMIT",
    "NOTIFICATIONS_MAX_ATTEMPTS", "NOTIFICATIONS_RETRY_BASE", "NOTIFICATIONS_RETRY_MAX",
    "NOTIFICATIONS_SENDING_LEASE", "NOTIFICATIONS_SWEEP_SECONDS", "NOTIFICATIONS_RELAY_EVERY",
    "CELERY_BEAT_SCHEDULE", "WORKER_QUEUES", "CELERY_TASK_ROUTES",
]

# Without REDIS_URL tasks run eagerly in the web process (development default).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# Reliability: a task is acknowledged only once done, a worker killed mid-task gives it back,
# and a worker holds one message at a time. Every task must therefore be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task still running when the broker connection drops is redelivered anyway (late ack);
# cancelling it at once is the behaviour Celery 6 makes the default.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Redis redelivers an unacknowledged message once it is older than the visibility timeout.
# Celery's Redis guide ("Caveats: Visibility timeout") requires the same value in all three of
# broker_transport_options, result_backend_transport_options and visibility_timeout (with
# namespace="CELERY", CELERY_VISIBILITY_TIMEOUT is app.conf.visibility_timeout). No countdown,
# ETA or task run may last longer: the message would be delivered again (checked below).
CELERY_VISIBILITY_TIMEOUT = envint("CELERY_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # kombu (>= 5.7) looks for expired unacknowledged messages every interval × throttle
    # seconds (100 by default); tests that kill workers shorten both.
    "unacked_restore_interval": envint("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": envint("CELERY_UNACKED_RESTORE_THROTTLE", 10),
    # A dead or unreachable broker must not hang a publish (and the request behind it).
    "socket_connect_timeout": envint("CELERY_BROKER_SOCKET_CONNECT_TIMEOUT", 2),
    "socket_timeout": envint("CELERY_BROKER_SOCKET_TIMEOUT", 10),
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_TIMEOUT = envint("CELERY_BROKER_CONNECTION_TIMEOUT", 2)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 240)
# The outbox relay (notifications.relay): retries back off from the base, doubling, up to the
# cap; a row is failed after the last attempt. A relay run owns a row it is sending for the
# lease, longer than a task may run, so a row is claimed again only once its sender is dead.
NOTIFICATIONS_MAX_ATTEMPTS = envint("NOTIFICATIONS_MAX_ATTEMPTS", 8)
NOTIFICATIONS_RETRY_BASE = envint("NOTIFICATIONS_RETRY_BASE", 60)
NOTIFICATIONS_RETRY_MAX = envint("NOTIFICATIONS_RETRY_MAX", 30 * 60)
NOTIFICATIONS_SENDING_LEASE = envint("NOTIFICATIONS_SENDING_LEASE", CELERY_TASK_TIME_LIMIT + 60)
NOTIFICATIONS_SWEEP_SECONDS = envint("NOTIFICATIONS_SWEEP_SECONDS", 50)
if not (0 < CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < CELERY_VISIBILITY_TIMEOUT):
    raise RuntimeError("Celery time limits must be soft < hard < CELERY_VISIBILITY_TIMEOUT")
if not NOTIFICATIONS_RETRY_MAX < CELERY_VISIBILITY_TIMEOUT:
    raise RuntimeError("NOTIFICATIONS_RETRY_MAX (a countdown) must be below the visibility timeout")
# A redelivered task must find the dead sender's claim expired, or it would do nothing.
if not CELERY_TASK_TIME_LIMIT < NOTIFICATIONS_SENDING_LEASE < CELERY_VISIBILITY_TIMEOUT:
    raise RuntimeError("NOTIFICATIONS_SENDING_LEASE must outlast CELERY_TASK_TIME_LIMIT and "
                       "end before CELERY_VISIBILITY_TIMEOUT")
if not NOTIFICATIONS_SWEEP_SECONDS < CELERY_TASK_SOFT_TIME_LIMIT:
    raise RuntimeError("NOTIFICATIONS_SWEEP_SECONDS must be below CELERY_TASK_SOFT_TIME_LIMIT")
# Exactly one beat process runs these. The sweep sends what a failed kick or a dead worker left
# behind; a sweep that waited longer than its interval in the queue is dropped, not run late.
# (NOTIFICATIONS_RELAY_EVERY: seconds between sweeps; the fault tests shorten it.)
NOTIFICATIONS_RELAY_EVERY = envint("NOTIFICATIONS_RELAY_EVERY", 60)
CELERY_BEAT_SCHEDULE = {
    "portal.notifications.relay": {
        "task": "portal.notifications.relay", "schedule": float(NOTIFICATIONS_RELAY_EVERY),
        "options": {"expires": max(1, NOTIFICATIONS_RELAY_EVERY - 5)},
    },
    "portal.notifications.send_digests": {
        "task": "portal.notifications.send_digests", "schedule": crontab(hour=8, minute=0),
    },
}
# One worker pool per queue in production (docker-compose.yml), so that a long import or a
# burst of recommendations never delays the mail: on with CELERY_SPLIT_QUEUES=true. Off (the
# development default) every task goes to the one "celery" queue that `make worker` consumes.
WORKER_QUEUES = ("celery", "mail", "push", "compute")
CELERY_TASK_ROUTES = {
    "portal.notifications.relay": {"queue": "mail"},
    "portal.notifications.send_digests": {"queue": "mail"},
    "portal.notifications.fan_out_publication": {"queue": "push"},
    "portal.notifications.deliver_webhooks": {"queue": "push"},
    "portal.notifications.push_sweep": {"queue": "push"},
    "portal.matching.*": {"queue": "compute"},
    "portal.importexport.run_import": {"queue": "compute"},
} if envbool("CELERY_SPLIT_QUEUES", False) else {}
