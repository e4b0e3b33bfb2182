"""Filters for notification templates, whose context holds only JSON values."""

from functools import lru_cache

from django import template
from django.utils.module_loading import import_string

register = template.Library()


@lru_cache(maxsize=64)
def _choices(dotted_path):
    return dict(import_string(dotted_path).choices)


@register.filter
def choice_label(value, dotted_path):
    """The label of ``value`` in the choices class at ``dotted_path``, translated into the
    language being rendered (the recipient's); an unknown value is shown as it is::

        {{ to_state|choice_label:"demands.enums.DemandStatus" }}
    """
    try:
        return _choices(dotted_path).get(value, value)
    except ImportError:
        return value
