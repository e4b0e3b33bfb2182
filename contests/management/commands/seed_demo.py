"""Demo accounts, one per role, and the contest data a first visit needs to look alive.

Idempotent: accounts, organisations, memberships and demo content are created only when
missing, and passwords are printed only for accounts created by this run.
"""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import services as accounts_services
from accounts.agreements import current_agreement
from accounts.credit_code import check_character
from accounts.enums import AgreementKind, OrganisationKind, RoleCode
from accounts.models import Organisation
from contests import services
from contests.enums import Stage
from contests.models import ChallengeNotice, ComplaintChannel, HostUnit, WorkPlan
from contests.selectors import current_contest

DEFAULT_PASSWORD = "Challenge-2026"


def credit_code(first17):
    return first17 + check_character(first17)


ORGANISATIONS = {
    "company": {
        "name": "西安示例智能装备有限公司",
        "kind": OrganisationKind.ENTERPRISE,
        "credit_code": credit_code("91610131MA6TXXXXX"),
        "region": "610100",
        "address": "陕西省西安市高新区锦业路1号",
    },
    "university": {
        "name": "示例理工大学",
        "kind": OrganisationKind.UNIVERSITY,
        "credit_code": credit_code("12610000435200001"),
        "region": "610100",
        "address": "陕西省西安市雁塔区示例路2号",
    },
    "agency": {
        "name": "西安示例技术转移服务中心",
        "kind": OrganisationKind.ENTERPRISE,
        "credit_code": credit_code("91610131MA6TYYYYY"),
        "region": "610100",
        "address": "陕西省西安市高新区科技路3号",
    },
}

# (e-mail, full name, roles, organisation key, host unit slugs, signs the agreements)
ACCOUNTS = [
    ("torch@demo.cn", "火炬中心演示账号", [RoleCode.TORCH_STAFF], None, [], False),
    ("host.xian@demo.cn", "西安承办演示账号", [RoleCode.HOST_ORGANISER], None, ["xian"], False),
    ("host.beijing@demo.cn", "北京承办演示账号", [RoleCode.HOST_ORGANISER], None,
     ["zhongguancun", "beijing"], False),
    ("company@demo.cn", "需求方演示账号", [RoleCode.DEMAND_COMPANY], "company", [], False),
    ("challenger@demo.cn", "挑战者演示账号", [RoleCode.CHALLENGER], "university", [], True),
    ("expert@demo.cn", "评审专家演示账号", [RoleCode.EXPERT], None, [], True),
    ("agency@demo.cn", "服务机构演示账号", [RoleCode.SERVICE_AGENCY], "agency", [], False),
]

XIAN_PLAN = {
    "focus_areas": "光电芯片、人工智能、航空航天、新材料、智能制造等硬科技领域。",
    "goals": "聚焦硬科技产业链关键环节，征集一批企业真实技术需求，组织高校院所和科技企业揭榜比拼，"
             "促成产学研合作。",
    "target_demands": 260,
    "target_agreements": 60,
    "organisation": "西安市人民政府主办，西安市科技局具体承办，"
                    "各区县、开发区科技管理部门协同组织。",
    "service_agencies": "委托专业技术转移服务机构开展需求梳理分析、技术持有方寻找和后续跟踪服务。",
    "publicity": "通过中国创新挑战赛网站、西安科技大市场平台、微信公众号和新闻媒体"
                 "发布需求和赛事信息。",
    "support_policies": "对通过挑战赛签订技术合同的企业，按西安市技术转移相关政策给予补助；"
                        "优秀项目优先纳入市级科技计划给予支持。",
}

