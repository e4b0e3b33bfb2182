"""The public export (``/demands/export.csv``): stored public projections only, through the
portal's formula-safe export base (``common.importexport.resources.SafeExportMixin``)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from import_export import resources
from import_export.fields import Field

from common.importexport.resources import SafeExportMixin


def _joined(values):
    return "、".join(str(value) for value in values)


class PublicDemandResource(SafeExportMixin, resources.Resource):
    """Rows are :class:`demands.public.projection.PublicDemand` objects, never models."""

    ref = Field(attribute="ref", column_name=_("Reference"))
    title = Field(attribute="title", column_name=_("Title"))
    public_name = Field(attribute="public_name", column_name=_("Demand side"))
    event_name = Field(attribute="event_name", column_name=_("Event"))
    host_unit_name = Field(attribute="host_unit_name", column_name=_("Host unit"))
    industry_name = Field(attribute="industry_name", column_name=_("Industry field"))
    region_name = Field(attribute="region_name", column_name=_("Region"))
    demand_type = Field(column_name=_("Demand type"))
    keywords = Field(column_name=_("Keywords"))
    key_problem = Field(attribute="key_problem", column_name=_("Key technical problem"))
    expected_outcome = Field(attribute="expected_outcome", column_name=_("Expected outcome"))
    cooperation_modes = Field(column_name=_("Cooperation modes"))
    budget = Field(attribute="budget", column_name=_("Budget (10k yuan)"))
    prize = Field(attribute="prize", column_name=_("Prize (10k yuan)"))
    solution_deadline = Field(column_name=_("Deadline for solutions"))
    status = Field(column_name=pgettext_lazy("demand", "Status"))
    link = Field(column_name=_("Link"))

    class Meta:
        export_order = ("ref", "title", "public_name", "event_name", "host_unit_name",
                        "industry_name", "region_name", "demand_type", "keywords",
                        "key_problem", "expected_outcome", "cooperation_modes", "budget",
                        "prize", "solution_deadline", "status", "link")

    def dehydrate_demand_type(self, demand):
        return str(demand.demand_type_label)

    def dehydrate_keywords(self, demand):
        return _joined(demand.keywords)

    def dehydrate_cooperation_modes(self, demand):
        return _joined(demand.cooperation_mode_labels)

    def dehydrate_solution_deadline(self, demand):
        return demand.solution_deadline.isoformat() if demand.solution_deadline else ""

    def dehydrate_status(self, demand):
        return str(demand.status_label)

    def dehydrate_link(self, demand):
        return settings.SITE_URL.rstrip("/") + demand.url
