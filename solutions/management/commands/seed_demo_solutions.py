"""Demo solutions, a clarification thread and an overdue unanswered demand.

Run after ``seed_demo_demands`` (``make demo`` does). Uses challenger@demo.cn (its university)
and adds a second challenger organisation (a research institute, challenger.lab@demo.cn) so
that one demand has two competing solutions worth comparing. Every change goes through
``solutions.services``; the only direct write is moving one demo demand's publication date back
so that the unanswered board shows an overdue demand. Idempotent: an organisation that has a
solution to a demand is left alone there.
"""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts import services as accounts_services
from accounts.agreements import current_agreement
from accounts.credit_code import check_character
from accounts.enums import AgreementKind, OrganisationKind, RoleCode
from accounts.models import Organisation
from contests.management.commands.seed_demo import DEFAULT_PASSWORD
from contests.models import HostUnit
from demands.enums import DemandStatus
from demands.models import Demand
from solutions.enums import SolutionStatus
from solutions.models import ClarificationThread, Solution
from solutions.services import clarifications
from solutions.services import solutions as services

CHALLENGER = "challenger@demo.cn"
LAB = "challenger.lab@demo.cn"
COMPANY = "company@demo.cn"
HOST_XIAN = "host.xian@demo.cn"
HOST_BEIJING = "host.beijing@demo.cn"

LAB_ORGANISATION = {
    "name": "西安示例光电技术研究院",
    "kind": OrganisationKind.INSTITUTE,
    "credit_code": "12610000MB1L0AB0X" + check_character("12610000MB1L0AB0X"),
    "region": "610100",
    "address": "西安市高新区示例光电路9号",
}

COUPLING = "硅光芯片与光纤高效耦合封装"
# Published long ago and still unanswered: overdue on the Xi'an board.
OVERDUE = {
    "unit": "xian", "owner": "company", "target": DemandStatus.PUBLISHED,
    "fields": {
        "title": "高原型锂电池低温启动技术",
        "demand_type": "research",
        "keywords": ["锂电池", "低温", "高原"],
        "current_base": "公司生产储能与车用锂电池，在青藏地区有示范项目。",
        "key_problem": "-30℃环境下电池无法直接启动，预热能耗高、时间长。",
        "expected_outcome": "形成低温自加热或电解液改性方案并完成样品验证。",
        "outcome_forms": ["prototype", "report"],
        "cooperation_modes": ["commissioned", "joint"],
        "ip_ownership": "negotiable",
        "budget": 120, "prize": 5,
        "solution_deadline": datetime.date.today() + datetime.timedelta(days=45),
    },
    "indicators": [("-30℃可用容量", "≥80", "%", "45")],
}
SCREENING = "肿瘤早筛液体活检甲基化标志物验证"


def _content(demand, **fields):
    data = {"summary": "", "approach": "", "trl": 5, "ip_status": "none", "patent_numbers": [],
            "team_lead": "", "team_members": "", "team_institution": "", "cost": 100,
            "duration_months": 12, "cooperation_mode": (demand.cooperation_modes or [""])[0]}
    data.update(fields)
    return data


def _answers(demand, values):
    return {indicator.pk: {"promised_value": value, "verification": verification, "note": note}
            for indicator, (value, verification, note) in zip(demand.indicators.all(), values,
                                                              strict=False)}