XIAN_STAGES = [
    (Stage.DEMAND_COLLECTION, (2021, 6, 1), (2021, 7, 31), "面向全市企业征集技术需求"),
    (Stage.EXPERT_ANALYSIS, (2021, 8, 1), (2021, 8, 20), "专家团队梳理分析，提出综合建议"),
    (Stage.DEMAND_PUBLISHING, (2021, 8, 21), (2021, 9, 10), "脱密后在官网集中发布"),
    (Stage.SOLUTION_COLLECTION, (2021, 9, 1), (2021, 10, 15), ""),
    (Stage.DOCKING, (2021, 10, 16), (2021, 11, 10), "当面对接、在线交流和视频会议"),
    (Stage.LIVE_ROUND, (2021, 11, 18), (2021, 11, 19), "竞争对接和现场比拼"),
    (Stage.AWARDS_AND_SERVICES, (2021, 11, 20), (2021, 12, 31), ""),
    (Stage.SUMMARY, (2022, 1, 4), (2022, 1, 28), "总结报告报送科技部火炬中心"),
]

XIAN_NOTICE_TITLE = "第六届中国创新挑战赛（西安）硬科技发展专题赛挑战须知"
XIAN_NOTICE_BODY = """一、参赛对象
在中国境内注册的高校、科研院所、企业及自然人均可作为挑战者参赛；境外技术持有方可通过境内机构参赛。

二、参赛方式
挑战者须在中国创新挑战赛网站注册，签署《保密协议》和《免责声明》后查阅需求详情，并在征集截止日期前提交解决方案（挑战报告）。

三、评价与奖励
需求方综合考虑解决方案的技术性、匹配度和合作前景，选择确定合作方并签订合作意向协议。胜出的挑战者获得由需求方支付的奖励资金；奖励资金仅用作奖励挑战者，不作为技术转让、技术许可或其他独占性合作的强制条件。

四、保密与知识产权
公开发布的需求已按需求方意愿隐去相关信息；进行公开比赛须征得需求方和挑战方的同意。

五、投诉与咨询
对赛事组织有异议的，可向本页公布的投诉受理机构反映，或拨打科技部火炬中心赛事投诉受理电话。"""

XIAN_CHANNELS = [
    {"name": "西安市科学技术局成果转化处", "phone": "029-86786000",
     "email": "complaints@xakj.example.cn", "address": "陕西省西安市未央区凤城八路109号",
     "position": 1},
    {"name": "西安科技大市场服务中心", "phone": "029-88866000",
     "email": "service@xatm.example.cn", "address": "陕西省西安市高新区科技路48号",
     "position": 2},
]

BEIJING_PLAN = {
    "focus_areas": "生物产业、新一代信息技术产业。",
    "goals": "服务首都高精尖产业发展，征集并发布企业技术需求，组织揭榜攻关。",
    "target_demands": 150,
    "target_agreements": 40,
    "organisation": "北京市科委、中关村管委会统筹，委托专业服务机构具体实施。",
}


