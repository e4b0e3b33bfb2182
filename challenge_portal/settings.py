"""Settings for the Challenge Portal, read from the environment.

Without any variable set this is the embedded development default: SQLite, eager Celery,
local-memory cache and e-mail on the console. With ``DATABASE_URL`` and ``REDIS_URL`` it runs on
PostgreSQL with Redis as Celery broker and (in another database number) as the shared cache.

This module is the one entry point (``DJANGO_SETTINGS_MODULE``). Three parts live beside it and
are imported whole: ``settings_security`` (passwords, sign-in protection, sessions, cookies,
HTTPS, CSP), ``settings_storage`` (cache, static files, uploads) and ``settings_celery``
(broker, time limits, outbox relay, queues, beat); ``settings_env`` holds the environment
helpers and the values they share (``BASE_DIR``, ``DEBUG``, ``REDIS_URL``, ``TIME_ZONE``).
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from .settings_celery import *  # noqa: F403  (its __all__)
from .settings_celery import (
    CELERY_BEAT_SCHEDULE,
    CELERY_TASK_SOFT_TIME_LIMIT,
    CELERY_VISIBILITY_TIMEOUT,
    NOTIFICATIONS_RETRY_MAX,
)
from .settings_env import BASE_DIR, DEBUG, REDIS_URL, env, envbool, envint, envlist
from .settings_env import TIME_ZONE as TIME_ZONE  # a setting: Django and Celery read it
from .settings_security import *  # noqa: F403  (its __all__)
from .settings_storage import *  # noqa: F403  (its __all__)

SECRET_KEY = env("SECRET_KEY") or (
    "dev-only-insecure-key-change-me" if DEBUG else None
)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is false")
# The key of the audit log's HMAC chain (audit.models.ActivityLog.compute_hash). It lives outside
# the database, so whoever can rewrite audit rows still cannot forge their hashes. Never the
# development default in production; keep it (like SECRET_KEY) in a secret store, and keep old
# keys: the log can only be verified with the key it was written under.
DEV_AUDIT_HMAC_KEY = "dev-only-audit-hmac-key"
AUDIT_HMAC_KEY = env("AUDIT_HMAC_KEY") or (DEV_AUDIT_HMAC_KEY if DEBUG else None)
if not DEBUG and AUDIT_HMAC_KEY in (None, "", DEV_AUDIT_HMAC_KEY, SECRET_KEY):
    raise RuntimeError("AUDIT_HMAC_KEY must be set when DEBUG is false, to a key of its own "
                       "(not the development key, not SECRET_KEY)")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "import_export",
    "django_htmx",
    "template_partials",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # the portal, left to right as dependencies point
    "audit",
    "files",
    "common",
    "common.importexport",
    "notifications",
    "accounts",
    "contests",
    "demands",
    "push",
    "solutions",
    "matching",
    "complaints",
    "dashboards",
    "news",
    "api",
    "awards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public lists, search, the API and dashboards read the replica when one is configured;
    # a browser that just wrote reads the primary for a while (common/replicas.py).
    "common.replicas.ReplicaMiddleware",
    "common.middleware.ClientIPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the signed-in user and their roles read from the cache (accounts/identity.py).
    "accounts.identity.AuthenticationMiddleware",
    # Every 403/404 (and admin refusal) of a signed-in user is audited, rate-limited.
    "audit.middleware.DenialAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.security.IdleTimeoutMiddleware",
    "accounts.security.RequireMFAForStaffMiddleware",
]

# Overridable so that `python -m bench` can serve its reference view beside the portal.
ROOT_URLCONF = env("ROOT_URLCONF", "challenge_portal.urls")
WSGI_APPLICATION = "challenge_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "common.context_processors.portal",
                "notifications.context_processors.unread_count",
            ],
        },
    },
]
FORM_RENDERER = "common.forms.PortalFormRenderer"

# --- data -------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
# A streaming replica of the primary (read-only): see common/replicas.py. Off when unset.
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env("DATABASE_REPLICA_URL"), conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True)
    # The test run has one database: the replica alias mirrors it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["common.replicas.ReplicaRouter"]
# How long a browser reads the primary after it sent a write (above the replica's usual lag).
REPLICA_PIN_SECONDS = envint("REPLICA_PIN_SECONDS", 10)
# The views whose GETs may read the replica (``namespace:name``, fnmatch patterns): public
# lists and their search, feeds, the open-data API, the dashboards.
REPLICA_READ_VIEWS = [
    "demands:list", "demands:feed*", "matching:library", "news:list", "contests:event_list",
    "sitemap",
    "api:*", "dashboards:*",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The shared cache (CACHES, failing soft): settings_storage.py.

# --- accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Password validators and sign-in protection: settings_security.py.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[中国创新挑战赛] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Sign-up also asks for full name, mobile, self-service roles and consent (accounts.forms).
ACCOUNT_FORMS = {"signup": "accounts.forms.PortalSignupForm"}
# One e-mail address per account (it is the login): changing it means verifying the new one.
ACCOUNT_CHANGE_EMAIL = True

# --- i18n -------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# TIME_ZONE ("Asia/Shanghai"): settings_env.py, since Celery reads it too.
USE_I18N = True
USE_TZ = True

# Static files and private uploads (STORAGES, FILE_LIMITS, S3): settings_storage.py.

# --- e-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
# Seconds; a hung mail server must not hold an outbox row past its relay claim.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "中国创新挑战赛 <noreply@challenge.example.cn>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Celery (broker, time limits, outbox relay, queues): settings_celery.py; each feature below
# adds its periodic job to CELERY_BEAT_SCHEDULE. Sessions, cookies, HTTPS, HSTS and the
# content security policy: settings_security.py.

# --- audit ------------------------------------------------------------------------------------
# One audit entry per user and path per this many seconds for refused requests (audit.middleware).
AUDIT_DENIAL_WINDOW = envint("AUDIT_DENIAL_WINDOW", 300)
# The beat job portal.audit.export_anchor appends the chain's head (sequence and hash) to this
# file every AUDIT_ANCHOR_SECONDS; verify_audit_log checks the chain against it. In production
# it is a volume the database server cannot write (or a file synced to object storage).
AUDIT_ANCHOR_PATH = Path(env("AUDIT_ANCHOR_PATH", str(BASE_DIR / "var" / "audit-anchors.jsonl")))
AUDIT_ANCHOR_SECONDS = envint("AUDIT_ANCHOR_SECONDS", 3600)
# The PostgreSQL role the application connects as, when migrations run as another one (the
# owner): after every migrate the owner grants it SELECT and INSERT on the audit table only
# (audit.grants). Empty: one role does everything (development).
DATABASE_APP_ROLE = env("DATABASE_APP_ROLE", "")
CELERY_BEAT_SCHEDULE["portal.audit.export_anchor"] = {
    "task": "portal.audit.export_anchor", "schedule": float(AUDIT_ANCHOR_SECONDS),
    "options": {"expires": max(AUDIT_ANCHOR_SECONDS - 5, 5)},
}

# --- portal -----------------------------------------------------------------------------------
COMPLAINT_HOTLINE = "010-88656297"
# Where people send privacy requests (PIPL); shown on the privacy notice.
PRIVACY_CONTACT_EMAIL = env("PRIVACY_CONTACT_EMAIL", "privacy@challenge.example.cn")
# The handler's postal address for privacy requests (PIPL art. 17), shown on the notice.
PRIVACY_POSTAL_ADDRESS = env(
    "PRIVACY_POSTAL_ADDRESS",
    "北京市海淀区玉渊潭南路8号 科学技术部火炬高技术产业开发中心（邮编 100038）",
)
# Retention stated on the privacy notice, in years after the contest edition closes.
RETENTION_DEMAND_YEARS = envint("RETENTION_DEMAND_YEARS", 3)
RETENTION_SOLUTION_YEARS = envint("RETENTION_SOLUTION_YEARS", 3)
RETENTION_CONTACT_YEARS = envint("RETENTION_CONTACT_YEARS", 1)
PORTAL_NAME = _("China Innovation Challenge")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}
if not REDIS_URL:
    # The in-memory broker of a machine without Redis has no host name; kombu says so once per
    # connection, which buries what `make run` prints.
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}
# --- import / export (common.importexport) --------------------------------------------------
# The admin's dry-run/confirm file must be readable by whichever web replica serves the confirm
# POST, so it goes to the default (private) storage, S3 in production, never to local /tmp.
# Not CacheStorage: a 10 MB upload is too big for a cache entry and would be evicted under load.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "common.importexport.storage.SharedTmpStorage"
# Import and export are separate permissions: "<app>.import_<model>" / "<app>.export_<model>",
# answered by the rules registered for each resource (common.importexport.registry).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Refused before parsing: bytes of the upload, data rows, and (XLSX is a zip) the declared
# uncompressed size of its members.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 20_000)
IMPORT_MAX_UNCOMPRESSED_BYTES = envint("IMPORT_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
# Published demands whose deadline for solutions has passed are closed shortly after midnight
# (Asia/Shanghai); the task is idempotent, so a missed run is caught up by the next.
CELERY_BEAT_SCHEDULE["portal.demands.close_expired"] = {
    "task": "portal.demands.close_expired", "schedule": crontab(hour=0, minute=10),
}
# Recommendations whose task a broker outage lost (matching.services.recommend.refresh_stale).
CELERY_BEAT_SCHEDULE["portal.matching.refresh_stale"] = {
    "task": "portal.matching.refresh_stale", "schedule": 300.0, "options": {"expires": 290},
}
# Prizes past their date and not paid: the payer is reminded once a day (awards).
CELERY_BEAT_SCHEDULE["portal.awards.remind_overdue"] = {
    "task": "portal.awards.remind_overdue", "schedule": crontab(hour=9, minute=0),
}
# Follow-ups at 3, 6 and 12 months of each matched demand, and their due reminders (awards).
CELERY_BEAT_SCHEDULE["portal.awards.schedule_follow_ups"] = {
    "task": "portal.awards.schedule_follow_ups", "schedule": crontab(hour=8, minute=30),
}
CELERY_BEAT_SCHEDULE["portal.importexport.requeue_stale_jobs"] = {
    "task": "portal.importexport.requeue_stale_jobs", "schedule": 120.0,
}
CELERY_BEAT_SCHEDULE["portal.importexport.purge_tmp_files"] = {
    "task": "portal.importexport.purge_tmp_files", "schedule": 3600.0,
}

# --- push of published demands (push.fanout, push.webhooks) ---------------------------------
# A publication's fan-out writes the outbox in batches of PUSH_BATCH_SIZE recipients, one
# transaction each; a task run stops after PUSH_RUN_SECONDS and queues itself to go on.
PUSH_BATCH_SIZE = envint("PUSH_BATCH_SIZE", 2000)
PUSH_RUN_SECONDS = envint("PUSH_RUN_SECONDS", min(120, CELERY_TASK_SOFT_TIME_LIMIT // 2))
if not 0 < PUSH_RUN_SECONDS < CELERY_TASK_SOFT_TIME_LIMIT:
    raise RuntimeError("PUSH_RUN_SECONDS must leave a batch's time below the soft time limit")
# A fan-out run renews its claim after every batch; a claim not renewed for PUSH_CLAIM_LEASE
# seconds belongs to a dead run, and the next task (a redelivery waits for it) takes over.
# Far longer than one batch takes, far shorter than the sweep's wait for an e-mail's lease.
PUSH_CLAIM_LEASE = envint("PUSH_CLAIM_LEASE", max(1, min(60, CELERY_TASK_SOFT_TIME_LIMIT // 4)))
# A task that waits out a dead run's lease still finishes its batch below the soft limit.
if not 0 < PUSH_CLAIM_LEASE + PUSH_RUN_SECONDS < CELERY_TASK_SOFT_TIME_LIMIT:
    raise RuntimeError("PUSH_CLAIM_LEASE + PUSH_RUN_SECONDS must be below the soft time limit")
# Webhooks: HTTPS only and public addresses only in production (server-side request forgery);
# development and tests call http://127.0.0.1. Retries double from the base up to the cap, a
# countdown that must stay below the visibility timeout.
WEBHOOK_ALLOW_HTTP = envbool("WEBHOOK_ALLOW_HTTP", DEBUG)
WEBHOOK_ALLOW_PRIVATE = envbool("WEBHOOK_ALLOW_PRIVATE", DEBUG)
WEBHOOK_TIMEOUT = envint("WEBHOOK_TIMEOUT", 5)
WEBHOOK_MAX_ATTEMPTS = envint("WEBHOOK_MAX_ATTEMPTS", 8)
WEBHOOK_RETRY_BASE = envint("WEBHOOK_RETRY_BASE", 30)
WEBHOOK_RETRY_MAX = envint("WEBHOOK_RETRY_MAX", NOTIFICATIONS_RETRY_MAX)
if not WEBHOOK_RETRY_MAX < CELERY_VISIBILITY_TIMEOUT:
    raise RuntimeError("WEBHOOK_RETRY_MAX (a countdown) must be below the visibility timeout")
# A sweep stops starting attempts after NOTIFICATIONS_SWEEP_SECONDS; the one under way may
# take a connect and a read timeout more.
if not 0 < WEBHOOK_TIMEOUT < CELERY_TASK_SOFT_TIME_LIMIT:
    raise RuntimeError("WEBHOOK_TIMEOUT must be below CELERY_TASK_SOFT_TIME_LIMIT")
CELERY_BEAT_SCHEDULE["portal.notifications.push_sweep"] = {
    "task": "portal.notifications.push_sweep", "schedule": 60.0, "options": {"expires": 55},
}
CELERY_BEAT_SCHEDULE["portal.notifications.webhook_sweep"] = {
    "task": "portal.notifications.deliver_webhooks", "schedule": 60.0,
    "options": {"expires": 55},
}

# 每个需求都有回应: host staff hear of overdue unanswered demands each working day (the task
# itself skips weekends and statutory holidays).
CELERY_BEAT_SCHEDULE["portal.solutions.remind_overdue"] = {
    "task": "portal.solutions.remind_overdue", "schedule": crontab(hour=9, minute=0),
}

# --- complaints (complaints.clock, complaints.tasks) ------------------------------------------
# A received complaint is accepted or declined within COMPLAINT_ACCEPT_WORKING_DAYS working days
# (mainland-China calendar, chinesecalendar); a resolved one closes COMPLAINT_CLOSE_DAYS days
# after the outcome unless the complainant answers first. The beat task escalates overdue cases
# to Torch staff and closes the resolved ones whose time is up; it is idempotent.
COMPLAINT_ACCEPT_WORKING_DAYS = envint("COMPLAINT_ACCEPT_WORKING_DAYS", 5)
COMPLAINT_CLOSE_DAYS = envint("COMPLAINT_CLOSE_DAYS", 15)
CELERY_BEAT_SCHEDULE["portal.complaints.run_clock"] = {
    "task": "portal.complaints.run_clock", "schedule": crontab(minute=20),
}
# The national dashboard reads snapshots of its figures (dashboards.FunnelSnapshot), counted
# again every 10 minutes (and when Torch staff ask); the page says when they were counted.
CELERY_BEAT_SCHEDULE["portal.dashboards.refresh_snapshots"] = {
    "task": "portal.dashboards.refresh_snapshots", "schedule": crontab(minute="*/10"),
}

# --- the open-data API (api/) ------------------------------------------------------------------
# Read-only, open to anyone; optional partner keys (issued by Torch staff) raise the rate.
API_ANONYMOUS_RATE = env("API_ANONYMOUS_RATE", "120/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "China Innovation Challenge open-data API",
    "DESCRIPTION": (
        "Read-only JSON of what the portal publishes: published demands (their public "
        "projection only), events, host units with their stage dates, and challenge notices. "
        "Anyone may use it; a partner key (X-Api-Key header, issued by the Torch Center) "
        "raises the rate limit. Lists page by cursor (follow `next`); every answer carries "
        "ETag and Last-Modified, and answers 304 to a matching If-None-Match or "
        "If-Modified-Since; `updated_since` returns what changed since a moment."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
