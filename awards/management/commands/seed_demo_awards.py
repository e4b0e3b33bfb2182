"""Demo award, after ``seed_demo_rounds`` (``make demo``): the prize of the finished demo live
round to its selected partner, the clause acknowledged by company@demo.cn and
challenger@demo.cn, the payment recorded with a proof file and the receipt confirmed; plus an
award of the same round to the runner-up, unpaid and past its date (overdue, reminded); the
round's intention agreement confirmed by both sides with a registered technology contract
(flagged for priority) and its follow-ups at 3, 6 and 12 months, the first one due today (the
one direct write: its date); a service request of challenger@demo.cn assigned to the demo
service agency; a subsidy policy of the demo host unit (from its work plan, when it has one)
and company@demo.cn's application under it for the round's matched demand, with a supporting
file, awaiting the unit's decision. Through the services; idempotent.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from awards import services
from awards.models import Award
from files.enums import FileKind
from files.services import store_upload
from matching.enums import RoundState
from matching.models import LiveRound

PROOF = (b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n")


class Command(BaseCommand):
    help = "Demo awards: one paid and received, one overdue (idempotent)."

    def handle(self, *args, **options):
        User = get_user_model()
        live_round = (LiveRound.objects.filter(state=RoundState.FINISHED,
                                               selected_entry__isnull=False)
                      .select_related("demand", "selected_entry__organisation").first())
        if live_round is None:
            raise CommandError("Run seed_demo_rounds first.")
        host = User.objects.get(email="host.xian@demo.cn")
        company = User.objects.get(email="company@demo.cn")
        with transaction.atomic():
            if not Award.objects.filter(live_round=live_round).exists():
                self._paid(live_round, host, company)
                self._overdue(live_round, host)
                self._contract_and_follow_ups(live_round, host, company)
                self._service_request(host)
        with transaction.atomic():
            self._subsidy(live_round, host, company)
        self.stdout.write(self.style.SUCCESS(f"Demo awards ready ({Award.objects.count()})."))

    def _paid(self, live_round, host, company):
        winner = live_round.selected_entry.organisation
        award = services.make_award(
            live_round.demand, winner, title=f"{live_round.title}一等奖", amount="10",
            due_on=timezone.localdate() + datetime.timedelta(days=20), live_round=live_round,
            actor=host)
        challenger = winner.memberships.filter(state="active").first().user
        services.acknowledge(award, actor=company)
        services.acknowledge(award, actor=challenger)
        proof = store_upload(SimpleUploadedFile("奖金转账凭证.pdf", PROOF,
                                                content_type="application/pdf"),
                             kind=FileKind.ATTACHMENT, uploaded_by=company, attach_to=award)
        services.record_payment(award, paid_on=timezone.localdate(), amount="10", proof=proof,
                                actor=company)
        services.confirm_receipt(award, actor=challenger)

    def _overdue(self, live_round, host):
        runner_up = live_round.entries.exclude(pk=live_round.selected_entry_id).order_by(
            "position").first()
        award = services.make_award(
            live_round.demand, runner_up.organisation, title=f"{live_round.title}优秀奖",
            amount="3", due_on=timezone.localdate() - datetime.timedelta(days=5),
            live_round=live_round, actor=host)
        services.remind_overdue()
        return award

    def _contract_and_follow_ups(self, live_round, host, company):
        from awards.models import FollowUp
        from matching.services.agreements import confirm

        agreement = live_round.agreement
        partner = agreement.partner.memberships.filter(state="active").first().user
        confirm(agreement, actor=company)
        confirm(agreement, actor=partner)
        agreement.refresh_from_db()
        contract = services.register_contract(
            agreement, number=f"61011{timezone.localdate():%Y}JS000{agreement.pk}",
            kind="development", amount="220", signed_on=timezone.localdate(), actor=company)
        services.flag_contract(contract, priority=True, note="列入市级科技计划优先支持项目",
                               actor=host)
        services.schedule_follow_ups()
        FollowUp.objects.filter(agreement=agreement, months=3).update(
            due_on=timezone.localdate())
        services.schedule_follow_ups()

    def _service_request(self, host):
        from accounts.enums import OrganisationKind
        from accounts.models import Organisation

        User = get_user_model()
        challenger = User.objects.get(email="challenger@demo.cn")
        service = services.ask_service(host_unit=host.host_memberships.first().host_unit,
                                       kind="ip", actor=challenger,
                                       description="SiC模块封装专利布局与侵权风险分析")
        agency = Organisation.objects.filter(kind=OrganisationKind.SERVICE_AGENCY).first()
        if agency is not None:
            services.assign_service(service, agency, actor=host)

    def _subsidy(self, live_round, host, company):
        """A policy of the round's unit and one submitted application (once)."""
        from awards.models import SubsidyPolicy
        from contests.models import WorkPlan
        from matching.enums import AgreementState

        unit = live_round.demand.host_unit
        if SubsidyPolicy.objects.filter(host_unit=unit).exists():
            return
        today = timezone.localdate()
        policy = services.save_policy(
            unit, actor=host, title="揭榜对接成功企业研发费用补助",
            description="对在本届挑战赛中与揭榜方签订合作意向协议的需求企业，按实际研发投入的"
                        "30%给予补助。",
            max_amount="50", eligibility="需求已在本单位对接成功（合作意向协议经双方确认）的企业",
            opens_on=today - datetime.timedelta(days=10),
            closes_on=today + datetime.timedelta(days=80),
            work_plan=WorkPlan.objects.filter(host_unit=unit).first())
        agreement = live_round.agreement
        if agreement is None or agreement.state != AgreementState.CONFIRMED:
            return
        evidence = SimpleUploadedFile("研发投入明细.pdf", PROOF, content_type="application/pdf")
        services.apply_for_subsidy(
            policy, agreement, amount="30",
            justification="合作开发SiC模块封装工艺，首期研发投入约100万元，申请按30%补助。",
            files=[evidence], actor=company)
