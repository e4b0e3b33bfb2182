"""The environment helpers and the few values every settings module reads.

``challenge_portal.settings`` is the one entry point (``DJANGO_SETTINGS_MODULE``); it imports
the security, storage and Celery settings from their sibling modules, and they, like it, read
the environment through these helpers. A value two of them need is defined here once.
"""

import os
from pathlib import Path

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
# The Celery broker; the shared cache defaults to another database of the same server.
REDIS_URL = env("REDIS_URL", "")
# Django's time zone, which Celery's beat schedule follows too.
TIME_ZONE = "Asia/Shanghai"
