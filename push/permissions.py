"""Predicates of the push. Subscriptions are their owner's alone (see selectors); webhooks and
publication pushes are Torch Center staff's."""

from accounts.permissions import is_torch_staff

may_manage_webhooks = is_torch_staff
