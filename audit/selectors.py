"""Reads of the audit log for other apps."""

from django.contrib.contenttypes.models import ContentType

from .models import ActivityLog


def entries_for_object(obj, *, actions=None):
    """The entries about ``obj``, newest first (e.g. who opened a demand's hidden details).

    The caller decides who may see them; ``actions`` narrows to some action names.
    """
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    entries = ActivityLog.objects.filter(content_type=content_type, object_id=str(obj.pk))
    if actions is not None:
        entries = entries.filter(action__in=list(actions))
    return entries.select_related("actor").order_by("-sequence")
