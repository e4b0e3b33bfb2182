"""Settings for the Challenge Portal, read from the environment.

Without any variable set this is the embedded development default: SQLite, eager Celery,
local-memory cache and e-mail on the console. With ``DATABASE_URL`` and ``REDIS_URL`` it runs on
PostgreSQL with Redis as Celery broker and (in another database number) as the shared cache.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    """A variable, or the contents of the file named by ``NAME_FILE`` (Docker secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def envbool(name, default):
    value = env(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def envint(name, default):
    value = env(name)
    return default if value in (None, "") else int(value)


def envlist(name, default=""):
    return [item.strip() for item in (env(name) or default).split(",") if item.strip()]


# Off unless asked for: a server started without settings must not show stack traces. `make run`
# and the test settings (tests/settings.py) turn it on explicitly for development.
DEBUG = envbool("DEBUG", False)
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
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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

REDIS_URL = env("REDIS_URL", "")
# The cache is shared by every web process (sessions, login throttles, page caches); in
# production it is a Redis server of its own (docker-compose.yml), in development another
# database of the broker's server. It fails soft (common.cache): with the cache down pages are
# built without it, sessions come from the database (cached_db below), and the rate limits and
# the account lockout fail open, counting nothing until it is back.
CACHE_URL = env("CACHE_URL", "")
if not CACHE_URL and REDIS_URL:
    CACHE_URL = (REDIS_URL.rstrip("/").rsplit("/", 1)[0] + "/1" if REDIS_URL.count("/") > 2
                 else REDIS_URL + "/1")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "common.cache.FailSoftRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "portal"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("email", "full_name", "mobile")}},
    # Containing the mobile number, the name or the e-mail local part is refused too.
    {"NAME": "accounts.password_validation.PersonalDataValidator",
     "OPTIONS": {"user_attributes": ("mobile", "full_name", "email")}},
    # MLPS 2.0: at least 8 characters from 3 of the 4 classes (lower, upper, digit, symbol).
    {"NAME": "accounts.password_validation.CharacterClassValidator",
     "OPTIONS": {"min_length": 8, "min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
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
# Sign-in protection (accounts.security): 5 failed sign-ins lock the account (keyed on the
# e-mail address, never the IP) for 15 minutes, counted in the shared cache; allauth's own
# login_failed limit carries the same numbers, plus 10 failures a minute per client IP.
ACCOUNT_ADAPTER = "accounts.security.PortalAccountAdapter"
LOGIN_LOCKOUT_FAILURES = envint("LOGIN_LOCKOUT_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = envint("LOGIN_LOCKOUT_SECONDS", 15 * 60)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"10/m/ip,{LOGIN_LOCKOUT_FAILURES}/{LOGIN_LOCKOUT_SECONDS}s/key",
}
# No "remember me": sessions end after SESSION_IDLE_TIMEOUT without activity whatever happens.
ACCOUNT_SESSION_REMEMBER = False
# Host organisers, experts and Torch staff must use an authenticator app (RequireMFAForStaff…).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", "中国创新挑战赛")

# --- i18n -------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Private uploads live outside every public URL; only files.views serves them.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {
        "BACKEND": env("FILE_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None}
        if env("FILE_STORAGE") is None else {},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest upload per files.enums.FileKind, in bytes (files.validators refuses anything bigger).
FILE_LIMITS = {
    "attachment": envint("FILE_LIMIT_ATTACHMENT", 20 * 1024 * 1024),
    "image": envint("FILE_LIMIT_IMAGE", 5 * 1024 * 1024),
    "import": envint("FILE_LIMIT_IMPORT", 10 * 1024 * 1024),
    "agreement": envint("FILE_LIMIT_AGREEMENT", 10 * 1024 * 1024),
}
# With FILE_STORAGE=storages.backends.s3.S3Storage (django-storages + boto3): a private bucket,
# objects without ACLs, never a public URL; files.views streams them. Keys come from the usual
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables (or an instance role).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", "")
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME") or None
AWS_LOCATION = env("AWS_LOCATION", "private")
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = True
AWS_S3_FILE_OVERWRITE = False
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Behind nginx (docker-compose.yml, deploy/nginx/portal.conf): files.views checks the
# permission and answers with ``X-Accel-Redirect: <prefix><stored name>``; nginx sends the
# bytes from its ``internal`` location, so a gunicorn worker is not held by a slow download.
# Empty (the default): the view streams the file itself. Only for the file-system storage.
PRIVATE_FILES_ACCEL_REDIRECT = env("PRIVATE_FILES_ACCEL_REDIRECT", "")

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

# --- Celery -----------------------------------------------------------------------------------
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

# --- security ---------------------------------------------------------------------------------
# Sessions are written to the database and read from the cache when it has them: a cache
# outage (or an eviction) signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
# MLPS 2.0: idle sessions end after at most 30 minutes (accounts.security.IdleTimeoutMiddleware
# signs the user out; the stored session expires at the same age).
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# How many reverse proxies in front of the portal append to X-Forwarded-For; 0 trusts none.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
if envbool("SECURE_PROXY_SSL", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

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
