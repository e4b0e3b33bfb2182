"""Who may do what with publicity: Torch staff everything (national items included), host
staff the items of their own units; everyone reads what is published."""

import rules

from accounts.permissions import is_torch_staff
from contests.permissions import is_host_staff_of


@rules.predicate
def is_published(user, item):
    return item is not None and item.is_published


@rules.predicate
def edits_item(user, item):
    if item is None:
        return False
    if is_torch_staff(user):
        return True
    return item.host_unit_id is not None and is_host_staff_of(user, item.host_unit_id)


rules.add_perm("news.view_newsitem", is_published | edits_item)
rules.add_perm("news.change_newsitem", edits_item)
