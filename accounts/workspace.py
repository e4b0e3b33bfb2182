"""Sections of the workspace dashboard (/accounts/workspace/).

Each app adds its own section from its ``AppConfig.ready()``::

    from accounts.workspace import register_section

    register_section("demands", "demands/workspace_section.html", my_demands_context, order=40)

``get_context(request)`` returns the template's context, or None to leave the section out for
this user (for example when they lack the role). Sections render in ``order``, then by key.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    get_context: Callable | None = None
    order: int = 100


_sections: dict[str, Section] = {}


def register_section(key, template, get_context=None, *, order=100):
    """Add (or replace, by key) a section of the workspace dashboard."""
    _sections[key] = Section(key=key, template=template, get_context=get_context, order=order)


def unregister_section(key):
    _sections.pop(key, None)


def sections():
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def render_sections(request):
    """The HTML of every section shown to this request's user, in order."""
    rendered = []
    for section in sections():
        context = section.get_context(request) if section.get_context else {}
        if context is None:
            continue
        rendered.append(render_to_string(section.template, {**context, "section": section},
                                         request=request))
    return rendered
