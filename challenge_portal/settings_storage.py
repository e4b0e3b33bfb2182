"""Storage settings: the shared cache, static files, private uploads (file system or S3) and
their size limits. Imported by ``challenge_portal.settings``.
"""

from pathlib import Path

from .settings_env import BASE_DIR, DEBUG, REDIS_URL, env, envint

__all__ = [
    "CACHE_URL", "CACHES",
    "STATIC_URL", "STATIC_ROOT", "STATICFILES_DIRS", "PRIVATE_MEDIA_ROOT", "STORAGES",
    "FILE_UPLOAD_MAX_MEMORY_SIZE", "FILE_LIMITS", "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME", "AWS_LOCATION", "AWS_DEFAULT_ACL",
    "AWS_QUERYSTRING_AUTH", "AWS_S3_FILE_OVERWRITE", "DATA_UPLOAD_MAX_MEMORY_SIZE",
    "PRIVATE_FILES_ACCEL_REDIRECT",
]

# --- cache ------------------------------------------------------------------------------------
# The cache is shared by every web process (sessions, login throttles, page caches); in
# production it is a Redis server of its own (docker-compose.yml), in development another
# database of the broker's server. It fails soft (common.cache): with the cache down pages are
# built without it, sessions come from the database (cached_db, in settings_security), and the
# rate limits and the account lockout fail open, counting nothing until it is back.
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
