"""The contact person of a demand, as a person with rights (PIPL).

When the contact person erases their account (``accounts.privacy``), every demand naming them
(by their e-mail address or mobile) keeps its content but loses the contact's personal fields;
the organisation's administrators are told to name a new contact.
"""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from audit.services import log_action

from ..models import Demand
from .access import owner_admins

ACTION_CONTACT_ERASED = "portal.demand.contact_erased"
CONTACT_FIELDS = ("contact_person", "contact_mobile", "contact_landline", "contact_email")


def demands_naming(user):
    condition = Q(contact_email__iexact=user.email) if user.email else Q(pk__in=[])
    if user.mobile:
        condition |= Q(contact_mobile=user.mobile)
    return Demand.objects.filter(condition)


def clear_erased_contact(user):
    """Clear the contact fields of every demand whose contact is ``user`` (being erased), audit
    each and tell the owner organisation's administrators; returns how many demands."""
    from notifications.services import notify

    cleared = 0
    with transaction.atomic():
        for demand in demands_naming(user).select_for_update().select_related("organisation"):
            for name in CONTACT_FIELDS:
                setattr(demand, name, "")
            demand.contact_consents_sharing = False
            demand.contact_consent_at = None
            demand.save(update_fields=[*CONTACT_FIELDS, "contact_consents_sharing",
                                       "contact_consent_at"])
            log_action(ACTION_CONTACT_ERASED, obj=demand,
                       data={"reason": "the contact person erased their account"})
            for admin in owner_admins(demand):
                if admin.pk == user.pk:
                    continue
                notify(recipient=admin, kind="demand.contact_erased",
                       context={"ref": demand.ref, "title": demand.title},
                       idempotency_key=f"demand-contact-erased-{demand.pk}-{user.pk}-{admin.pk}",
                       url=reverse("demands:edit", kwargs={"ref": demand.ref}), obj=demand)
            cleared += 1
    return cleared
