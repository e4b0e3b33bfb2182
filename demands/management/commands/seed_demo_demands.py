"""Demo demands in every state of the workflow, across several host units.

Run after ``seed_demo`` (``make demo`` does): it uses its accounts (company@demo.cn,
host.xian@demo.cn, host.beijing@demo.cn, expert@demo.cn, challenger@demo.cn). Every demand is
taken through ``demands.services`` (and ``demands.services.access``), so the history, audit log and
public index are what real use would leave. Idempotent: a demand whose title the organisation
already has is left alone.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.credit_code import check_character
from accounts.enums import MembershipRole, MembershipState, OrganisationKind
from accounts.models import Membership, Organisation
from contests.management.commands.seed_demo import ORGANISATIONS as DEMO_ORGANISATIONS
from contests.models import HostUnit
from demands import services
from demands.enums import AnalysisVerdict, DemandStatus
from demands.models import Demand
from demands.services import access, contacts

COMPANY = "company@demo.cn"
HOST_XIAN = "host.xian@demo.cn"
HOST_BEIJING = "host.beijing@demo.cn"
EXPERT = "expert@demo.cn"
CHALLENGER = "challenger@demo.cn"

# A second demand company, whose demands the Beijing host staff enter on its behalf.
BEIJING_COMPANY = {
    "name": "北京示例精准医疗科技有限公司",
    "kind": OrganisationKind.ENTERPRISE,
    "credit_code": "91110108MA01BJYL2" + check_character("91110108MA01BJYL2"),
    "region": "110000",
    "address": "北京市海淀区中关村示例大街18号",
}


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


# Each demand: where it is filed, who files it, its content and where the workflow leaves it.
# ``target`` is the final state; ``hidden`` / ``passages`` what the public does not see.
DEMANDS = [
    {
        "unit": "xian", "owner": "company", "target": DemandStatus.DRAFT,
        "fields": {
            "title": "高强铝合金焊接工艺优化",
            "key_problem": "7系高强铝合金薄板MIG焊接时焊缝气孔率偏高，接头强度系数不足0.7。",
            "keywords": ["铝合金", "焊接"],
        },
        "indicators": [],
    },
    {
        "unit": "xian", "owner": "company", "target": DemandStatus.SUBMITTED,
        "fields": {
            "title": "工业视觉检测芯片国产化",
            "demand_type": "product",
            "keywords": ["机器视觉", "芯片", "缺陷检测"],
            "current_base": "公司已量产基于进口FPGA的视觉检测模组，年出货约3000套，"
                            "用于锂电极片表面检测。",
            "key_problem": "进口FPGA供货周期长、成本高，需要一款国产视觉处理芯片，"
                           "在产线上实时检测0.05mm级划痕与漏涂缺陷。",
            "expected_outcome": "完成国产视觉处理芯片样片及配套算法，替换现有模组中的进口器件。",
            "outcome_forms": ["prototype", "software", "patent"],
            "time_requirement": "18个月内完成样片流片与产线验证",
            "cooperation_modes": ["joint", "commissioned"],
            "ip_ownership": "shared",
            "challenger_conditions": "具备数字芯片设计与流片经验，有机器视觉算法团队。",
            "budget": 800, "prize": 20, "solution_deadline": _days(75),
        },
        "indicators": [("检测速度", "≥120", "帧/秒", "60"), ("最小可检缺陷", "≤0.05", "mm", "0.1"),
                       ("单片功耗", "≤5", "W", "12")],
    },
    {
        "unit": "xian", "owner": "company", "target": DemandStatus.IN_ANALYSIS,
        "fields": {
            "title": "动力电池包快充热管理系统优化",
            "demand_type": "research",
            "keywords": ["动力电池", "热管理", "液冷", "快充"],
            "current_base": "公司具备液冷板设计与试制能力，电池包年产能2万套，配套商用车。",
            "key_problem": "4C快充工况下电芯间最大温差超过8℃，"
                           "需要在不明显增加系统能耗的前提下将温差控制在3℃以内。",
            "expected_outcome": "形成可量产的热管理方案，完成电池包样机验证。",
            "outcome_forms": ["prototype", "process", "patent"],
            "time_requirement": "12个月内完成样机验证",
            "cooperation_modes": ["joint"],
            "ip_ownership": "shared",
            "challenger_conditions": "具备电池热管理仿真与台架试验能力。",
            "budget": 300, "prize": 10, "solution_deadline": _days(60),
        },
        "indicators": [("电芯最大温差", "≤3", "℃", "8"), ("液冷系统能耗降低", "≥15", "%", "0")],
        "experts": True,
    },
    {
        "unit": "xian", "owner": "company", "target": DemandStatus.IN_ANALYSIS,
        "fields": {
            "title": "碳化硅功率模块封装散热",
            "demand_type": "process",
            "keywords": ["碳化硅", "功率模块", "封装", "散热"],
            "current_base": "已建成硅基IGBT模块封装线，正在导入碳化硅器件。",
            "key_problem": "碳化硅模块结温高、功率密度大，"
                           "现有焊料层与基板在功率循环中易出现分层，热阻偏高。",
            "expected_outcome": "提出银烧结等封装工艺方案并完成可靠性验证。",
            "outcome_forms": ["process", "patent", "report"],
            "time_requirement": "9个月",
            "cooperation_modes": ["commissioned", "consulting"],
            "ip_ownership": "demand_side",
            "challenger_conditions": "具备功率器件封装与可靠性测试平台。",
            "budget": 150, "prize": 8, "solution_deadline": _days(90),
        },
        "indicators": [("结到壳热阻", "≤0.15", "K/W", "0.25"),
                       ("功率循环次数", "≥50000", "次", "20000")],
        "experts": True,
        "analysis": ("需求聚焦封装可靠性，指标量化清楚；建议补充工作结温范围。",
                     "建议面向高校封装实验室与银烧结材料企业定向推送。", AnalysisVerdict.REVISE),
        "proposal": {"title": "碳化硅功率模块高可靠封装与散热技术"},
    },
    {
        "unit": "xian", "owner": "company", "target": DemandStatus.RETURNED,
        "fields": {
            "title": "航空发动机叶片热障涂层寿命提升",
            "demand_type": "research",
            "keywords": ["热障涂层", "叶片", "航空发动机"],
            "key_problem": "现有涂层在热循环试验中剥落较早，寿命不足设计要求。",
            "expected_outcome": "涂层热循环寿命显著提升。",
            "outcome_forms": ["process"],
            "cooperation_modes": ["joint"],
            "solution_deadline": _days(120),
        },
        "indicators": [("热循环寿命", "≥1000", "次", "400")],
        "comment": "请补充涂层体系、基体材料和试验条件，并量化目标寿命的测试方法。",
    },
    {
        "unit": "xian", "owner": "company", "target": DemandStatus.PUBLISHED,
        "fields": {
            "title": "硅光芯片与光纤高效耦合封装",
            "demand_type": "research",
            "keywords": ["硅光", "光电芯片", "耦合封装"],
            "current_base": "公司为华为海思配套光模块，已具备400G光模块组装线。",
            "key_problem": "硅光芯片端面耦合损耗偏高、对准效率低，制约800G光模块量产良率。",
            "expected_outcome": "形成低损耗、可批量的耦合封装工艺和专用对准设备方案。",
            "outcome_forms": ["process", "prototype", "patent"],
            "time_requirement": "12个月内完成工艺验证",
            "cooperation_modes": ["joint", "transfer"],
            "ip_ownership": "negotiable",
            "challenger_conditions": "具备硅光器件设计或精密光学对准设备研发经验。",
            "budget": 500, "prize": 15, "solution_deadline": _days(45),
            "address": "陕西省西安市高新区锦业路1号光电园3号楼",
            "contact_consents_sharing": True,
        },
        "indicators": [("单端耦合损耗", "≤1.5", "dB", "3"), ("单通道对准时间", "≤30", "秒", "180")],
        "hidden": ["organisation", "phone", "address"],
        "passages": ["为华为海思配套光模块"],
        "access_request": "我校光电子团队长期从事硅光耦合研究，希望了解需求方的具体工艺条件。",
    },
    {
        "unit": "xian", "owner": "company", "target": DemandStatus.CLOSED,
        "fields": {
            "title": "数控机床主轴热变形补偿",
            "demand_type": "supporting",
            "keywords": ["数控机床", "主轴", "热变形"],
            "current_base": "公司生产立式加工中心，年产500台。",
            "key_problem": "主轴连续运行2小时后热伸长约30μm，影响精密零件加工精度。",
            "expected_outcome": "完成热变形实时补偿系统并装机验证。",
            "outcome_forms": ["software", "prototype"],
            "time_requirement": "6个月",
            "cooperation_modes": ["commissioned"],
            "ip_ownership": "demand_side",
            "challenger_conditions": "具备机床误差建模与数控系统二次开发能力。",
            "budget": 80, "prize": 5, "solution_deadline": _days(30),
        },
        "indicators": [("补偿后热误差", "≤5", "μm", "30")],
    },
    {
        "unit": "zhongguancun", "owner": "beijing", "target": DemandStatus.APPROVED,
        "fields": {
            "title": "基因测序样本前处理自动化",
            "demand_type": "product",
            "keywords": ["基因测序", "自动化", "样本前处理"],
            "current_base": "公司运营第三方医学检验实验室，日处理样本约2000份。",
            "key_problem": "核酸提取与建库环节依赖人工操作，通量低且易交叉污染。",
            "expected_outcome": "研制全自动样本前处理工作站样机。",
            "outcome_forms": ["prototype", "software"],
            "time_requirement": "12个月",
            "cooperation_modes": ["commissioned", "joint"],
            "ip_ownership": "shared",
            "challenger_conditions": "具备液体处理机器人或医疗器械研发与注册经验。",
            "budget": 400, "prize": 10, "solution_deadline": _days(80),
        },
        "indicators": [("单批通量", "≥96", "样本", "24"), ("交叉污染率", "≤0.01", "%", "0.1")],
    },
    {
        "unit": "beijing", "owner": "beijing", "target": DemandStatus.PUBLISHED,
        "fields": {
            "title": "肿瘤早筛液体活检甲基化标志物验证",
            "demand_type": "research",
            "keywords": ["液体活检", "甲基化", "肿瘤早筛"],
            "current_base": "已建立2000例结直肠癌队列样本库。",
            "key_problem": "候选甲基化标志物组合在早期病例中灵敏度不足，"
                           "需要独立队列验证与模型优化。",
            "expected_outcome": "完成多中心验证并形成检测试剂盒原型。",
            "outcome_forms": ["prototype", "report", "patent"],
            "time_requirement": "18个月",
            "cooperation_modes": ["joint", "service"],
            "ip_ownership": "negotiable",
            "challenger_conditions": "具备临床样本资源与生物信息分析能力的医院或科研院所。",
            "budget": 600, "prize": 20, "solution_deadline": _days(100),
        },
        "indicators": [("早期灵敏度", "≥80", "%", "62"), ("特异性", "≥95", "%", "93")],
        "hidden": ["budget"],
        "accepted_wording": {"key_problem": "结直肠癌早筛甲基化标志物在早期病例中灵敏度不足，"
                                            "需要独立队列验证并优化判读模型。"},
    },
    {
        "unit": "beijing", "owner": "beijing", "target": DemandStatus.REJECTED,
        "fields": {
            "title": "实验室信息管理系统采购",
            "demand_type": "other",
            "keywords": ["LIMS", "信息系统"],
            "key_problem": "需要采购一套成熟的实验室信息管理系统。",
            "expected_outcome": "系统上线运行。",
            "outcome_forms": ["software"],
            "cooperation_modes": ["service"],
            "solution_deadline": _days(40),
        },
        "indicators": [("上线时间", "≤3", "月", "")],
        "comment": "属于成熟产品采购，不是技术攻关需求，建议通过政府采购渠道解决。",
    },
    {
        "unit": "zhongguancun", "owner": "beijing", "target": DemandStatus.WITHDRAWN,
        "fields": {
            "title": "冷链样本运输温度追溯",
            "demand_type": "supporting",
            "keywords": ["冷链", "温度追溯"],
            "key_problem": "样本运输途中温度记录不连续，无法追溯异常。",
            "expected_outcome": "低成本全程温度追溯方案。",
            "outcome_forms": ["prototype"],
            "cooperation_modes": ["commissioned"],
            "solution_deadline": _days(50),
        },
        "indicators": [("记录间隔", "≤1", "分钟", "15")],
    },
]

CONTACTS = {
    "company": {"contact_person": "王建国", "contact_mobile": "13991234567",
                "contact_landline": "029-88886666", "contact_email": "wangjg@demo-company.cn",
                "region": "610100", "address": "陕西省西安市高新区锦业路1号"},
    "beijing": {"contact_person": "李晓梅", "contact_mobile": "13801234567",
                "contact_landline": "010-62345678", "contact_email": "lixm@demo-bio.cn",
                "region": "110000", "address": BEIJING_COMPANY["address"]},
}


class Command(BaseCommand):
    help = ("Create demo demands in every workflow state across the Xi'an, Zhongguancun and "
            "Beijing host units (run seed_demo first). Safe to run again.")

    def handle(self, *args, **options):
        users = self._users()
        units = {slug: HostUnit.objects.select_related("event").get(slug=slug)
                 for slug in {item["unit"] for item in DEMANDS}}
        owners = {"company": Organisation.objects.get(
                      credit_code=DEMO_ORGANISATIONS["company"]["credit_code"]),
                  "beijing": self._beijing_company(users[COMPANY])}
        created = 0
        for item in DEMANDS:
            organisation = owners[item["owner"]]
            if Demand.objects.filter(organisation=organisation,
                                     title=item["fields"]["title"]).exists():
                continue
            with transaction.atomic():
                demand = self._build(item, users, units[item["unit"]], organisation)
            created += 1
            self.stdout.write(f"created  {demand.ref}  {demand.get_status_display():<10} "
                              f"{demand.title}")
        self.stdout.write(self.style.SUCCESS(f"Demo demands ready ({created} created)."))

    def _users(self):
        User = get_user_model()
        emails = [COMPANY, HOST_XIAN, HOST_BEIJING, EXPERT, CHALLENGER]
        users = {user.email: user for user in User.objects.filter(email__in=emails)}
        missing = sorted(set(emails) - set(users))
        if missing:
            raise CommandError(f"Run `manage.py seed_demo` first; missing: {', '.join(missing)}")
        return users

    def _beijing_company(self, company_user):
        organisation, _created = Organisation.objects.get_or_create(
            credit_code=BEIJING_COMPANY["credit_code"],
            defaults={**BEIJING_COMPANY, "verified": True, "verified_at": timezone.now()},
        )
        # The demo company account administers both companies, so it sees both sides.
        Membership.objects.get_or_create(
            user=company_user, organisation=organisation,
            defaults={"role": MembershipRole.ADMIN, "state": MembershipState.ACTIVE,
                      "decided_at": timezone.now()},
        )
        return organisation

    def _build(self, item, users, unit, organisation):
        company, expert = users[COMPANY], users[EXPERT]
        host = users[HOST_XIAN] if unit.slug == "xian" else users[HOST_BEIJING]
        on_behalf = item["owner"] == "beijing"
        fields = {**CONTACTS[item["owner"]], **item["fields"],
                  "industry_field": unit.fields.order_by("code").first(),
                  "hidden_fields": item.get("hidden", []),
                  "hidden_passages": item.get("passages", [])}
        indicators = [{"name": n, "target_value": t, "unit": u, "current_value": c}
                      for n, t, u, c in item["indicators"]]
        author = host if on_behalf else company
        demand = services.create_demand(actor=author, organisation=organisation,
                                        host_unit=unit, fields=fields, indicators=indicators,
                                        entered_by_host=on_behalf)
        if item["fields"].get("contact_consents_sharing"):
            # The demo contact person answers the e-mailed link (demands.services.contacts).
            contacts.confirm_contact_consent(contacts.contact_consent_token(demand), agree=True)
        target = item["target"]
        if target == DemandStatus.DRAFT:
            return demand
        services.submit(demand, actor=author)
        if target == DemandStatus.WITHDRAWN:
            services.transition(demand, DemandStatus.WITHDRAWN, actor=author,
                                reason="需求方已通过其他渠道解决。")
            return demand
        if target == DemandStatus.SUBMITTED:
            return demand
        if item.get("experts") or target in (DemandStatus.PUBLISHED, DemandStatus.CLOSED):
            services.assign_experts(demand, [expert], actor=host)
            if "analysis" in item:
                analysis, recommendations, verdict = item["analysis"]
                services.save_analysis(demand, expert=expert, analysis=analysis,
                                       recommendations=recommendations, verdict=verdict)
            elif target != DemandStatus.IN_ANALYSIS:
                services.save_analysis(
                    demand, expert=expert, verdict=AnalysisVerdict.PUBLISH,
                    analysis="需求背景清楚，关键技术问题明确，技术指标可量化、可验证。",
                    recommendations="建议按现有表述发布，并向相关领域高校院所定向推送。")
            if "proposal" in item:
                services.propose_wording(demand, actor=expert, texts=item["proposal"],
                                         note="标题更突出技术方向，便于挑战者检索。")
        if target == DemandStatus.IN_ANALYSIS:
            return demand
        if target in (DemandStatus.RETURNED, DemandStatus.REJECTED):
            services.transition(demand, target, actor=host, reason=item["comment"])
            return demand
        services.transition(demand, DemandStatus.APPROVED, actor=host, reason="同意发布。")
        if "accepted_wording" in item:
            proposal = services.propose_wording(demand, actor=host,
                                                texts=item["accepted_wording"])
            services.decide_proposal(proposal, actor=company, accept=True)
        if target == DemandStatus.APPROVED:
            return demand
        services.transition(demand, DemandStatus.PUBLISHED, actor=host)
        if "access_request" in item:
            access.request_access(demand, user=users[CHALLENGER],
                                  message=item["access_request"])
        if target == DemandStatus.CLOSED:
            services.transition(demand, DemandStatus.CLOSED, actor=host,
                                reason="已与挑战者签订合作意向协议。")
        return demand
