"""The owner's and host staff's export of a demand's solutions (.xlsx, formula-safe), on the
platform's export base (``common.importexport``)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from common.importexport.formats import SafeXLSX
from common.importexport.resources import SafeExportMixin

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SolutionExportResource(SafeExportMixin, resources.Resource):
    organisation = fields.Field(attribute="organisation__name", column_name=_("organisation"))
    status = fields.Field(attribute="get_status_display", column_name=_("status"))
    trl = fields.Field(attribute="trl", column_name=_("maturity (TRL)"))
    title = fields.Field(attribute="title", column_name=_("title"))
    summary = fields.Field(attribute="summary", column_name=_("summary"))
    approach = fields.Field(attribute="approach", column_name=_("technical approach"))
    ip_status = fields.Field(attribute="get_ip_status_display", column_name=_("IP status"))
    patents = fields.Field(column_name=_("patent numbers"))
    team_lead = fields.Field(attribute="team_lead", column_name=_("team lead"))
    team_institution = fields.Field(attribute="team_institution", column_name=_("institution"))
    cost = fields.Field(attribute="cost", column_name=_("cost estimate (10k yuan)"))
    duration = fields.Field(attribute="duration_months", column_name=_("duration (months)"))
    mode = fields.Field(attribute="cooperation_mode", column_name=_("cooperation mode"))
    submitted = fields.Field(attribute="submitted_at", column_name=_("submitted at"))
    version = fields.Field(attribute="version", column_name=_("version"))

    def dehydrate_patents(self, solution):
        return "; ".join(solution.patent_numbers or [])


def export_xlsx(queryset):
    resource = SolutionExportResource()
    dataset = resource.export(queryset=queryset, force_native_type=True)
    return SafeXLSX().export_data(dataset), dataset.height
