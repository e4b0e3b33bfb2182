"""National publishing (集中发布): Torch Center staff pick published demands that the portal
shows on its home page and in the national feed."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_torch_staff
from common.errors import DomainError

from ..enums import DemandStatus
from ..models import Demand
from ..public.projection import from_snapshot, public_demands, refresh_public_index


class NationalError(DomainError):
    """A refused national publishing mark; ``message`` is shown to the user as is."""


def set_national(demand, *, actor, national=True, request=None):
    """Mark (or unmark) a published demand for national publishing. Torch staff only; a
    demand can be unmarked in any state. Logged, and the public pages follow at once."""
    from audit.services import log_action

    if not is_torch_staff(actor):
        raise NationalError(gettext("Only Torch Center staff publish demands nationally."))
    with transaction.atomic():
        locked = Demand.objects.select_for_update().get(pk=demand.pk)
        if national and locked.status != DemandStatus.PUBLISHED:
            raise NationalError(gettext("Only a published demand can be published "
                                        "nationally."))
        if locked.national == national:
            return locked
        locked.national = national
        locked.national_marked_at = timezone.now() if national else None
        locked.save(update_fields=["national", "national_marked_at", "updated_at"])
        log_action("portal.demand.national_marked" if national
                   else "portal.demand.national_unmarked",
                   actor=actor, obj=locked, data={"ref": locked.ref}, request=request)
        refresh_public_index(locked)
    demand.national, demand.national_marked_at = locked.national, locked.national_marked_at
    return locked


def national_demands(limit=None):
    """Projections of the nationally published demands, newest mark first (two fields read
    from the table, nothing from the model)."""
    rows = (public_demands().filter(national=True, status=DemandStatus.PUBLISHED)
            .order_by("-national_marked_at", "-pk").values_list("public_snapshot", flat=True))
    if limit:
        rows = rows[:limit]
    return [from_snapshot(row) for row in rows]


# --- Django admin actions (registered on DemandAdmin, offered to Torch staff only) -------------
def _admin_set(modeladmin, request, queryset, national):
    from django.contrib import messages
    from django.utils.translation import ngettext

    done = 0
    for demand in queryset:
        try:
            set_national(demand, actor=request.user, national=national, request=request)
        except DomainError as error:
            modeladmin.message_user(request, f"{demand.ref}: {error.message}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request,
            (ngettext("%(count)d demand published nationally.",
                      "%(count)d demands published nationally.", done) if national
             else ngettext("%(count)d demand removed from national publishing.",
                           "%(count)d demands removed from national publishing.", done))
            % {"count": done},
            messages.SUCCESS,
        )


def mark_national_action(modeladmin, request, queryset):
    _admin_set(modeladmin, request, queryset, True)


def unmark_national_action(modeladmin, request, queryset):
    _admin_set(modeladmin, request, queryset, False)


mark_national_action.short_description = _("Publish the selected demands nationally (集中发布)")
mark_national_action.allowed_permissions = ("national",)
unmark_national_action.short_description = _("Remove the selected demands from national "
                                             "publishing")
unmark_national_action.allowed_permissions = ("national",)


def may_publish_nationally(user):
    return bool(is_torch_staff(user))
