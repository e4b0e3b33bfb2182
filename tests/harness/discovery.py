"""What the portal serves, read from the URL resolver and the admin site, and the matrix entry
each app declares for it (``<app>/matrix.py``, vocabulary in ``common.permission_matrix``).

Nothing here names a view module: a URL's entry is found next to its view (the ``matrix``
module of the view's package or of a package above it), else in any project app's matrix by
its full name; a model's admin entry next to its ``ModelAdmin``, else by class name.
"""

import importlib
import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class NamedURL:
    name: str  # full name, "demands:detail"
    bare: str  # "detail"
    pattern: str  # "demands/<demandref:ref>/"
    callback: object
    converters: tuple  # names of the URL's arguments

    @property
    def namespace(self):
        return self.name.rpartition(":")[0]

    @property
    def view_module(self):
        callback = self.callback
        for attribute in ("view_class", "cls", "model_admin"):
            owner = getattr(callback, attribute, None)
            if owner is not None:
                return type(owner).__module__ if attribute == "model_admin" else owner.__module__
        module = getattr(callback, "__module__", "") or ""
        # Feeds and other callable instances carry their class's module.
        if module == "" or not hasattr(callback, "__name__"):
            module = type(callback).__module__
        return module


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            full = f"{namespace}:{entry.name}" if namespace else entry.name
            yield NamedURL(
                name=full,
                bare=entry.name,
                pattern=prefix + str(entry.pattern),
                callback=entry.callback,
                converters=tuple(entry.pattern.converters)
                if hasattr(entry.pattern, "converters")
                else (),
            )


@cache
def named_urls():
    """Every named URL of the portal, the admin's included, first one of each name."""
    seen = {}
    for named in _walk(get_resolver().url_patterns):
        seen.setdefault(named.name, named)
    return tuple(seen.values())


@cache
def admin_model_prefixes():
    """``{"demands_demand_": model}`` for every model registered in the admin site."""
    return {
        f"{model._meta.app_label}_{model._meta.model_name}_": model
        for model in admin.site._registry
    }


def admin_model_of(named):
    """The registered model an ``admin:`` URL belongs to, or None for a site-wide one."""
    if named.namespace != "admin":
        return None
    model_admin = getattr(named.callback, "model_admin", None)
    if model_admin is None:
        # A ModelAdmin's own extra view (UserAdmin's password change) wrapped by admin_view.
        model_admin = getattr(getattr(named.callback, "__wrapped__", None), "__self__", None)
    if isinstance(model_admin, admin.ModelAdmin):
        return model_admin.model
    for prefix, model in admin_model_prefixes().items():
        if named.bare.startswith(prefix):
            return model
    return None


def _project_root():
    return Path(settings.BASE_DIR).resolve()


def _is_project_package(name):
    spec = importlib.util.find_spec(name.split(".")[0])
    if spec is None or not spec.origin:
        return False
    origin = Path(spec.origin).resolve()
    root = _project_root()
    return root in origin.parents and ".venv" not in origin.parts


def _matrix_module(package):
    name = f"{package}.matrix"
    try:
        if importlib.util.find_spec(name) is None:
            return None
    except ModuleNotFoundError:
        return None
    return importlib.import_module(name)


@cache
def project_matrix_modules():
    modules = []
    for config in apps.get_app_configs():
        if _is_project_package(config.name):
            module = _matrix_module(config.name)
            if module is not None:
                modules.append(module)
    return tuple(modules)


def _chain(module_name):
    """``demands.public.views`` → matrix modules of ``demands.public``, ``demands``."""
    parts = module_name.split(".")[:-1]
    while parts:
        package = ".".join(parts)
        if _is_project_package(package):
            module = _matrix_module(package)
            if module is not None:
                yield module
        parts.pop()


def route_for(named):
    """The declared ``Route`` of a named URL, and the module that declares it."""
    for module in _chain(named.view_module):
        routes = getattr(module, "ROUTES", {})
        for key in (named.name, named.bare):
            if key in routes:
                return routes[key], module
    for module in project_matrix_modules():
        routes = getattr(module, "ROUTES", {})
        if named.name in routes:
            return routes[named.name], module
    return None, None


def admin_entry_for(model):
    """The declared ``AdminModel`` of a registered model."""
    model_admin = admin.site._registry[model]
    keys = (model.__name__, model._meta.label)
    for module in (*_chain(type(model_admin).__module__), *project_matrix_modules()):
        entries = getattr(module, "ADMIN", {})
        for key in keys:
            if key in entries:
                return entries[key]
    return None


def routes_to_check():
    """Named URLs the route matrix covers: all but the per-model admin URLs (the admin matrix
    covers those model by model)."""
    return [named for named in named_urls() if admin_model_of(named) is None]


def undeclared():
    """Named URLs and admin models without a matrix entry: each one fails the suite."""
    missing = [
        f"URL {named.name} ({named.pattern})"
        for named in routes_to_check()
        if route_for(named)[0] is None
    ]
    missing += [
        f"admin model {model._meta.label}"
        for model in admin.site._registry
        if admin_entry_for(model) is None
    ]
    return missing
