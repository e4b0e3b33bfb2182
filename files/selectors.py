"""Reads: which private files a user may see.

Files know no app above them. An app whose objects carry attachments registers, from its
``AppConfig.ready()``, the selector of the objects whose files a user may download (the same
rule as its ``<app_label>.view_<model_name>`` permission)::

    from files.selectors import register_attached_model

    register_attached_model(Demand, selectors.demands_visible_to)
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from audit.permissions import is_overseer

from .models import PrivateFile

_attached_models = {}


def register_attached_model(model, visible_to):
    """Files attached to ``model`` rows are visible to whoever ``visible_to(user)`` lists."""
    _attached_models[model] = visible_to


def files_visible_to(user):
    """The files the user uploaded and the files attached to objects the user may see (as
    ``permissions.can_view_file``); for Torch staff also the files attached to nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return PrivateFile.objects.none()
    condition = Q(uploaded_by=user)
    if is_overseer(user):
        condition |= Q(object_id__isnull=True)
    for model, visible_to in _attached_models.items():
        condition |= Q(
            object_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
            object_id__in=visible_to(user).order_by().values("pk"),
        )
    return PrivateFile.objects.filter(condition)


def files_for_object(obj, *, kind=None):
    """The files attached to ``obj``, oldest first (the caller checks who may see ``obj``)."""
    files = PrivateFile.objects.filter(
        object_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
    )
    if kind is not None:
        files = files.filter(kind=kind)
    return files.order_by("created_at", "pk")
