"""Awards: the live round's award to the institute (awaiting the clause acknowledgements), a
technology contract, a service request and a follow-up at unit A; subsidies at both units and
unit B's award, contract, service request and follow-up."""

from decimal import Decimal

from django.utils import timezone

from tests.factories.files import PrivateFileFactory

from .canaries import FOREIGN_MARK, SUBSIDY_CANARY, SUBSIDY_POLICY_TITLE


def round_award_and_after(users, *, demand, unit, live_round, entry):
    """The award of the live round's first entry; the contract and the follow-up of the world's
    demand's intention agreement; the owner's service request, assigned to the agency."""
    from datetime import timedelta

    from awards.enums import CLAUSE
    from awards.models import Award

    award = Award.objects.create(
        demand=demand, host_unit=unit, live_round=live_round, recipient=entry.organisation,
        payer_id=demand.organisation_id, title="矩阵现场赛奖金", amount=Decimal("5"),
        due_on=timezone.localdate() + timedelta(days=30), clause=str(CLAUSE),
        created_by=users["host"])
    from awards.models import TechnologyContract
    from matching.models import IntentionAgreement

    agreement = IntentionAgreement.objects.filter(demand=demand).first()
    contract = TechnologyContract.objects.create(
        agreement=agreement, host_unit=unit, number="JS-MATRIX-001", kind="license",
        amount=Decimal("100"), signed_on=timezone.localdate(), registered_by=users["owner"])
    from awards.models import ServiceRequest

    service_request = ServiceRequest.objects.create(
        host_unit=unit, requester=users["owner"], kind="ip", description="专利布局咨询",
        provider=users["agency"].memberships.first().organisation, assigned_by=users["host"],
        state="assigned")
    from awards.models import FollowUp

    follow_up = FollowUp.objects.create(agreement=agreement, host_unit=unit, months=3,
                                        due_on=timezone.localdate())
    return {"award": award, "contract": contract, "service_request": service_request,
            "follow_up": follow_up}


def subsidies(users, *, demand, unit, work_plan, partner, foreign, foreign_unit,
               foreign_partner):
    """Subsidies: unit A's open policy (from its work plan); the world's demand matched by a
    confirmed intention agreement with the granted challenger's institute, under which the
    owner's company applied (awaiting decision, a private supporting file). At unit B: its
    policy, its demand's confirmed agreement, an application, and B's award, contract, service
    request and follow-up (the rows unit A's staff must not reach in admin)."""
    from datetime import timedelta

    from awards.models import (
        Award,
        FollowUp,
        ServiceRequest,
        SubsidyApplication,
        SubsidyPolicy,
        TechnologyContract,
    )
    from matching.enums import AgreementState
    from matching.models import IntentionAgreement

    today = timezone.localdate()
    policy = SubsidyPolicy.objects.create(
        host_unit=unit, work_plan=work_plan, title=SUBSIDY_POLICY_TITLE,
        description="对成功揭榜对接的需求企业给予研发费用补助。", max_amount=Decimal("50"),
        eligibility="需求已签订合作意向协议的企业", opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=60), created_by=users["host"])
    matched = IntentionAgreement.objects.create(
        demand=demand, partner=partner, cooperation_mode="development", amount=Decimal("80"),
        signed_on=today, created_by=users["owner"], state=AgreementState.CONFIRMED)
    application = SubsidyApplication.objects.create(
        policy=policy, host_unit=unit, agreement=matched, organisation_id=demand.organisation_id,
        applicant=users["owner"], amount_asked=Decimal("30"), justification=SUBSIDY_CANARY)
    subsidy_file = PrivateFileFactory(name="补助佐证CANARYSUBSIDY.pdf", attach_to=application,
                                      uploaded_by=users["owner"])

    foreign_policy = SubsidyPolicy.objects.create(
        host_unit=foreign_unit, title=f"乙市补助{FOREIGN_MARK}", description="乙市",
        max_amount=Decimal("20"), eligibility="乙市企业", opens_on=today,
        closes_on=today + timedelta(days=30), created_by=users["other_host"])
    foreign_agreement = IntentionAgreement.objects.create(
        demand=foreign, partner=foreign_partner, cooperation_mode="license",
        amount=Decimal("60"), signed_on=today, created_by=users["other_company"],
        state=AgreementState.CONFIRMED)
    foreign_application = SubsidyApplication.objects.create(
        policy=foreign_policy, host_unit=foreign_unit, agreement=foreign_agreement,
        organisation_id=foreign.organisation_id, applicant=users["other_company"],
        amount_asked=Decimal("10"), justification=f"乙市申请{FOREIGN_MARK}")
    foreign_award = Award.objects.create(
        demand=foreign, host_unit=foreign_unit, recipient=foreign_partner,
        payer_id=foreign.organisation_id, title=f"乙市奖金{FOREIGN_MARK}", amount=Decimal("2"),
        due_on=today + timedelta(days=30), clause="—", created_by=users["other_host"])
    foreign_contract = TechnologyContract.objects.create(
        agreement=foreign_agreement, host_unit=foreign_unit, number="JS-FOREIGN-QZ",
        kind="license", amount=Decimal("60"), signed_on=today,
        registered_by=users["other_company"], priority_note=f"乙市{FOREIGN_MARK}")
    foreign_service = ServiceRequest.objects.create(
        host_unit=foreign_unit, requester=users["other_company"], kind="finance",
        description=f"乙市融资咨询{FOREIGN_MARK}")
    foreign_follow_up = FollowUp.objects.create(
        agreement=foreign_agreement, host_unit=foreign_unit, months=3,
        due_on=today + timedelta(days=90))
    return {"subsidy_policy": policy, "matched_agreement": matched,
            "subsidy_application": application, "subsidy_file": subsidy_file,
            "foreign_subsidy_policy": foreign_policy,
            "foreign_subsidy_application": foreign_application,
            "foreign_award": foreign_award, "foreign_contract": foreign_contract,
            "foreign_service_request": foreign_service, "foreign_follow_up": foreign_follow_up}
