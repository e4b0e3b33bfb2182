"""What the demands app holds about a person, for the data download and the erasure
(``accounts.privacy``)."""

from accounts.privacy import DELETE, KEEP, register_model

ANONYMISED = "the row points at the anonymised account and holds nothing else of the person"


def _export_demands(user):
    from .models import Demand
    from .services.contacts import demands_naming

    created = Demand.objects.filter(created_by=user).values_list("ref", "title", "status")
    return {
        "created": [{"ref": ref, "title": title, "status": status}
                    for ref, title, status in created.order_by("pk")],
        "named_as_contact": [
            {"ref": demand.ref, "title": demand.title, "contact_person": demand.contact_person,
             "contact_mobile": demand.contact_mobile, "contact_email": demand.contact_email,
             "contact_landline": demand.contact_landline,
             "consents_sharing": demand.contact_consents_sharing}
            for demand in demands_naming(user).order_by("pk")
        ],
    }


def _erase_demand_contacts(user):
    from .services.contacts import clear_erased_contact

    clear_erased_contact(user)


def register():
    register_model("demands.Demand", section="demands", user_fields=["created_by"],
                   export=_export_demands, erase=_erase_demand_contacts)
    register_model("demands.DemandTransition", user_fields=["actor"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("demands.ExpertAssignment", user_fields=["expert", "assigned_by"],
                   erase=KEEP, reason="the record of who analysed a demand; " + ANONYMISED)
    register_model("demands.Analysis", user_fields=["expert"], erase=KEEP,
                   reason="an expert's professional analysis, owned by the contest; "
                          + ANONYMISED)
    register_model("demands.WordingProposal", user_fields=["proposed_by"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("demands.WordingProposalTransition", user_fields=["actor"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("demands.AccessRequest", section="access_requests", user_fields=["user"],
                   erase=DELETE)
    register_model("demands.AccessRequestTransition", user_fields=["actor"], erase=KEEP,
                   reason=ANONYMISED)
    register_model("demands.HiddenDetailView", section="hidden_detail_views",
                   user_fields=["user"], erase=DELETE)
