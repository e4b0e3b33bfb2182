"""Demo data of the matching app, after ``seed_demo`` and ``seed_demo_demands`` (``make demo``):
the term table, an achievement library of a few hundred entries across the fields, the
recommendations of every published demo demand, the agency (agency@demo.cn) commissioned by the
Xi'an host unit (and assigned by it as an expert to a Xi'an demand in analysis), an invitation
accepted by challenger@demo.cn, a scheduled video docking session and a confirmed intention
agreement. Everything goes through ``matching.services``.
Idempotent: what exists is left.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.agreements import current_agreement, current_scope
from accounts.credit_code import check_character
from accounts.enums import OrganisationKind
from accounts.models import AgreementSignature, Organisation
from accounts.services import sign_agreement
from contests.models import HostUnit, IndustryField
from demands import services as demand_services
from demands.enums import DemandStatus
from demands.models import Demand
from matching.enums import CommissionScope, DockingMode, InvitationState, Visibility
from matching.generators import compose
from matching.models import (
    Achievement,
    Commission,
    DockingSession,
    IntentionAgreement,
    Invitation,
)
from matching.public import PUBLIC_ACHIEVEMENTS
from matching.services import agencies, agreements, docking, invitations, recommend
from matching.services.library import index_fields
from matching.services.terms import load_data_file

HOLDERS = [
    ("示例新材料研究院", OrganisationKind.INSTITUTE, "12610000435200101", "610100"),
    ("北京示例电子科技有限公司", OrganisationKind.ENTERPRISE, "91110108MA01DLDE1", "110000"),
    ("深圳示例能源技术有限公司", OrganisationKind.ENTERPRISE, "91440300MA5DLNY01", "440300"),
    ("江苏示例智能制造研究院", OrganisationKind.INSTITUTE, "12320000466000201", "320115"),
]
LIBRARY_SIZE = 300


class Command(BaseCommand):
    help = "Demo achievements, recommendations, a commissioned agency, invitations, agreements."

    def handle(self, *args, **options):
        User = get_user_model()
        try:
            host = User.objects.get(email="host.xian@demo.cn")
            company = User.objects.get(email="company@demo.cn")
            challenger = User.objects.get(email="challenger@demo.cn")
            agency_user = User.objects.get(email="agency@demo.cn")
        except User.DoesNotExist:
            raise CommandError("Run seed_demo (and seed_demo_demands) first.") from None
        load_data_file()
        university = challenger.organisations.first()
        agency = agency_user.organisations.first()
        if agency.kind != OrganisationKind.SERVICE_AGENCY:
            Organisation.objects.filter(pk=agency.pk).update(kind=OrganisationKind.SERVICE_AGENCY)
            agency.refresh_from_db()
        self._sign_nda(agency_user)
        holders = [university, *self._holders()]
        self._library(holders)
        # The demo's own demands (entered by demo accounts), also on a database that holds
        # generated demands besides (the mixed-load benchmark seeds the demo on top of them).
        published = list(Demand.objects.filter(status=DemandStatus.PUBLISHED,
                                               created_by__email__endswith="@demo.cn")
                         .exclude(public_snapshot={}).order_by("pk"))
        index = recommend.build_index()
        for demand in published:
            recommend.refresh_demand(demand, index=index)
        self.stdout.write(f"recommendations for {len(published)} published demands")
        xian = HostUnit.objects.get(slug="xian")
        xian_demands = [demand for demand in published if demand.host_unit_id == xian.pk]
        if not xian_demands:
            self.stdout.write("no published Xi'an demand: commission and invitation skipped")
            return
        self._commission(xian, agency, host, xian_demands)
        self._agency_as_expert(xian, agency_user, host)
        self._invitation(xian_demands[0], university, host, challenger)
        self._docking(xian, xian_demands[0], host, [company, challenger, host])
        # The agreement matches the demand: it closes (the demo's last open Xi'an demand).
        self._agreement(xian_demands[-1], university, company, challenger)

    def _docking(self, unit, demand, host, participants):
        if DockingSession.objects.filter(host_unit=unit).exists():
            return
        starts = timezone.localtime().replace(hour=14, minute=30, second=0, microsecond=0)
        starts += timedelta(days=10)
        docking.schedule(
            DockingSession(host_unit=unit, title=f"{demand.public_snapshot.get('title', '')}"
                           "视频对接会"[:120], mode=DockingMode.VIDEO,
                           link="https://meeting.example.cn/xian-docking",
                           starts_at=starts, ends_at=starts + timedelta(hours=2),
                           agenda="1. 需求方介绍技术需求\n2. 持有方路演\n3. 自由交流与下一步安排"),
            demands=[demand], participants=participants, actor=host)
        self.stdout.write("a video docking session scheduled by host.xian@demo.cn")

    def _sign_nda(self, user):
        agreement = current_agreement(current_scope(), "nda")
        if agreement and not AgreementSignature.objects.filter(user=user,
                                                               agreement=agreement).exists():
            sign_agreement(user, agreement, "127.0.0.1")

    def _holders(self):
        holders = []
        for name, kind, head, region in HOLDERS:
            holder, _ = Organisation.objects.get_or_create(
                credit_code=head + check_character(head),
                defaults={"name": name, "kind": kind, "region": region, "verified": True})
            holders.append(holder)
        return holders

    @transaction.atomic
    def _library(self, holders):
        existing = Achievement.objects.filter(owner__in=holders).count()
        if existing >= LIBRARY_SIZE:
            self.stdout.write(f"achievement library: {existing} demo entries already")
            return
        fields = list(IndustryField.objects.order_by("code"))
        rng = random.Random(2026)
        rows = []
        for _ in range(LIBRARY_SIZE - existing):
            field = rng.choice(fields)
            holder = rng.choice(holders)
            values = compose(rng, field.code)
            row = Achievement(owner=holder, industry_field=field, region=holder.region,
                              visibility=(Visibility.STAFF if rng.random() < 0.1
                                          else Visibility.PUBLIC), **values)
            rows.append(index_fields(row))
        Achievement.objects.bulk_create(rows, batch_size=200)
        PUBLIC_ACHIEVEMENTS.invalidate()
        self.stdout.write(f"achievement library: {len(rows)} entries added")

    def _commission(self, unit, agency, host, demands):
        if Commission.objects.filter(host_unit=unit, agency=agency).exists():
            return
        today = timezone.localdate()
        agencies.commission_agency(
            host_unit=unit, agency=agency, scopes=list(CommissionScope.values),
            starts_on=today - timedelta(days=7), ends_on=today + timedelta(days=90),
            demands=demands, actor=host)
        self.stdout.write("agency@demo.cn's agency commissioned by the Xi'an host unit")

    def _agency_as_expert(self, unit, agency_user, host):
        """The commission covers demand analysis: the unit's staff assign the agency's member
        to one of its demands in analysis, as they assign experts (``matching.experts``)."""
        demand = (Demand.objects.filter(host_unit=unit, status=DemandStatus.IN_ANALYSIS)
                  .order_by("pk").first())
        if demand is None or demand.assignments.filter(expert=agency_user).exists():
            return
        demand_services.assign_experts(demand, [agency_user], actor=host)
        self.stdout.write(f"agency@demo.cn assigned to analyse {demand.ref}")

    def _invitation(self, demand, university, host, challenger):
        invitation = Invitation.objects.filter(demand=demand, holder=university).first()
        if invitation is None:
            achievement = Achievement.objects.filter(owner=university).first()
            invitation = invitations.invite(demand, university, actor=host,
                                            achievement=achievement,
                                            message="欢迎贵校揭榜，期待合作。")
        if invitation.state == InvitationState.SENT:
            invitations.accept(invitation, actor=challenger)
            self.stdout.write(f"invitation to {demand.ref} accepted by challenger@demo.cn")

    def _agreement(self, demand, university, company, challenger):
        if IntentionAgreement.objects.filter(demand=demand).exists():
            return
        owns = demand.organisation.memberships.filter(user=company).exists()
        recorder = company if owns else get_user_model().objects.get(email="host.xian@demo.cn")
        agreement = agreements.record_agreement(
            demand, university, cooperation_mode="joint", amount="150",
            signed_on=timezone.localdate(), actor=recorder)
        owner = company if owns else demand.organisation.memberships.first().user
        agreements.confirm(agreement, actor=owner)
        agreements.confirm(agreement, actor=challenger)
        self.stdout.write(f"intention agreement on {demand.ref} confirmed by both sides")
