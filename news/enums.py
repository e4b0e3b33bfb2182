from django.db import models
from django.utils.translation import pgettext_lazy


class NewsKind(models.TextChoices):
    NEWS = "news", pgettext_lazy("publicity", "News")
    ANNOUNCEMENT = "announcement", pgettext_lazy("publicity", "Announcement")
