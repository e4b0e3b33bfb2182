"""Who may download a private file: its uploader, and whoever may view the object it is
attached to (``<app_label>.view_<model_name>``, declared by that object's app with
``rules.add_perm``); Torch staff also open files attached to nothing. An attached file, Torch
staff too open only through its object: a company's draft, and so its attachments, are the
company's own until submitted. Who may remove an attached file: whoever
may change the object it is attached to (``<app_label>.change_<model_name>``), and nobody else,
not even its uploader."""

import rules

from audit.permissions import is_overseer


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
    # The object's own rule, not ``user.has_perm``, which grants a superuser everything: a
    # company's draft and its attachments are its own, a superuser's view included.
    return rules.has_perm(f"{meta.app_label}.view_{meta.model_name}", user, obj)


@rules.predicate
def may_change_attached_object(user, private_file):
    if private_file is None or private_file.object_id is None:
        return False
    obj = private_file.content_object
    if obj is None:
        return False
    meta = obj._meta
    return user.has_perm(f"{meta.app_label}.change_{meta.model_name}", obj)


@rules.predicate
def is_unattached(user, private_file):
    return private_file is not None and private_file.object_id is None


can_view_file = is_uploader | may_view_attached_object | (is_overseer & is_unattached)
# An app that declares no change permission for its objects keeps their files unremovable.
can_remove_file = may_change_attached_object

rules.add_perm("files.view_privatefile", can_view_file)
rules.add_perm("files.remove_privatefile", can_remove_file)
