"""What the awards app holds about a person (``accounts.privacy``): awards, contracts, service
requests and follow-ups are records between organisations and of the contest; an erased
person's rows stay, pointing at the anonymised account."""

from accounts.privacy import KEEP, register_model

ANONYMISED = "the row points at the anonymised account and holds nothing else of the person"


def register():
    register_model("awards.Award", section="awards",
                   user_fields=["created_by", "payer_ack_by", "recipient_ack_by", "received_by"],
                   erase=KEEP, reason="a prize paid between organisations; " + ANONYMISED)
    register_model("awards.AwardTransition", user_fields=["actor"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("awards.TechnologyContract", user_fields=["registered_by"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("awards.ServiceRequest", section="service_requests",
                   user_fields=["requester", "assigned_by"], erase=KEEP, reason=ANONYMISED)
    register_model("awards.ServiceRequestTransition", user_fields=["actor"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("awards.FollowUp", section="follow_up_reports",
                   user_fields=["reported_by", "evaluated_by"], erase=KEEP, reason=ANONYMISED)
    register_model("awards.SubsidyPolicy", user_fields=["created_by"], erase=KEEP,
                   reason="a host unit's published policy; " + ANONYMISED)
    register_model("awards.SubsidyApplication", section="subsidy_applications",
                   user_fields=["applicant", "decided_by"], erase=KEEP,
                   reason="an organisation's application to a host unit; " + ANONYMISED)
    register_model("awards.SubsidyApplicationTransition", user_fields=["actor"], erase=KEEP,
                   reason=ANONYMISED)
