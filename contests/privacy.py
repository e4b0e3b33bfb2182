"""What the contests app holds about a person, for the data download and the erasure
(``accounts.privacy``)."""

from accounts.privacy import DELETE, KEEP, declare_not_personal, register_model

ANONYMISED = "the row points at the anonymised account and holds nothing else of the person"


def _erase_invitations_to(user):
    """Invitations addressed to the person's e-mail go; those they sent stay, anonymised."""
    from .models import HostInvitation

    if user.email:
        HostInvitation.objects.filter(email__iexact=user.email).delete()


def register():
    register_model("contests.HostMembership", user_fields=["user"], erase=DELETE)
    register_model("contests.HostUnit", user_fields=["members"], erase=KEEP,
                   reason="the host unit itself; the person's membership rows are deleted")
    register_model("contests.WorkPlan", user_fields=["created_by", "decided_by"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("contests.WorkPlanTransition", user_fields=["actor"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("contests.ChallengeNotice", user_fields=["created_by", "published_by"],
                   erase=KEEP, reason=ANONYMISED)
    register_model("contests.HostApplication", section="host_applications",
                   user_fields=["user", "decided_by"], erase=KEEP,
                   reason="the record of who was admitted to a host unit's staff; "
                          + ANONYMISED)
    register_model("contests.HostApplicationTransition", user_fields=["actor"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("contests.HostInvitation", section="host_invitations_sent",
                   user_fields=["invited_by", "revoked_by"],
                   erase=_erase_invitations_to)
    register_model("contests.SummaryReport",
                   user_fields=["created_by", "reviewed_by"], erase=KEEP,
                   reason="the host unit's report to the Torch Center; " + ANONYMISED)
    register_model("contests.SummaryReportTransition", user_fields=["actor"], erase=KEEP,
                   reason=ANONYMISED)
    declare_not_personal("contests.ComplaintChannel",
                         reason="the published phone and e-mail of a complaints office")
