from django.contrib.contenttypes.models import ContentType

from .models import PrivateFile


def files_for_object(obj, *, kind=None):
    """The files attached to ``obj``, oldest first (the caller checks who may see ``obj``)."""
    files = PrivateFile.objects.filter(
        object_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
    )
    if kind is not None:
        files = files.filter(kind=kind)
    return files.order_by("created_at", "pk")
