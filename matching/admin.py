"""Django admin of the matching app: Torch staff edit the term table (and reindex the library
after a change), and oversee achievements, recommendations, commissions, invitations and
agreements. Host staff work in the pages (``/matching/``), scoped to their units."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.admin import TorchOnlyAdmin
from accounts.permissions import is_torch_staff
from audit.services import log_action
from common.importexport.admin import ScopedImportExportMixin

from .importing.resources import AchievementResource
from .models import (
    Achievement,
    Commission,
    IntentionAgreement,
    Invitation,
    Recommendation,
    TermEntry,
)
from .services import library


class ReadOnlyTorchAdmin(TorchOnlyAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TermEntry)
class TermEntryAdmin(TorchOnlyAdmin):
    list_display = ["abbreviation", "term", "industry_field", "updated_at"]
    list_filter = ["industry_field"]
    search_fields = ["abbreviation", "term"]
    actions = ["reindex"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        log_action("portal.matching.terms.change" if change else "portal.matching.terms.add",
                   actor=request.user, obj=obj, data={"abbreviation": obj.abbreviation,
                                                      "term": obj.term}, request=request)

    def delete_model(self, request, obj):
        log_action("portal.matching.terms.delete", actor=request.user, obj=obj,
                   data={"abbreviation": obj.abbreviation, "term": obj.term}, request=request)
        super().delete_model(request, obj)

    @admin.action(description=_("Rewrite every achievement's terms with the current table"))
    def reindex(self, request, queryset):
        from .services.recommend import forget_index

        library.reindex_all()
        forget_index()
        messages.success(request, _("The achievement library was reindexed."))


@admin.register(Achievement)
class AchievementAdmin(ScopedImportExportMixin, TorchOnlyAdmin):
    # Import and export in the standard format (matching/importing/): the confirmed import runs
    # as an import job through the achievement resource. Host staff import on the pages
    # (/matching/achievements/import/); the admin is Torch staff's.
    resource_classes = [AchievementResource]
    list_display = ["title", "owner", "industry_field", "trl", "visibility", "listed_at"]
    list_filter = ["visibility", "industry_field", "trl"]
    search_fields = ["title", "owner__name"]
    raw_id_fields = ["owner", "host_unit", "created_by"]
    exclude = ["search_tokens", "search_bigrams", "search_title", "match_terms"]

    def save_model(self, request, obj, form, change):
        if change:
            library.update_achievement(obj, actor=request.user, request=request)
        else:
            library.create_achievement(obj, actor=request.user, request=request)

    def delete_model(self, request, obj):
        library.delete_achievement(obj, actor=request.user, request=request)

    def has_import_permission(self, request):
        return is_torch_staff(request.user) and super().has_import_permission(request)

    def has_export_permission(self, request):
        return is_torch_staff(request.user) and super().has_export_permission(request)


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyTorchAdmin):
    list_display = ["demand", "achievement", "score", "computed_at"]
    raw_id_fields = ["demand", "achievement"]


@admin.register(Commission)
class CommissionAdmin(ReadOnlyTorchAdmin):
    list_display = ["agency", "host_unit", "starts_on", "ends_on", "state"]
    list_filter = ["state"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyTorchAdmin):
    list_display = ["demand", "holder", "state", "created_at"]
    list_filter = ["state"]


@admin.register(IntentionAgreement)
class IntentionAgreementAdmin(ReadOnlyTorchAdmin):
    list_display = ["demand", "partner", "amount", "state", "signed_on"]
    list_filter = ["state"]
