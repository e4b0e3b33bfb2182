import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "challenge_portal.settings")

app = Celery("challenge_portal")
# Every CELERY_* setting in settings.py configures the app; JSON only.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
