from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """One renderer for every form: each field gets label, required mark, help text and errors
    from ``templates/django/forms/field.html``."""

    field_template_name = "django/forms/field.html"
