"""The contact person of a demand, as a person with rights (PIPL).

Consent (PIPL art. 23): the contact's phone and e-mail go to granted challengers only once the
contact person has said yes themselves, by a link sent to their own e-mail address
(``request_contact_consent``, then ``confirm_contact_consent`` from the link). The company user
cannot tick it for them; changing the contact's name, mobile or e-mail withdraws it. Until
then the contact stays masked (``services.access.full_details``).

When the contact person erases their account (``accounts.privacy``), every demand naming them
(by their e-mail address or mobile) keeps its content but loses the contact's personal fields;
the organisation's administrators are told to name a new contact.
"""

import hashlib

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext

from audit.services import log_action
from common.masking import mask_email

from ..models import Demand
from .access import owner_admins
from .base import DemandError

ACTION_CONSENT_REQUESTED = "portal.demand.contact_consent_requested"
ACTION_CONSENT_CONFIRMED = "portal.demand.contact_consent_confirmed"
ACTION_CONSENT_DECLINED = "portal.demand.contact_consent_declined"
CONSENT_SALT = "demands.contact_consent"
# How long a consent link stays valid (seconds); a new one can be sent at any time.
CONSENT_MAX_AGE = 14 * 24 * 3600
# The fields whose change withdraws the consent: it was given for this person and address.
CONSENT_BOUND_FIELDS = ("contact_person", "contact_mobile", "contact_email")


class ConsentLinkInvalid(DemandError):
    """The link is malformed, expired, or for a contact the demand no longer has."""


def _address_digest(email):
    return hashlib.sha256((email or "").strip().lower().encode("utf-8")).hexdigest()[:24]


def contact_consent_token(demand):
    """The signed token of the consent link, bound to the demand and its current contact
    e-mail (a link sent to an earlier contact stops working)."""
    return signing.dumps({"d": demand.pk, "e": _address_digest(demand.contact_email)},
                         salt=CONSENT_SALT, compress=True)


def demand_for_consent_token(token):
    try:
        payload = signing.loads(token, salt=CONSENT_SALT, max_age=CONSENT_MAX_AGE)
        demand = Demand.objects.select_related("organisation").get(pk=int(payload["d"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, Demand.DoesNotExist):
        raise ConsentLinkInvalid(gettext("This link is not valid (any more). Ask the "
                                         "organisation to send a new one.")) from None
    if not demand.contact_email or payload.get("e") != _address_digest(demand.contact_email):
        raise ConsentLinkInvalid(gettext("This link was sent to an earlier contact person of "
                                         "the demand."))
    return demand


def consent_bound_fields_changed(before, after):
    return any((before.get(name) or "") != (after.get(name) or "")
               for name in CONSENT_BOUND_FIELDS)


def request_contact_consent(demand, *, actor=None, request=None):
    """E-mail the contact person a link to confirm (or refuse) that granted challengers may see
    their phone and e-mail. Nothing is sent when there is no address or consent is given
    already; a request repeated within ten minutes sends nothing new. Returns the e-mail row,
    or None."""
    from notifications.services import send_to_address

    if not demand.contact_email or demand.contact_consents_sharing:
        return None
    link = settings.SITE_URL.rstrip("/") + reverse(
        "demands:contact_consent", kwargs={"token": contact_consent_token(demand)})
    context = {"demand": demand, "organisation": demand.organisation.name, "link": link,
               "days": CONSENT_MAX_AGE // 86400, "portal_name": settings.PORTAL_NAME}
    subject = render_to_string("demands/email/contact_consent_subject.txt", context).strip()
    body = render_to_string("demands/email/contact_consent_body.txt", context)
    window = int(timezone.now().timestamp() // 600)
    key = (f"demand-contact-consent-{demand.pk}-{_address_digest(demand.contact_email)[:12]}"
           f"-{window}")
    with transaction.atomic():
        email = send_to_address(to_address=demand.contact_email, kind="demand.contact_consent",
                                subject=subject, body=body, idempotency_key=key,
                                language=get_language() or "")
        if email is not None:
            log_action(ACTION_CONSENT_REQUESTED, actor=actor, obj=demand, request=request,
                       data={"contact_email": mask_email(demand.contact_email)})
    return email


def confirm_contact_consent(token, *, agree, request=None):
    """The contact person's answer from the link: ``agree`` opens their phone and e-mail to
    granted challengers, a refusal keeps them masked. Audited; returns the demand."""
    demand = demand_for_consent_token(token)
    with transaction.atomic():
        locked = Demand.objects.select_for_update().get(pk=demand.pk)
        locked.contact_consents_sharing = bool(agree)
        locked.contact_consent_at = timezone.now() if agree else None
        locked.save(update_fields=["contact_consents_sharing", "contact_consent_at"])
        log_action(ACTION_CONSENT_CONFIRMED if agree else ACTION_CONSENT_DECLINED, obj=locked,
                   request=request, data={"contact_email": mask_email(locked.contact_email)})
    return locked

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
