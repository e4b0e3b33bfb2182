"""What the contests app holds about a person, for the data download and the erasure
(``accounts.privacy``)."""

from accounts.privacy import DELETE, KEEP, declare_not_personal, register_model

ANONYMISED = "the row points at the anonymised account and holds nothing else of the person"


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
    declare_not_personal("contests.ComplaintChannel",
                         reason="the published phone and e-mail of a complaints office")
