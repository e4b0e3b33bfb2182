"""Demo live rounds, after the other demo seeds (``make demo``):

- a finished, public round (every side consented) on a Xi'an demand with three shortlisted
  challengers (challenger@demo.cn's university, challenger.lab@demo.cn's institute and
  challenger.power@demo.cn's company), four judges (company@demo.cn for the demand side,
  expert@demo.cn, expert.li@demo.cn and expert.zhao@demo.cn, who recused with a reason), all
  sheets submitted, the partner selected by the demand side (its intention agreement awaits
  both confirmations);
- a round in progress (scoring) on another Xi'an demand: expert@demo.cn has a draft sheet,
  expert.li@demo.cn has submitted one; host.xian@demo.cn sees the progress and the pitch timer.

Everything goes through the services; the one direct write moves the finished round's start
into the past (consent is only taken before a round starts). Idempotent: a demand that has a
round is left alone.
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
from matching.enums import JudgeKind, RoundPart
from matching.models import LiveRound
from matching.services import rounds
from solutions.enums import SolutionStatus
from solutions.management.commands.seed_demo_solutions import _answers, _content
from solutions.models import Solution
from solutions.services import solutions as solution_services

POWER = {
    "email": "challenger.power@demo.cn",
    "full_name": "功率半导体挑战者演示账号",
    "organisation": {
        "name": "西安示例功率半导体有限公司",
        "kind": OrganisationKind.ENTERPRISE,
        "credit_code": "91610131MA6U0PW01" + check_character("91610131MA6U0PW01"),
        "region": "610100",
        "address": "西安市高新区示例功率路3号",
    },
}
EXPERTS = [("expert.li@demo.cn", "李评审专家"), ("expert.zhao@demo.cn", "赵评审专家")]

FINISHED = {
    "unit": "xian",
    "owner": "company",
    "target": DemandStatus.PUBLISHED,
    "fields": {
        "title": "车规级SiC功率模块双面散热封装",
        "demand_type": "research",
        "keywords": ["SiC", "功率模块", "双面散热"],
        "current_base": "公司量产电机控制器，现用单面散热IGBT模块。",
        "key_problem": "SiC模块功率密度提升后结温过高，需双面散热封装降低热阻。",
        "expected_outcome": "完成双面散热封装样品，结壳热阻降低30%以上。",
        "outcome_forms": ["prototype", "report"],
        "cooperation_modes": ["joint", "commissioned"],
        "ip_ownership": "negotiable",
        "budget": 300,
        "prize": 10,
        "solution_deadline": datetime.date.today() + datetime.timedelta(days=60),
    },
    "indicators": [("结壳热阻降低", "≥30", "%", "0")],
}
IN_PROGRESS = {
    "unit": "xian",
    "owner": "company",
    "target": DemandStatus.PUBLISHED,
    "fields": {
        "title": "储能电站电池簇一致性在线评估",
        "demand_type": "research",
        "keywords": ["储能", "电池一致性", "在线评估"],
        "current_base": "公司运营多座储能电站，已有BMS数据平台。",
        "key_problem": "电池簇不一致导致可用容量下降，缺少在线评估与均衡策略。",
        "expected_outcome": "形成在线一致性评估模型并在一座电站验证。",
        "outcome_forms": ["software", "report"],
        "cooperation_modes": ["joint"],
        "ip_ownership": "negotiable",
        "budget": 150,
        "prize": 5,
        "solution_deadline": datetime.date.today() + datetime.timedelta(days=60),
    },
    "indicators": [("容量估计误差", "≤3", "%", "8")],
}


class Command(BaseCommand):
    help = "Demo live rounds: one finished and public, one in progress (idempotent)."

    def handle(self, *args, **options):
        User = get_user_model()
        emails = [
            "challenger@demo.cn",
            "challenger.lab@demo.cn",
            "company@demo.cn",
            "host.xian@demo.cn",
            "expert@demo.cn",
        ]
        users = {u.email: u for u in User.objects.filter(email__in=emails)}
        if set(emails) - set(users):
            raise CommandError("Run seed_demo, seed_demo_demands and seed_demo_solutions first.")
        with transaction.atomic():
            power = self._challenger(POWER)
            experts = [self._expert(email, name) for email, name in EXPERTS]
            self._finished(users, power, experts)
            self._in_progress(users, experts)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo live rounds ready ({LiveRound.objects.count()} rounds). "
                f"{POWER['email']}, {EXPERTS[0][0]} and {EXPERTS[1][0]} use the demo password."
            )
        )

    # --- accounts --------------------------------------------------------------------------------
    def _account(self, email, full_name, role):
        User = get_user_model()
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEFAULT_PASSWORD, full_name=full_name
            )
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        accounts_services.grant_role(user, role, actor=None)
        contest = HostUnit.objects.select_related("event__contest").get(slug="xian").event.contest
        for kind in AgreementKind:
            agreement = current_agreement(contest, kind)
            if agreement is not None:
                accounts_services.sign_agreement(user, agreement, ip=None)
        return user

    def _challenger(self, spec):
        user = self._account(spec["email"], spec["full_name"], RoleCode.CHALLENGER)
        organisation = Organisation.objects.filter(
            credit_code=spec["organisation"]["credit_code"]
        ).first()
        if organisation is None:
            accounts_services.create_organisation(user, **spec["organisation"])
        return user

    def _expert(self, email, full_name):
        return self._account(email, full_name, RoleCode.EXPERT)

    # --- demands and solutions --------------------------------------------------------------------
    def _demand(self, spec):
        from demands.management.commands import seed_demo_demands as demand_seed

        demand = Demand.objects.filter(title=spec["fields"]["title"]).first()
        if demand is None:
            seeder = demand_seed.Command()
            organisation = Organisation.objects.get(
                credit_code=demand_seed.DEMO_ORGANISATIONS["company"]["credit_code"]
            )
            unit = HostUnit.objects.select_related("event").get(slug="xian")
            demand = seeder._build(spec, seeder._users(), unit, organisation)
        return demand

    def _shortlisted(self, demand, user, company, **fields):
        organisation = user.memberships.first().organisation
        solution = Solution.objects.filter(demand=demand, organisation=organisation).first()
        if solution is None:
            fields = {
                "approach": "第一阶段完成设计与仿真，第二阶段试制样品并由需求方验证。",
                "team_lead": user.get_full_name() or "项目负责人",
                "team_members": "课题组6人",
                "duration_months": 12,
                **fields,
            }
            solution = solution_services.create_solution(
                demand,
                actor=user,
                organisation=organisation,
                data=_content(demand, **fields),
                answers=_answers(demand, [("≥30", "test_report", "第三方检测")]),
            )
            solution_services.submit_solution(solution, actor=user)
        if solution.status == SolutionStatus.SUBMITTED:
            solution_services.decide_solution(solution, SolutionStatus.SHORTLISTED, actor=company)
        return solution

    def _round(self, demand, solutions, host, *, title, starts_at):
        agenda = [
            (RoundPart.DOCKING, "需求方介绍技术需求", 10, None),
            (RoundPart.DOCKING, "挑战方与需求方竞争对接问答", 30, None),
        ]
        agenda += [
            (RoundPart.PITCHING, f"现场比拼：{s.organisation.name}", 10, s) for s in solutions
        ]
        return rounds.create_round(
            demand,
            title=title,
            starts_at=starts_at,
            venue="西安高新区科技大市场路演厅",
            link="",
            solutions=solutions,
            agenda=agenda,
            actor=host,
        )

    # --- the finished, public round ---------------------------------------------------------------
    def _finished(self, users, power, experts):
        demand = self._demand(FINISHED)
        if demand.live_rounds.exists() or demand.status != DemandStatus.PUBLISHED:
            return
        company, host = users["company@demo.cn"], users["host.xian@demo.cn"]
        solutions = [
            self._shortlisted(
                demand,
                users["challenger@demo.cn"],
                company,
                title="银烧结双面散热SiC模块封装方案",
                trl=6,
                cost=220,
                summary="银烧结芯片互连与双面覆铜陶瓷基板，结壳热阻降低38%。",
            ),
            self._shortlisted(
                demand,
                users["challenger.lab@demo.cn"],
                company,
                title="嵌入式微通道双面冷却方案",
                trl=5,
                cost=280,
                summary="在基板内嵌微通道实现双面直接液冷。",
            ),
            self._shortlisted(
                demand,
                power,
                company,
                title="压接式SiC模块封装方案",
                trl=7,
                cost=350,
                summary="无焊料压接结构，双面散热并提高功率循环寿命。",
            ),
        ]
        live_round = self._round(
            demand,
            solutions,
            host,
            title="SiC功率模块散热现场赛",
            starts_at=timezone.now() + datetime.timedelta(hours=1),
        )
        rounds.answer_consent(live_round, demand.organisation, given=True, actor=company)
        for solution, user in zip(
            solutions,
            [users["challenger@demo.cn"], users["challenger.lab@demo.cn"], power],
            strict=True,
        ):
            rounds.answer_consent(live_round, solution.organisation, given=True, actor=user)
        judges = [rounds.invite_judge(live_round, company, kind=JudgeKind.DEMAND_SIDE, actor=host)]
        judges += [
            rounds.invite_judge(live_round, user, kind=JudgeKind.EXPERT, actor=host)
            for user in [users["expert@demo.cn"], *experts]
        ]
        rounds.declare_conflict(
            judges[-1],
            None,
            reason="曾与其中一家挑战方合作承担课题，主动回避。",
            actor=judges[-1].user,
        )
        rounds.open_scoring(live_round, actor=host)
        table = {  # per judge: per challenger, 技术性/匹配度/合作前景
            0: [(86, 88, 85), (80, 78, 82), (84, 80, 79)],
            1: [(90, 87, 88), (82, 80, 78), (85, 83, 80)],
            2: [(78, 80, 76), (74, 75, 73), (79, 77, 74)],
        }
        criteria = list(live_round.criteria.all())
        entries = list(live_round.entries.all())
        names = ["王建国", "专家甲", "李评审专家"]
        for index, rows in table.items():
            for entry, row in zip(entries, rows, strict=True):
                if rounds.conflicted(judges[index], entry):
                    # A conflict found from the demo's data (the company signed an intention
                    # agreement with challenger@demo.cn's organisation): that sheet stays empty.
                    continue
                rounds.save_scores(
                    live_round,
                    entry,
                    user=judges[index].user,
                    values={c.pk: str(v) for c, v in zip(criteria, row, strict=True)},
                    comment="方案可行，建议尽快开展样品验证。",
                )
                rounds.submit_sheet(
                    live_round, entry, user=judges[index].user, signed_name=names[index]
                )
        rounds.finish(live_round, actor=host)
        LiveRound.objects.filter(pk=live_round.pk).update(
            starts_at=timezone.now() - datetime.timedelta(days=3)
        )
        live_round.refresh_from_db()
        rounds.select_partner(live_round, entries[0], actor=company)

    # --- the round in progress --------------------------------------------------------------------
    def _in_progress(self, users, experts):
        demand = self._demand(IN_PROGRESS)
        if demand.live_rounds.exists() or demand.status != DemandStatus.PUBLISHED:
            return
        company, host = users["company@demo.cn"], users["host.xian@demo.cn"]
        solutions = [
            self._shortlisted(
                demand,
                users["challenger@demo.cn"],
                company,
                title="基于电化学阻抗谱的一致性在线评估",
                trl=5,
                cost=120,
                summary="在线阻抗谱测量结合机器学习评估电池簇一致性。",
            ),
            self._shortlisted(
                demand,
                users["challenger.lab@demo.cn"],
                company,
                title="数据驱动的电池簇一致性评估与均衡",
                trl=6,
                cost=140,
                summary="基于BMS历史数据的一致性评估与主动均衡策略。",
            ),
        ]
        live_round = self._round(
            demand,
            solutions,
            host,
            title="储能电池一致性现场赛",
            starts_at=timezone.now() + datetime.timedelta(days=2),
        )
        rounds.answer_consent(live_round, demand.organisation, given=True, actor=company)
        expert, li = users["expert@demo.cn"], experts[0]
        for user in (expert, li):
            rounds.invite_judge(live_round, user, kind=JudgeKind.EXPERT, actor=host)
        rounds.open_scoring(live_round, actor=host)
        criteria = list(live_round.criteria.all())
        first = live_round.entries.first()
        rounds.save_scores(
            live_round, first, user=expert, values={criteria[0].pk: "82", criteria[1].pk: "79"}
        )
        rounds.save_scores(
            live_round,
            first,
            user=li,
            values={c.pk: v for c, v in zip(criteria, ("85", "80", "83"), strict=True)},
        )
        rounds.submit_sheet(live_round, first, user=li, signed_name="李评审专家")
