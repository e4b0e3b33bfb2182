"""The host-scoped models of Django admin, each with the selector the pages list its rows with
and a maker of rows that belong to one host unit (with rows that must not leak: a company's
draft, its attachments, organisations with no tie).

``tests/common/test_admin_scope.py`` checks, per persona, that each model's admin changelist
lists exactly what its selector returns, and that every other admin model is Torch staff's
only. A new app with host-scoped admin models adds one line per model here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from accounts.models import Organisation
from accounts.permissions import is_torch_staff
from accounts.selectors import organisations_managed_by
from awards import selectors as award_selectors
from awards.models import (
    Award,
    FollowUp,
    ServiceRequest,
    SubsidyApplication,
    SubsidyPolicy,
    TechnologyContract,
)
from contests import selectors as contest_selectors
from contests.models import (
    ChallengeNotice,
    ComplaintChannel,
    Event,
    HostMembership,
    HostUnit,
    SummaryReport,
    WorkPlan,
)
from demands import selectors as demand_selectors
from demands.models import Analysis, Demand, ExpertAssignment, WordingProposal
from files.models import PrivateFile
from files.selectors import files_visible_to
from solutions import selectors as solution_selectors
from solutions.models import Solution
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.contests import (
    ChallengeNoticeFactory,
    ComplaintChannelFactory,
    HostMembershipFactory,
    SummaryReportFactory,
    WorkPlanFactory,
)
from tests.factories.demands import (
    AnalysisFactory,
    DemandFactory,
    ExpertAssignmentFactory,
    WordingProposalFactory,
)
from tests.factories.files import PrivateFileFactory
from tests.factories.solutions import SolutionFactory


@dataclass(frozen=True)
class AdminScope:
    model: type
    selector: Callable  # user -> queryset: what the pages list
    make_rows: Callable  # host unit -> None: rows of that unit, leaky ones included
    # who may open this admin at all (others get 403 and see nothing); None: whoever the
    # selector serves
    audience: Callable | None = None

    def __str__(self):
        return self.model._meta.label_lower


def _demands(unit):
    DemandFactory(host_unit=unit, status="submitted")
    DemandFactory(host_unit=unit, status="published")
    DemandFactory(host_unit=unit, status="draft")  # the company's own until submitted
    DemandFactory(host_unit=unit, status="draft", entered_by_host=True)


def _on_demands(factory):
    def make(unit):
        factory(demand=DemandFactory(host_unit=unit, status="in_analysis"))
        factory(demand=DemandFactory(host_unit=unit, status="draft"))

    return make


def _organisations(unit):
    DemandFactory(host_unit=unit, status="submitted")  # tied by a demand
    DemandFactory(host_unit=unit, status="draft")  # a draft alone is no tie
    staff = HostMembershipFactory(host_unit=unit).user
    MembershipFactory(user=staff)  # tied by a member on the unit's staff
    OrganisationFactory()  # tied to nobody


def _files(unit):
    submitted = DemandFactory(host_unit=unit, status="submitted")
    draft = DemandFactory(host_unit=unit, status="draft")
    PrivateFileFactory(attach_to=submitted)
    PrivateFileFactory(attach_to=draft)
    PrivateFileFactory()  # attached to nothing yet


def _solutions(unit):
    published = DemandFactory(host_unit=unit, status="published")
    SolutionFactory(demand=published, status="submitted")
    SolutionFactory(demand=published, status="shortlisted")
    SolutionFactory(demand=published, status="draft")  # the challenger's own


def _agreement(unit, state="confirmed"):
    from django.utils import timezone

    from matching.models import IntentionAgreement

    demand = DemandFactory(host_unit=unit, status="published")
    return IntentionAgreement.objects.create(
        demand=demand, partner=OrganisationFactory(), cooperation_mode="license", amount=50,
        signed_on=timezone.localdate(), created_by=UserFactory(), state=state)


def _awards(unit):
    from django.utils import timezone

    agreement = _agreement(unit)
    Award.objects.create(demand=agreement.demand, host_unit=unit, recipient=agreement.partner,
                         payer_id=agreement.demand.organisation_id, title="奖金", amount=5,
                         due_on=timezone.localdate(), clause="—", created_by=UserFactory())


def _contracts(unit):
    from django.utils import timezone

    agreement = _agreement(unit)
    TechnologyContract.objects.create(agreement=agreement, host_unit=unit,
                                      number=f"JS-{agreement.pk}", kind="license", amount=10,
                                      signed_on=timezone.localdate(),
                                      registered_by=UserFactory())


def _service_requests(unit):
    ServiceRequest.objects.create(host_unit=unit, requester=UserFactory(), kind="ip",
                                  description="咨询")


def _follow_ups(unit):
    from django.utils import timezone

    FollowUp.objects.create(agreement=_agreement(unit), host_unit=unit, months=3,
                            due_on=timezone.localdate())


def _policy(unit):
    import datetime

    return SubsidyPolicy.objects.create(
        host_unit=unit, title="补助", description="说明", max_amount=20, eligibility="企业",
        opens_on=datetime.date(2026, 1, 1), closes_on=datetime.date(2026, 12, 31),
        created_by=UserFactory())


def _subsidy_applications(unit):
    agreement = _agreement(unit)
    SubsidyApplication.objects.create(
        policy=_policy(unit), host_unit=unit, agreement=agreement,
        organisation_id=agreement.demand.organisation_id, applicant=UserFactory(),
        amount_asked=10, justification="理由")


ADMIN_SCOPES = [
    AdminScope(Event, contest_selectors.events_hosted_for, lambda unit: None),
    AdminScope(HostUnit, contest_selectors.host_units_of, lambda unit: None),
    AdminScope(
        HostMembership,
        contest_selectors.host_memberships_visible_to,
        lambda unit: HostMembershipFactory(host_unit=unit),
    ),
    AdminScope(
        WorkPlan,
        contest_selectors.work_plans_visible_to,
        lambda unit: WorkPlanFactory(host_unit=unit),
    ),
    AdminScope(
        SummaryReport,
        contest_selectors.summary_reports_visible_to,
        lambda unit: SummaryReportFactory(host_unit=unit),
    ),
    AdminScope(
        ChallengeNotice,
        contest_selectors.notices_visible_to,
        lambda unit: ChallengeNoticeFactory(host_unit=unit),
    ),
    AdminScope(
        ComplaintChannel,
        contest_selectors.complaint_channels_visible_to,
        lambda unit: ComplaintChannelFactory(host_unit=unit),
    ),
    AdminScope(Demand, demand_selectors.managed_scope, _demands),
    AdminScope(Analysis, demand_selectors.analyses_managed_by, _on_demands(AnalysisFactory)),
    AdminScope(
        ExpertAssignment,
        demand_selectors.assignments_managed_by,
        _on_demands(ExpertAssignmentFactory),
    ),
    AdminScope(
        WordingProposal, demand_selectors.proposals_managed_by, _on_demands(WordingProposalFactory)
    ),
    AdminScope(Organisation, organisations_managed_by, _organisations),
    AdminScope(Solution, solution_selectors.solutions_managed_by, _solutions),
    AdminScope(Award, award_selectors.awards_managed_by, _awards),
    AdminScope(TechnologyContract, award_selectors.contracts_managed_by, _contracts),
    AdminScope(ServiceRequest, award_selectors.services_managed_by, _service_requests),
    AdminScope(FollowUp, award_selectors.follow_ups_managed_by, _follow_ups),
    AdminScope(SubsidyPolicy, award_selectors.policies_managed_by, _policy),
    AdminScope(SubsidyApplication, award_selectors.subsidy_applications_managed_by,
               _subsidy_applications),
    # Files are downloaded on the pages by everyone their selector serves; admin lists them to
    # Torch staff only.
    AdminScope(PrivateFile, files_visible_to, _files, audience=is_torch_staff),
]
