"""One world holding every persona and the objects they own, for the harness suites.

Two host units, A and B. At A: the demand owner's published demand (every hideable field hidden,
each holding a canary), its draft, a submitted demand, an attachment, a wording proposal, access
requests (one granted, one pending), an expert assignment, a notice, a complaint channel, a work
plan and an import job. At B: another company's published demand and draft, and B's own notice,
channel and work plan. Besides: a notification, a subscription and a pending membership of the
owner, and a webhook with a failed delivery.

Each app's part is built by its module here (``accounts``, ``contests``, ``demands``, ``push``,
``solutions``, ``matching``, ``complaints``, ``dashboards``, ``awards``, ``news``, ``api``);
``build_world`` calls them in the order the rows are created, which fixes their ids and
references, so a new part goes after the parts it needs. The marked values are in
``canaries``.
"""

import inspect
from dataclasses import dataclass, field

from accounts.models import Agreement
from demands.services.contacts import contact_consent_token

from . import (
    accounts,
    api,
    awards,
    complaints,
    contests,
    dashboards,
    demands,
    matching,
    news,
    push,
    solutions,
)
from .accounts import PERSONAS
from .canaries import (
    CANARIES,
    COMPLAINT_CANARY,
    FOREIGN_MARK,
    HIDDEN_PASSAGE,
    PRIVATE_QUESTION,
    PUBLIC_TITLE,
    PUBLISHED_ANSWER,
    ROUND_CANARY,
    SOLUTION_CANARY,
    STAFF_ACHIEVEMENT,
    SUBSIDY_CANARY,
    SUBSIDY_POLICY_TITLE,
)

__all__ = [
    "CANARIES", "COMPLAINT_CANARY", "FOREIGN_MARK", "HIDDEN_PASSAGE", "PERSONAS",
    "PRIVATE_QUESTION", "PUBLIC_TITLE", "PUBLISHED_ANSWER", "ROUND_CANARY", "SOLUTION_CANARY",
    "STAFF_ACHIEVEMENT", "SUBSIDY_CANARY", "SUBSIDY_POLICY_TITLE", "World", "build_world",
]


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def user(self, persona):
        return self.users.get(persona)

    def resolve(self, path):
        """``"demand.ref"`` → the attribute of a world object; a non-string stays as it is."""
        if not isinstance(path, str) or not path.startswith("@"):
            return path
        name, _, attribute = path[1:].partition(".")
        value = self.objects[name]
        for part in filter(None, attribute.split(".")):
            value = getattr(value, part)
            if inspect.ismethod(value):  # "roles.first"
                value = value()
        return value


def build_world():
    contest, field_, unit_a, unit_b = contests.contest_and_units()
    users, held = accounts.personas(contest, unit_a, unit_b)
    owner_org, other_org = held["owner_org"], held["other_org"]
    university, agency_org = held["university"], held["agency_org"]

    d = demands.demands(users, unit_a=unit_a, unit_b=unit_b, field_=field_,
                        owner_org=owner_org, other_org=other_org)
    demand, foreign = d["demand"], d["foreign"]
    reaching = push.notices_and_push(users, foreign=foreign)
    pending_membership, foreign_membership = accounts.pending_memberships(owner_org, other_org)
    records = contests.unit_records(unit_a, unit_b)
    import_job = demands.import_job(users)

    solution_objects = solutions.solutions(users, demand=demand, foreign=foreign,
                                           university=university)
    solution = solution_objects["solution"]

    matching_objects = matching.matching(users, demand=demand, unit=unit_a, field_=field_,
                                         holder=university, agency_org=agency_org,
                                         owner_org=owner_org)
    complaint_objects = complaints.complaints(users, demand=demand, foreign=foreign, unit=unit_a)
    training_objects = dashboards.training(users)
    rival = solutions.rival_solution(demand)
    round_objects = matching.live_round(users, demand=demand, unit=unit_a,
                                        entries=(solution, rival))
    round_objects.update(awards.round_award_and_after(
        users, demand=demand, unit=unit_a, live_round=round_objects["live_round"],
        entry=round_objects["round_entry"]))
    subsidy_objects = awards.subsidies(users, demand=demand, unit=unit_a,
                                       work_plan=records["work_plan"],
                                       partner=solution.organisation, foreign=foreign,
                                       foreign_unit=unit_b, foreign_partner=university)

    objects = {
        **matching_objects,
        **round_objects,
        **subsidy_objects,
        "solution": solution,
        "solution_file": solution_objects["solution_file"],
        "draft_solution": solution_objects["draft_solution"],
        "foreign_solution": solution_objects["foreign_solution"],
        "thread": solution_objects["thread"],
        "training_material": training_objects["training_material"],
        "training_session": training_objects["training_session"],
        "complaint": complaint_objects["complaint"],
        "foreign_complaint": complaint_objects["foreign_complaint"],
        "dispute": complaint_objects["dispute"],
        "contest": contest,
        "agreement": Agreement.objects.for_scope(contest).first(),
        "field": field_,
        "unit": unit_a,
        "foreign_unit": unit_b,
        "event": unit_a.event,
        "owner_org": owner_org,
        "foreign_org": other_org,
        "demand": demand,
        "consent_token": contact_consent_token(demand),
        "attachment": d["attachment"],
        "draft": d["draft"],
        "submitted": d["submitted"],
        "foreign_demand": foreign,
        "foreign_draft": d["foreign_draft"],
        "proposal": d["proposal"],
        "foreign_proposal": d["foreign_proposal"],
        "access_granted": d["granted"],
        "access_pending": d["pending_access"],
        "foreign_access": d["foreign_access"],
        "notification": reaching["notification"],
        "subscription": reaching["subscription"],
        "webhook": reaching["webhook"],
        "delivery": reaching["delivery"],
        "membership": pending_membership,
        "foreign_membership": foreign_membership,
        "notice": records["notice"],
        "published_notice": records["published_notice"],
        "api_key": api.api_key(users["torch"]),
        **contests.host_registration(users, unit_a),
        **news.news(users, unit_a),
        "foreign_notice": records["foreign_notice"],
        "channel": records["channel"],
        "foreign_channel": records["foreign_channel"],
        "work_plan": records["work_plan"],
        "foreign_plan": records["foreign_plan"],
        "summary_report": records["summary_report"],
        "foreign_summary_report": records["foreign_summary_report"],
        "import_job": import_job,
        "host_membership": held["host_membership"],
        "foreign_host_membership": held["foreign_host_membership"],
        "assignment": d["assignment"],
        "foreign_assignment": d["foreign_assignment"],
        "analysis": d["analysis"],
        "foreign_analysis": d["foreign_analysis"],
        "foreign_event": unit_b.event,
    }
    objects.update({f"user_{persona}": user for persona, user in users.items() if user})
    return World(users=users, objects=objects)
