"""Who may download a private file: its uploader, Torch staff, and whoever may view the object
it is attached to (``<app_label>.view_<model_name>``, declared by that object's app with
``rules.add_perm``)."""

import rules

from accounts.permissions import is_torch_staff


@rules.predicate
def is_uploader(user, private_file):
    return bool(
        private_file is not None and user.is_authenticated and user.is_active
        and private_file.uploaded_by_id == user.pk
    )


@rules.predicate
def may_view_attached_object(user, private_file):
    if private_file is None or private_file.object_id is None:
        return False
    obj = private_file.content_object
    if obj is None:
        return False
    meta = obj._meta
    return user.has_perm(f"{meta.app_label}.view_{meta.model_name}", obj)


can_view_file = is_uploader | is_torch_staff | may_view_attached_object

rules.add_perm("files.view_privatefile", can_view_file)