class Command(BaseCommand):
    help = ("Create demo accounts (one per role, verified e-mail), a verified organisation for "
            "each organisation role, and Xi'an's approved work plan, challenge notice and "
            "complaint channels. Safe to run again; passwords are printed only on creation.")

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD,
                            help="password of the accounts created by this run")
        parser.add_argument("--allow-production", action="store_true",
                            help="run even though DEBUG is off (demo passwords are public)")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("DEBUG is off: demo accounts with a published password would be "
                               "created on a production site. Pass --allow-production to "
                               "do it anyway.")
        password = options["password"]
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        contest = current_contest()
        if contest is None:
            report = services.load_contest_file()
            self.stdout.write(f"Contest data loaded ({report.counts['host_units']} host units).")
            contest = current_contest()

        with transaction.atomic():
            users = self._accounts(password, contest)
            self._xian(users)
            self._beijing(users)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    # --- accounts -----------------------------------------------------------------------------
    def _accounts(self, password, contest):
        User = get_user_model()
        users = {}
        torch = None
        for email, full_name, roles, org_key, host_slugs, signs in ACCOUNTS:
            user = User.objects.filter(email=email).first()
            created = user is None
            if created:
                user = User.objects.create_user(email=email, password=password,
                                                full_name=full_name)
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            for code in roles:
                accounts_services.grant_role(user, code, actor=torch)
            if RoleCode.TORCH_STAFF in roles:
                torch = user
            for slug in host_slugs:
                services.add_host_member(HostUnit.objects.get(slug=slug), user, actor=torch)
            if org_key:
                self._organisation(user, ORGANISATIONS[org_key], verified_by=torch)
            if signs:
                self._sign_agreements(user, contest)
            users[email] = user
            label = ", ".join(str(RoleCode(code).label) for code in roles)
            if created:
                self.stdout.write(f"created  {email:<24} {label:<22} password: {password}")
            else:
                self.stdout.write(f"exists   {email:<24} {label:<22} (password unchanged)")
        return users

    def _organisation(self, user, spec, *, verified_by):
        """The demo organisation with the user as its administrator, verified by Torch staff.
        An organisation already registered under the code is used as it is."""
        organisation = Organisation.objects.filter(credit_code=spec["credit_code"]).first()
        if organisation is None:
            organisation = accounts_services.create_organisation(user, **spec)
        accounts_services.verify_organisation(organisation, verified_by)
        return organisation

    def _sign_agreements(self, user, contest):
        for kind in AgreementKind:
            agreement = current_agreement(contest, kind)
            if agreement is not None:
                accounts_services.sign_agreement(user, agreement, ip=None)

    # --- host content ---------------------------------------------------------------------------
    def _xian(self, users):
        xian = HostUnit.objects.get(slug="xian")
        host, torch = users["host.xian@demo.cn"], users["torch@demo.cn"]
        if not WorkPlan.objects.filter(host_unit=xian).exists():
            plan = services.start_work_plan(xian, actor=host)
            for name, value in XIAN_PLAN.items():
                setattr(plan, name, value)
            services.save_work_plan(plan, actor=host, stages=[
                {"stage": stage, "starts_on": datetime.date(*start),
                 "ends_on": datetime.date(*end), "note": note}
                for stage, start, end, note in XIAN_STAGES
            ])
            services.submit_work_plan(plan, actor=host)
            services.approve_work_plan(plan, actor=torch, comment="实施计划完整，同意按计划实施。")
            self.stdout.write("created  approved work plan of 西安市人民政府")
        if not ChallengeNotice.objects.filter(host_unit=xian).exists():
            notice = services.save_notice(
                ChallengeNotice(host_unit=xian, title=XIAN_NOTICE_TITLE, body=XIAN_NOTICE_BODY),
                actor=host,
            )
            services.publish_notice(notice, actor=host)
            self.stdout.write("created  published challenge notice of 西安市人民政府")
        if not ComplaintChannel.objects.filter(host_unit=xian).exists():
            for spec in XIAN_CHANNELS:
                services.save_complaint_channel(ComplaintChannel(host_unit=xian, **spec),
                                                actor=host)
            self.stdout.write("created  complaint channels of 西安市人民政府")

    def _beijing(self, users):
        """A submitted plan, so the Torch Center's review list is not empty."""
        beijing = HostUnit.objects.get(slug="beijing")
        host = users["host.beijing@demo.cn"]
        if WorkPlan.objects.filter(host_unit=beijing).exists():
            return
        plan = services.start_work_plan(beijing, actor=host)
        for name, value in BEIJING_PLAN.items():
            setattr(plan, name, value)
        stages = [
            {"stage": stage, "starts_on": datetime.date(2021, 6 + index, 1),
             "ends_on": datetime.date(2021, 6 + index, 25), "note": ""}
            for index, stage in enumerate(s for s in Stage if s != Stage.LIVE_ROUND)
        ]
        services.save_work_plan(plan, actor=host, stages=stages)
        services.submit_work_plan(plan, actor=host)
        self.stdout.write("created  submitted work plan of 北京市科委、中关村管委会 (event 5)")