class Command(BaseCommand):
    help = "Add demo solutions, a clarification thread and an overdue demand (idempotent)."

    def handle(self, *args, **options):
        User = get_user_model()
        users = {user.email: user for user in User.objects.filter(
            email__in=[CHALLENGER, COMPANY, HOST_XIAN, HOST_BEIJING])}
        missing = {CHALLENGER, COMPANY, HOST_XIAN} - set(users)
        if missing:
            raise CommandError(f"Run seed_demo and seed_demo_demands first ({', '.join(missing)}).")
        demands = {demand.title: demand for demand in Demand.objects.filter(
            title__in=[COUPLING, SCREENING], status=DemandStatus.PUBLISHED)}
        if COUPLING not in demands:
            raise CommandError("The demo demands are missing: run seed_demo_demands first.")
        with transaction.atomic():
            users[LAB] = self._lab_user(users[HOST_XIAN])
            self._coupling(demands[COUPLING], users)
            if SCREENING in demands:
                self._screening(demands[SCREENING], users)
            self._overdue()
        self.stdout.write(self.style.SUCCESS(
            f"Demo solutions ready ({Solution.objects.count()} solutions). "
            f"{LAB} is a second challenger (password as the other demo accounts)."))

    def _lab_user(self, any_staff):
        User = get_user_model()
        user = User.objects.filter(email=LAB).first()
        if user is None:
            password = DEFAULT_PASSWORD
            user = User.objects.create_user(email=LAB, password=password,
                                            full_name="研究院挑战者演示账号")
        EmailAddress.objects.update_or_create(user=user, email=LAB,
                                              defaults={"verified": True, "primary": True})
        accounts_services.grant_role(user, RoleCode.CHALLENGER, actor=None)
        organisation = Organisation.objects.filter(
            credit_code=LAB_ORGANISATION["credit_code"]).first()
        if organisation is None:
            organisation = accounts_services.create_organisation(user, **LAB_ORGANISATION)
        demand = Demand.objects.filter(title=COUPLING).select_related(
            "host_unit__event__contest").first()
        contest = demand.host_unit.event.contest
        for kind in AgreementKind:
            agreement = current_agreement(contest, kind)
            if agreement is not None:
                accounts_services.sign_agreement(user, agreement, ip=None)
        return user

    def _solution(self, demand, user, **fields):
        organisation = user.memberships.first().organisation
        existing = Solution.objects.filter(demand=demand, organisation=organisation).first()
        if existing is not None:
            return None
        answers = fields.pop("answers", [])
        return services.create_solution(
            demand, actor=user, organisation=organisation, data=_content(demand, **fields),
            answers=_answers(demand, answers))

    def _coupling(self, demand, users):
        """Two competing solutions, one revised after submission; a published Q&A."""
        university = self._solution(
            demand, users[CHALLENGER], title="基于倒锥形模斑转换器的端面耦合方案",
            summary="采用倒锥形模斑转换器与V型槽无源对准，降低端面耦合损耗并提高对准效率。",
            approach="1. 设计双层倒锥模斑转换器；2. 开发V型槽阵列无源对准工装；3. 中试验证。",
            trl=6, ip_status="granted", patent_numbers=["ZL200310102344.5"],
            team_lead="陈教授", team_members="光电子团队8人", team_institution="示例大学光电学院",
            cost=260, duration_months=12,
            answers=[("≤1.2 dB", "test_report", "第三方检测报告")])
        if university is not None:
            services.submit_solution(university, actor=users[CHALLENGER])
            services.update_solution(university, actor=users[CHALLENGER],
                                     data={"cost": 240, "duration_months": 11})
            services.decide_solution(university, SolutionStatus.SHORTLISTED,
                                     actor=users[COMPANY])
        lab = self._solution(
            demand, users[LAB], title="主动对准设备与光栅耦合混合方案",
            summary="以光栅耦合为主、端面耦合为辅，配套六轴主动对准设备，兼顾良率与效率。",
            approach="自研六轴主动对准平台，12个月完成样机与工艺包。", trl=5,
            ip_status="filed", patent_numbers=["CN101234567A"], team_lead="刘研究员",
            team_institution="西安示例光电技术研究院", cost=380, duration_months=15)
        if lab is not None:
            services.submit_solution(lab, actor=users[LAB])
        if not ClarificationThread.objects.filter(demand=demand).exists():
            thread = clarifications.ask(demand, asker=users[CHALLENGER],
                                        text="请问光纤阵列的通道数和间距是多少？样件由哪方提供？")
            clarifications.reply(thread, author=users[COMPANY],
                                 text="8通道，间距127微米；样件由需求方提供。")
            clarifications.publish(thread, actor=users[COMPANY],
                                   question="光纤阵列的通道数、间距及样件来源？",
                                   answer="8通道，间距127微米；样件由需求方提供。")

    def _screening(self, demand, users):
        """One declined with a reason, one selected; a draft elsewhere."""
        university = self._solution(
            demand, users[CHALLENGER], title="基于靶向测序的甲基化标志物验证方案",
            summary="利用已有队列样本进行靶向甲基化测序验证。", approach="回顾性队列+前瞻性验证。",
            trl=4, team_lead="王教授", cost=180, duration_months=18)
        if university is not None:
            services.submit_solution(university, actor=users[CHALLENGER])
            services.decide_solution(university, SolutionStatus.DECLINED,
                                     actor=users.get(HOST_BEIJING) or users[COMPANY],
                                     reason="样本量不足以支撑注册级验证，建议扩大前瞻性队列后再次参与。")
        lab = self._solution(
            demand, users[LAB], title="多中心甲基化标志物验证与试剂盒开发",
            summary="联合三家三甲医院开展多中心验证。", approach="多中心前瞻性研究。", trl=6,
            team_lead="刘研究员", cost=450, duration_months=24)
        if lab is not None:
            services.submit_solution(lab, actor=users[LAB])
            beijing_side = users.get(HOST_BEIJING)
            if beijing_side is not None:
                services.decide_solution(lab, SolutionStatus.SHORTLISTED, actor=beijing_side)
                services.decide_solution(lab, SolutionStatus.SELECTED, actor=beijing_side)

    def _overdue(self):
        """One published demo demand without any answer, published long enough ago to be
        overdue on the host unit's board: built like the demo demands (through the demand
        services), then its publication date moved back."""
        from demands.management.commands import seed_demo_demands as demand_seed

        demand = Demand.objects.filter(title=OVERDUE["fields"]["title"]).first()
        if demand is None:
            seeder = demand_seed.Command()
            users = seeder._users()
            organisation = Organisation.objects.get(
                credit_code=demand_seed.DEMO_ORGANISATIONS["company"]["credit_code"])
            unit = HostUnit.objects.select_related("event").get(slug="xian")
            demand = seeder._build(OVERDUE, users, unit, organisation)
        if demand.status != DemandStatus.PUBLISHED or demand.responses.exists():
            return
        limit = demand.host_unit.response_deadline_days
        old = timezone.now() - datetime.timedelta(days=limit + 5)
        if demand.published_at and demand.published_at > old:
            Demand.objects.filter(pk=demand.pk).update(published_at=old)
