"""``manage.py generate_demands --count 100000 [--seed N] [--batch 2000] [--reset]``

Fills the database with published (and some closed) demands of realistic Chinese text, without
network: titles, problems, outcomes, indicators and keywords are composed from phrase banks per
industry, spread over the current contest's 33 host units (run ``load_contest`` first), filed by
organisations with valid unified social credit codes, a share of them with hidden fields and
hidden passages. It is the data of ``python -m bench`` and of a staging database.

Speed: demands, indicators and organisations are written with ``bulk_create`` in batches; the
public snapshot and the search columns are computed before the insert by the portal's own
functions (``demands.public.project`` and ``demands.search.DEMANDS.columns``, through
:func:`index_values`), with jieba running in ``--workers`` processes.

Generated rows are recognisable: their organisations' credit codes carry ``BENCH`` as the
first five characters of the organisation code (positions 9–13), a range no real code uses,
and the one user who "created" them has an address at ``generated.invalid``. ``--reset``
deletes exactly those rows (and the demands of those organisations).
"""

import contextlib
import multiprocessing
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.credit_code import ALPHABET, check_character
from accounts.enums import OrganisationKind
from accounts.models import Organisation, User
from common.regions import LOCALITIES, PROVINCES
from common.search import tokenizer
from contests.models import HostUnit
from contests.selectors import current_contest
from demands import public, search
from demands.enums import (
    CooperationMode,
    DemandStatus,
    DemandType,
    HideableField,
    IPOwnership,
    OutcomeForm,
)
from demands.models import Demand, Indicator
from demands.public_cache import PUBLIC_PAGES
from demands.services import format_reference

# --- markers of generated rows ----------------------------------------------------------------
CODE_MARKER = "BENCH"             # positions 9-13 of a generated organisation's credit code
CODE_MARKER_REGEX = r"^.{8}BENCH"
GENERATOR_EMAIL = "generate_demands@generated.invalid"

# Shares of the generated population.
CLOSED_SHARE = 0.08
NATIONAL_SHARE = 0.05
HIDDEN_PASSAGE_SHARE = 0.15
HIDE_SHARES = {
    HideableField.ORGANISATION: 0.30,
    HideableField.CONTACT_PERSON: 0.10,
    HideableField.PHONE: 0.25,
    HideableField.EMAIL: 0.15,
    HideableField.ADDRESS: 0.20,
    HideableField.BUDGET: 0.20,
    HideableField.PRIZE: 0.05,
}
DEMANDS_PER_ORGANISATION = 4

# --- phrase banks ------------------------------------------------------------------------------
# One bank per technology domain. Every demand draws its texts from one bank; fields such as
# 硬科技 or 区域协同发展 draw from several (FIELD_BANKS). Recall checks rely on 电池 and 芯片
# occurring in several banks, in titles, keywords and running text.
BANKS = {
    "energy": {
        "subjects": ["动力电池", "储能电池", "固态电池", "钠离子电池", "锂离子电池包", "光伏组件",
                     "钙钛矿电池", "风电叶片", "氢燃料电池电堆", "电池管理系统", "大功率充电桩",
                     "光伏逆变器", "碱性电解槽", "液流电池", "储能变流器"],
        "aspects": ["热失控预警", "固态电解质界面稳定性", "光伏组件衰减", "低温容量衰减",
                    "快充析锂抑制", "循环寿命提升", "电芯一致性检测", "热管理", "电池健康状态估计",
                    "功率密度提升", "隔膜闭孔性能", "极片涂布均匀性", "氢气渗透抑制",
                    "叶片前缘腐蚀防护", "并网谐波抑制"],
        "scenarios": ["新能源汽车", "电网侧储能", "分布式光伏电站", "海上风电场", "重卡换电站",
                      "工商业储能", "高寒地区", "数据中心备用电源"],
        "methods": ["多物理场耦合仿真", "电化学阻抗谱分析", "数据驱动的状态估计", "原位表征",
                    "干法电极工艺", "激光焊接", "液冷板拓扑优化", "数字孪生"],
        "issues": ["电芯温差过大", "容量衰减过快", "一致性差", "安全边界不清", "能耗偏高",
                   "寿命预测偏差大", "界面阻抗持续增长"],
        "indicators": [
            ("能量密度", "≥", "Wh/kg", 180, 400, 0),
            ("循环寿命", "≥", "次", 2000, 8000, 0),
            ("电芯最大温差", "≤", "℃", 2, 5, 1),
            ("组件年衰减率", "≤", "%", 0.3, 0.8, 2),
            ("充电时间（10%-80%）", "≤", "min", 10, 25, 0),
            ("系统效率", "≥", "%", 88, 96, 1),
            ("低温容量保持率", "≥", "%", 70, 92, 0),
            ("热失控预警提前量", "≥", "min", 5, 30, 0),
        ],
        "keywords": ["动力电池", "储能", "热管理", "固态电解质", "光伏", "氢能", "电池管理系统",
                     "快充", "钠电池", "热失控"],
    },
    "it": {
        "subjects": ["工业视觉检测芯片", "边缘计算网关", "国产数据库", "车规级芯片", "AI推理芯片",
                     "射频前端芯片", "工业互联网平台", "智能视频分析系统", "5G专网", "工业控制软件",
                     "存算一体芯片", "激光雷达", "知识图谱系统", "低代码平台", "隐私计算平台"],
        "aspects": ["视觉检测", "国产数据库迁移", "低功耗设计", "实时调度", "模型压缩与加速",
                    "多源数据融合", "缺陷识别准确率提升", "时间敏感网络", "高并发事务处理",
                    "安全可信启动", "端云协同", "小样本学习", "跨平台适配", "异常检测",
                    "数据安全合规"],
        "scenarios": ["智能工厂", "电子制造产线", "智慧港口", "城市轨道交通", "电力调度",
                      "金融核心系统", "智能网联汽车", "电池供电的野外监测终端"],
        "methods": ["深度学习", "模型量化", "联邦学习", "国产化适配", "软硬件协同设计",
                    "流式计算", "知识蒸馏", "形式化验证"],
        "issues": ["误检率偏高", "推理延迟过大", "迁移成本高", "芯片依赖进口", "功耗超标",
                   "数据孤岛严重", "系统兼容性差"],
        "indicators": [
            ("检测准确率", "≥", "%", 95, 99.9, 1),
            ("单帧推理延迟", "≤", "ms", 5, 50, 0),
            ("芯片功耗", "≤", "W", 1, 15, 1),
            ("事务处理能力", "≥", "万TPS", 5, 50, 0),
            ("误报率", "≤", "%", 0.1, 2, 2),
            ("迁移停机时间", "≤", "h", 1, 8, 0),
            ("并发接入终端数", "≥", "台", 1000, 50000, 0),
            ("端到端时延", "≤", "ms", 1, 20, 0),
        ],
        "keywords": ["芯片", "视觉检测", "边缘计算", "国产数据库", "人工智能", "工业互联网",
                     "信创", "机器视觉", "大模型", "5G"],
    },
    "materials": {
        "subjects": ["碳纤维复合材料", "高温合金", "电池隔膜", "电子级多晶硅", "石墨烯导热膜",
                     "特种工程塑料", "稀土永磁材料", "陶瓷基复合材料", "高性能铝合金型材",
                     "电池级碳酸锂", "光刻胶", "生物可降解材料", "耐蚀涂层", "玻璃纤维",
                     "高纯石英砂"],
        "aspects": ["界面结合强度提升", "低成本制备", "批次稳定性", "耐高温性能", "轻量化",
                    "杂质含量控制", "疲劳寿命", "成型工艺优化", "回收再利用", "导热性能提升",
                    "耐腐蚀性能", "孔隙率控制", "涂层附着力", "晶粒细化", "国产替代"],
        "scenarios": ["航空发动机", "新能源汽车车身", "半导体制造", "海洋工程装备",
                      "5G基站散热", "轨道交通", "储能电池", "风电装备"],
        "methods": ["热等静压", "化学气相沉积", "分子模拟", "原位聚合", "增材制造", "粉末冶金",
                    "表面改性", "高通量筛选"],
        "issues": ["性能波动大", "成本居高不下", "依赖进口", "良品率低", "工艺窗口窄",
                   "服役寿命不足", "环境污染较重"],
        "indicators": [
            ("拉伸强度", "≥", "MPa", 600, 3500, 0),
            ("导热系数", "≥", "W/(m·K)", 200, 1500, 0),
            ("杂质含量", "≤", "ppm", 1, 50, 0),
            ("使用温度", "≥", "℃", 600, 1200, 0),
            ("孔隙率", "≤", "%", 0.5, 3, 1),
            ("密度", "≤", "g/cm³", 1.4, 2.8, 2),
            ("成品率", "≥", "%", 85, 99, 0),
            ("盐雾试验时间", "≥", "h", 500, 3000, 0),
        ],
        "keywords": ["碳纤维", "复合材料", "高温合金", "电池隔膜", "石墨烯", "稀土", "轻量化",
                     "涂层", "光刻胶", "新材料"],
    },
    "equipment": {
        "subjects": ["工业机器人", "数控机床", "精密减速器", "伺服电机", "航空发动机叶片",
                     "盾构机主轴承", "高速列车转向架", "智能农机", "激光加工装备", "医用手术机器人",
                     "液压系统", "无人机飞控", "半导体封装设备", "海洋钻井平台", "焊接机器人"],
        "aspects": ["精度保持性", "故障预测与健康管理", "振动抑制", "控制芯片国产化替代",
                    "柔性装配", "在线检测", "寿命评估", "轻量化设计", "高速高精运动控制",
                    "智能运维", "密封可靠性", "人机协作安全", "热变形补偿", "噪声控制",
                    "远程运维"],
        "scenarios": ["汽车总装线", "航空制造", "轨道交通", "大型矿山", "农业生产", "港口装卸",
                      "医院手术室", "深海作业"],
        "methods": ["数字孪生", "有限元分析", "自适应控制", "视觉伺服", "振动信号分析",
                    "强化学习", "拓扑优化", "边缘计算"],
        "issues": ["精度衰减快", "故障停机频繁", "关键部件依赖进口", "调试周期长", "能耗偏高",
                   "可靠性不足", "维护成本高"],
        "indicators": [
            ("重复定位精度", "≤", "mm", 0.005, 0.05, 3),
            ("平均无故障时间", "≥", "h", 2000, 20000, 0),
            ("回程间隙", "≤", "arcmin", 0.5, 3, 1),
            ("振动加速度", "≤", "m/s²", 0.5, 5, 1),
            ("故障预测准确率", "≥", "%", 85, 98, 0),
            ("整机噪声", "≤", "dB(A)", 60, 80, 0),
            ("换型时间", "≤", "min", 5, 30, 0),
            ("额定负载", "≥", "kg", 5, 500, 0),
        ],
        "keywords": ["工业机器人", "数控机床", "减速器", "智能制造", "故障诊断", "运动控制",
                     "伺服控制", "数字孪生", "激光加工", "高端装备"],
    },
    "bio": {
        "subjects": ["单克隆抗体", "细胞治疗产品", "mRNA疫苗", "体外诊断试剂", "医用植入材料",
                     "中药配方颗粒", "生物发酵工艺", "基因编辑工具", "医用影像设备", "微流控芯片",
                     "合成生物菌株", "动物疫苗", "可穿戴监测设备", "血液净化耗材", "酶制剂"],
        "aspects": ["表达量提升", "纯化收率提升", "稳定性研究", "检测灵敏度提升", "规模化生产",
                    "质量标准建立", "递送效率", "免疫原性降低", "工艺放大", "一致性评价",
                    "冷链依赖降低", "多重检测", "生物相容性", "发酵周期缩短", "杂质控制"],
        "scenarios": ["基层医疗机构", "肿瘤精准治疗", "传染病防控", "养殖业", "慢病管理",
                      "医药中间体生产", "食品加工", "即时检验"],
        "methods": ["高通量筛选", "定向进化", "连续流工艺", "质谱分析", "冻干工艺",
                    "代谢工程", "纳米递送系统", "人工智能辅助设计"],
        "issues": ["收率偏低", "批间差异大", "检测灵敏度不足", "生产成本高", "稳定性差",
                   "依赖进口原料", "工艺放大困难"],
        "indicators": [
            ("表达量", "≥", "g/L", 2, 10, 1),
            ("纯度", "≥", "%", 95, 99.9, 1),
            ("检出限", "≤", "pg/mL", 0.1, 10, 1),
            ("收率", "≥", "%", 60, 95, 0),
            ("有效期", "≥", "月", 12, 36, 0),
            ("批间差异", "≤", "%", 3, 10, 0),
            ("检测时间", "≤", "min", 10, 60, 0),
            ("发酵周期", "≤", "h", 24, 96, 0),
        ],
        "keywords": ["抗体", "疫苗", "体外诊断", "细胞治疗", "合成生物学", "微流控芯片", "发酵",
                     "生物医药", "基因编辑", "医疗器械"],
    },
    "environment": {
        "subjects": ["工业余热回收系统", "挥发性有机物治理装置", "污泥干化设备", "废旧电池回收",
                     "高效换热器", "膜法水处理系统", "脱硫脱硝催化剂", "固废资源化", "节能电机",
                     "烟气余热锅炉", "碳捕集装置", "垃圾焚烧炉", "高盐废水处理", "建筑光伏一体化",
                     "智慧能源管理系统"],
        "aspects": ["能效提升", "催化剂寿命延长", "膜污染控制", "资源化利用率提升", "运行成本降低",
                    "低温脱硝", "有价金属回收", "碳排放核算", "二次污染防治", "智能调控",
                    "换热效率提升", "能耗在线监测", "浓水减量", "重金属稳定化", "余热梯级利用"],
        "scenarios": ["钢铁企业", "化工园区", "城市污水处理厂", "水泥窑", "数据中心", "印染行业",
                      "火电厂", "公共建筑"],
        "methods": ["热泵技术", "膜分离", "催化氧化", "湿法冶金", "人工智能优化控制",
                    "热力学建模", "生物降解", "吸附浓缩"],
        "issues": ["能耗偏高", "排放不稳定达标", "运行成本高", "资源回收率低", "设备易结垢",
                   "二次污染风险", "调控依赖人工经验"],
        "indicators": [
            ("综合能效提升", "≥", "%", 10, 30, 0),
            ("VOCs去除率", "≥", "%", 90, 99, 1),
            ("锂回收率", "≥", "%", 85, 98, 0),
            ("吨水处理成本", "≤", "元", 2, 15, 1),
            ("脱硝效率", "≥", "%", 80, 95, 0),
            ("余热回收率", "≥", "%", 40, 80, 0),
            ("碳排放降低", "≥", "%", 10, 40, 0),
            ("催化剂寿命", "≥", "h", 16000, 40000, 0),
        ],
        "keywords": ["节能", "余热回收", "VOCs", "废旧电池回收", "碳捕集", "水处理", "固废",
                     "双碳", "能效", "环保"],
    },
}

FIELD_BANKS = {
    "new-energy": ["energy"],
    "next-generation-it": ["it"],
    "new-materials": ["materials"],
    "high-end-equipment": ["equipment"],
    "biotech": ["bio"],
    "energy-saving": ["environment", "energy"],
    "hard-tech": ["it", "materials", "equipment"],
    "dual-use": ["equipment", "materials", "it"],
    "regional-coordination": list(BANKS),
}

TITLE_PATTERNS = [
    "{subject}{aspect}技术研发",
    "{subject}{aspect}关键技术",
    "面向{scenario}的{subject}{aspect}",
    "{scenario}{subject}{aspect}解决方案",
    "基于{method}的{subject}{aspect}",
    "{subject}{aspect}工艺改进",
    "高性能{subject}研制",
]
PROBLEM_SENTENCES = [
    "目前{subject}在{scenario}中存在{issue}的问题，制约了产品的规模化应用。",
    "现有{subject}方案{issue}，难以满足{scenario}对{aspect}的要求。",
    "需要重点突破{aspect}，并结合{method}建立可工程化的技术路线。",
    "希望通过{method}，使{indicator}达到{target}。",
    "关键难点在于{aspect}与成本之间的平衡，现有工艺窗口较窄。",
    "同时需要解决{other_aspect}问题，保证在{scenario}长期稳定运行。",
]
# Added to a few problems of any domain (so 电池 and 芯片 also occur outside their banks).
CROSS_SENTENCE = "相关配套的{cross}也需同步验证。"
CROSS_SHARE = 0.06
BASE_SENTENCES = [
    "公司成立于{year}年，主要从事{subject}的研发与生产，年产值约{revenue}亿元。",
    "拥有发明专利{patents}项，建有省级工程技术研究中心。",
    "已完成{subject}小试，具备{method}的基础条件。",
    "现有研发人员{staff}人，其中博士{doctors}人。",
]
SECRET_SENTENCES = [
    "目前正与{partner}合作开展{subject}中试，月产能{capacity}套。",
    "核心配方采用自研{code}工艺，良品率已达{rate}%。",
    "已向{partner}小批量供货，合同金额{amount}万元。",
]
OUTCOME_SENTENCES = [
    "形成{subject}{aspect}成套技术方案，完成{form}验证。",
    "{indicator}达到{target}，通过第三方检测。",
    "申请发明专利{patents}项以上，形成企业标准1项。",
    "建成示范线1条，实现在{scenario}的推广应用。",
]
CONDITION_SENTENCES = [
    "具备{method}研发能力和{subject}相关工程化经验。",
    "有{scenario}领域项目业绩者优先。",
    "团队核心成员须有相关领域高级职称或博士学位。",
]
CROSS_TOPICS = ["电池供电模块", "控制芯片", "电池热管理单元", "国产芯片", "储能电池单元",
                "传感芯片", "备用电池"]
PARTNERS = ["某整车企业", "某央企研究院", "某电网公司", "某头部电池企业", "某晶圆厂",
            "某三甲医院", "某航空主机厂"]
FORM_WORDS = ["样机", "中试", "工程样件", "示范线", "软件原型"]
BRANDS = ["华创", "瑞能", "中科", "恒信", "天工", "博睿", "安泰", "鼎盛", "新元", "汇智", "卓越",
          "远航", "弘毅", "启明", "锐芯", "智源", "海纳", "长风", "同创", "精研", "蓝天", "金石",
          "众合", "泰和", "宏图", "云帆", "正泰", "联诚", "英飞", "睿达"]
DOMAIN_WORDS = {
    "energy": ["新能源", "电池", "储能", "光伏", "氢能"],
    "it": ["信息", "智能", "微电子", "软件", "芯片"],
    "materials": ["新材料", "复合材料", "材料", "化工", "金属"],
    "equipment": ["装备", "机器人", "精密机械", "智能制造", "动力"],
    "bio": ["生物", "医药", "基因", "医疗器械", "健康"],
    "environment": ["环保", "节能", "环境", "能源", "水务"],
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
TITLES = ["工", "经理", "主任", "博士", "总", "老师"]
STREETS = ["高新路", "科技路", "创业大道", "锦业路", "软件园路", "工业大道", "滨江路", "学府路"]
AREA_CODES = {"11": "010", "12": "022", "31": "021", "21": "024", "13": "0318", "32": "025",
              "33": "0571", "36": "0701", "37": "0532", "42": "027", "44": "020", "51": "0816",
              "61": "029", "62": "0931", "63": "0971", "64": "0951"}


# --- report -----------------------------------------------------------------------------------
@dataclass
class GenerateReport:
    demands: int = 0
    organisations: int = 0
    indicators: int = 0
    seconds: float = 0.0
    phases: dict = field(default_factory=dict)

    @property
    def rate(self):
        return self.demands / self.seconds if self.seconds else 0.0


def generated_organisations():
    return Organisation.objects.filter(credit_code__regex=CODE_MARKER_REGEX)


def generated_demands():
    return Demand.objects.filter(organisation__in=generated_organisations())


def reset_generated():
    """Delete the generated demands, their organisations and the generator user; returns the
    number of demands deleted."""
    with transaction.atomic():
        organisations = list(generated_organisations().values_list("pk", flat=True))
        count = 0
        for start in range(0, len(organisations), 500):
            chunk = organisations[start:start + 500]
            deleted, per_model = Demand.objects.filter(organisation_id__in=chunk).delete()
            count += per_model.get("demands.Demand", 0)
        for start in range(0, len(organisations), 2000):
            Organisation.objects.filter(pk__in=organisations[start:start + 2000]).delete()
        User.objects.filter(email=GENERATOR_EMAIL).delete()
    PUBLIC_PAGES.bump()
    return count


# --- the public snapshot and search columns, many at a time -----------------------------------
def index_values(demand, *, now=None):
    """The stored public columns of a public ``demand``: its ``public_snapshot``, search
    columns and ``public_indexed_at``, computed by the portal's own projection and tokeniser
    (``demands.public.project``, ``demands.search.DEMANDS.columns``) exactly as
    ``demands.public.refresh_public_index`` computes them, but without touching the database,
    so that they are ready before a bulk insert. The demand's organisation, industry field,
    host unit with its event and indicators must be loaded (or prefetched)."""
    projection = public.project(demand)
    title_texts, body_texts = projection.search_texts()
    return {
        "public_snapshot": projection.to_dict(),
        **search.DEMANDS.columns(title_texts, body_texts),
        "public_indexed_at": now or timezone.now(),
    }


@contextlib.contextmanager
def _fresh_demands_have_no_attachments():
    """``project()`` asks the files app for the demand's attachments with one query per
    demand. Demands projected here are not inserted yet and have no attachments, so the answer
    is known: an empty list, without a query per demand."""
    original = public.attachment_names
    public.attachment_names = lambda demand: []
    try:
        yield
    finally:
        public.attachment_names = original


def _prefetched(manager_name, demand, rows):
    """Fill ``demand``'s prefetch cache of a reverse relation, as ``prefetch_related`` does, with
    rows not yet in the database."""
    related = getattr(Demand, manager_name).rel
    queryset = related.related_model.objects.none()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    cache = getattr(demand, "_prefetched_objects_cache", None)
    if cache is None:
        cache = demand._prefetched_objects_cache = {}
    cache[related.get_accessor_name()] = queryset


class IdReserver:
    """Primary keys for rows inserted later with explicit ids: from the table's sequence on
    PostgreSQL, above the highest id (and above every id handed out before) elsewhere."""

    def __init__(self):
        self.high = {}

    def __call__(self, model, count):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                    "FROM generate_series(1, %s)", [table, count])
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
            top = max(cursor.fetchone()[0], self.high.get(table, 0))
        self.high[table] = top + count
        return list(range(top + 1, top + count + 1))


# --- the composer ----------------------------------------------------------------------------
class Composer:
    """Random but reproducible contents of demands and organisations."""

    def __init__(self, rng, *, now):
        self.rng = rng
        self.now = now

    def pick(self, items, k=None):
        return self.rng.choice(items) if k is None else self.rng.sample(items, k)

    def number(self, low, high, decimals):
        value = self.rng.uniform(low, high)
        return f"{value:.{decimals}f}" if decimals else str(round(value))

    def indicators(self, bank):
        rows = []
        for name, op, unit, low, high, decimals in self.pick(bank["indicators"],
                                                              self.rng.randint(2, 4)):
            target = self.number(low, high, decimals)
            current = self.number(low * 0.6, low, decimals) if self.rng.random() < 0.7 else ""
            rows.append((name, f"{op}{target}", unit, current))
        return rows

    def words(self, bank):
        indicator = self.pick(bank["indicators"])
        aspect, other_aspect = self.pick(bank["aspects"], 2)
        return {
            "subject": self.pick(bank["subjects"]), "aspect": aspect,
            "other_aspect": other_aspect, "scenario": self.pick(bank["scenarios"]),
            "method": self.pick(bank["methods"]), "issue": self.pick(bank["issues"]),
            "indicator": indicator[0],
            "target": f"{indicator[1]}{self.number(*indicator[3:])}{indicator[2]}",
            "cross": self.pick(CROSS_TOPICS), "partner": self.pick(PARTNERS),
            "form": self.pick(FORM_WORDS),
            "year": self.rng.randint(1995, 2019), "revenue": self.rng.randint(1, 80),
            "patents": self.rng.randint(2, 60), "staff": self.rng.randint(15, 400),
            "doctors": self.rng.randint(1, 30), "capacity": self.rng.randint(100, 20000),
            "code": "".join(self.rng.choice("ABCDEFGHKMNPRTXY") for _ in range(2))
            + str(self.rng.randint(2, 99)),
            "rate": self.rng.randint(80, 99), "amount": self.rng.randint(50, 5000),
        }

    def sentences(self, templates, words, low, high):
        chosen = self.pick(templates, self.rng.randint(low, min(high, len(templates))))
        return "".join(template.format(**words) for template in chosen)

    def organisation(self, *, bank_name, region, serial):
        """A new organisation in ``region`` whose credit code is the ``serial``-th of the
        generated range (valid check character)."""
        kind = self.rng.choices(
            [OrganisationKind.ENTERPRISE, OrganisationKind.UNIVERSITY, OrganisationKind.INSTITUTE],
            weights=[88, 6, 6])[0]
        city = LOCALITIES.get(region) or PROVINCES.get(region[:2] + "0000", "")
        if kind == OrganisationKind.ENTERPRISE:
            suffix = self.pick(["科技有限公司", "股份有限公司", "技术有限公司", "集团有限公司"])
            name = f"{city}{self.pick(BRANDS)}{self.pick(DOMAIN_WORDS[bank_name])}{suffix}"
            head = "91"
        elif kind == OrganisationKind.UNIVERSITY:
            name = f"{city}{self.pick(['理工大学', '工业大学', '科技大学', '职业技术大学'])}"
            head = "12"
        else:
            name = f"{city}{self.pick(DOMAIN_WORDS[bank_name])}研究院"
            head = "12"
        return Organisation(
            name=name, kind=kind, credit_code=generated_credit_code(head, region, serial),
            region=region, address=f"{city}{self.pick(STREETS)}{self.rng.randint(1, 999)}号",
            verified=True,
        )

    def demand(self, *, bank_name, organisation):
        """An unsaved demand (without host unit, references or search columns) and its
        indicator rows ``[(name, target, unit, current)]``."""
        rng = self.rng
        bank = BANKS[bank_name]
        words = self.words(bank)
        title = self.pick(TITLE_PATTERNS).format(**words)[:120]
        key_problem = self.sentences(PROBLEM_SENTENCES, words, 2, 4)
        if rng.random() < CROSS_SHARE:
            key_problem += CROSS_SENTENCE.format(**words)
        current_base = self.sentences(BASE_SENTENCES, words, 2, 3)
        hidden_passages = []
        if rng.random() < HIDDEN_PASSAGE_SHARE:
            secret = self.pick(SECRET_SENTENCES).format(**words)
            current_base += secret
            hidden_passages.append(secret.rstrip("。"))
        hidden = [name for name, share in HIDE_SHARES.items() if rng.random() < share]
        status = DemandStatus.CLOSED if rng.random() < CLOSED_SHARE else DemandStatus.PUBLISHED
        published_at = self.now - timedelta(minutes=rng.randint(60, 300 * 24 * 60))
        closed_at = None
        if status == DemandStatus.CLOSED:
            closed_at = min(self.now, published_at + timedelta(days=rng.randint(30, 90)))
            deadline = timezone.localdate(closed_at) - timedelta(days=1)
        else:
            deadline = timezone.localdate(self.now) + timedelta(days=rng.randint(10, 180))
        national = rng.random() < NATIONAL_SHARE
        keywords = list(dict.fromkeys(
            self.pick(bank["keywords"], rng.randint(2, 4)) + [words["aspect"]]))[:5]
        region = organisation.region
        area = AREA_CODES.get(region[:2], "0" + region[:3])
        mailbox = self.pick(["qq.com", "163.com", "example.cn"])
        return Demand(
            organisation=organisation, status=status, title=title,
            demand_type=rng.choices(DemandType.values, weights=[40, 20, 20, 10, 8, 2])[0],
            keywords=keywords, current_base=current_base, key_problem=key_problem,
            expected_outcome=self.sentences(OUTCOME_SENTENCES, words, 2, 3),
            outcome_forms=self.pick(OutcomeForm.values, rng.randint(1, 3)),
            time_requirement=f"{rng.choice([6, 9, 12, 18, 24, 36])}个月内完成{words['form']}",
            cooperation_modes=self.pick(CooperationMode.values, rng.randint(1, 2)),
            ip_ownership=self.pick(IPOwnership.values),
            challenger_conditions=self.sentences(CONDITION_SENTENCES, words, 1, 2),
            budget=Decimal(rng.randint(20, 2000)), prize=Decimal(rng.choice([5, 10, 20, 30, 50])),
            solution_deadline=deadline, region=region, address=organisation.address,
            contact_person=f"{self.pick(SURNAMES)}{self.pick(TITLES)}",
            contact_mobile=f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}",
            contact_landline=f"{area}-{rng.randint(60000000, 89999999)}",
            contact_email=f"contact{rng.randint(1000, 999999)}@{mailbox}",
            contact_consents_sharing=True, contact_consent_at=published_at,
            hidden_fields=hidden, hidden_passages=hidden_passages,
            national=national, national_marked_at=published_at if national else None,
            submitted_at=published_at - timedelta(days=rng.randint(5, 40)),
            published_at=published_at, closed_at=closed_at,
        ), self.indicators(bank)


def generated_credit_code(head, region, serial):
    """``head`` (2 characters) + ``region`` + ``BENCH`` + ``serial`` in 4 characters of the
    alphabet + the check character."""
    digits = []
    for _ in range(4):
        serial, rest = divmod(serial, len(ALPHABET))
        digits.append(ALPHABET[rest])
    first17 = f"{head}{region}{CODE_MARKER}{''.join(reversed(digits))}"
    return first17 + check_character(first17)


# --- generation -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Planned:
    """One demand as planned by the main process; a worker composes, projects, tokenises and
    inserts it."""

    pk: int
    ref: str
    sequence: int
    host_unit_id: int
    industry_field_id: int
    bank_name: str
    organisation: tuple   # (pk, name, kind, region, address)
    seed: int


@dataclass(frozen=True)
class _Context:
    host_units: dict      # pk -> HostUnit with its event and contest
    fields: dict          # pk -> IndustryField
    creator_id: int


_context = None  # set before the workers fork, so they inherit it


def _host_units():
    contest = current_contest()
    if contest is None:
        raise CommandError("No current contest: run `manage.py load_contest` first.")
    host_units = list(HostUnit.objects.filter(event__contest=contest)
                      .select_related("event__contest").prefetch_related("fields")
                      .order_by("pk"))
    if not host_units:
        raise CommandError("The current contest has no host units: run `manage.py load_contest`.")
    fields_by_host = {unit.pk: list(unit.fields.all()) for unit in host_units}
    if not all(fields_by_host.values()):
        raise CommandError("Every host unit needs at least one industry field (load_contest).")
    return host_units, fields_by_host


def _generator_user():
    user, created = User.objects.get_or_create(
        email=GENERATOR_EMAIL, defaults={"full_name": "generate_demands", "is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _build_chunk(args):
    """In a worker: compose, project, tokenise and insert planned demands; returns
    ``(demands, indicators, {phase: seconds})``."""
    planned, now = args
    context = _context
    t0 = time.perf_counter()
    demands, indicators, texts = [], [], 0.0
    organisations = {}
    with _fresh_demands_have_no_attachments():
        for item in planned:
            organisation = organisations.get(item.organisation[0])
            if organisation is None:
                pk, name, kind, region, address = item.organisation
                organisation = Organisation(pk=pk, name=name, kind=kind, region=region,
                                            address=address)
                organisations[pk] = organisation
            demand, rows = Composer(random.Random(item.seed), now=now).demand(
                bank_name=item.bank_name, organisation=organisation)
            demand.pk = item.pk
            demand.ref = item.ref
            demand.sequence = item.sequence
            demand.host_unit = context.host_units[item.host_unit_id]
            demand.industry_field = context.fields[item.industry_field_id]
            demand.created_by_id = context.creator_id
            rows = [Indicator(demand_id=item.pk, position=position, name=name,
                              target_value=target, unit=unit, current_value=current)
                    for position, (name, target, unit, current) in enumerate(rows)]
            _prefetched("indicators", demand, rows)
            started = time.perf_counter()
            for name, value in index_values(demand, now=now).items():
                setattr(demand, name, value)
            texts += time.perf_counter() - started
            demands.append(demand)
            indicators.extend(rows)
    t1 = time.perf_counter()
    with transaction.atomic():
        Demand.objects.bulk_create(demands, batch_size=500)
        Indicator.objects.bulk_create(indicators, batch_size=2000)
    t2 = time.perf_counter()
    return len(demands), len(indicators), {"compose": t1 - t0 - texts,
                                           "project+tokenise": texts, "insert": t2 - t1}


class _Workers:
    """Forked processes that run :func:`_build_chunk`, each with its own database connection
    (or this process when ``workers`` < 2 or fork is unavailable)."""

    def __init__(self, workers):
        tokenizer()  # load jieba's dictionary once, before forking
        self.pool = None
        # SQLite allows one writer at a time: its rows are built and written here.
        parallel = connection.vendor == "postgresql" and workers >= 2
        if parallel and "fork" in multiprocessing.get_all_start_methods():
            # The children must not share this process's connection: close it before they
            # fork; each opens its own on first use, and so does this process.
            connections.close_all()
            self.pool = multiprocessing.get_context("fork").Pool(workers)
        self.size = workers if self.pool else 1

    def map_async(self, chunks):
        if self.pool is None:
            return _Ready([_build_chunk(chunk) for chunk in chunks])
        return self.pool.map_async(_build_chunk, chunks, chunksize=1)

    def close(self, *, failed=False):
        if self.pool is not None:
            if failed:
                self.pool.terminate()
            else:
                self.pool.close()
            self.pool.join()


class _Ready:
    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


def generate(count, *, seed=1, batch=2000, workers=2, progress=None):
    """Add ``count`` generated public demands; returns a :class:`GenerateReport`.

    The main process plans each batch (host unit, field, organisation, reference) and inserts
    its new organisations; ``workers`` forked processes compose, project, tokenise and insert
    the demands, while the main process plans the next batch. Reproducible: the same seed over
    the same number of existing generated demands gives the same data. ``progress(done,
    total)`` is called after every batch.
    """
    global _context
    started = time.perf_counter()
    report = GenerateReport()
    if count <= 0:
        return report
    host_units, fields_by_host = _host_units()
    creator = _generator_user()
    offset = generated_demands().count()
    state = {
        "org_serial": generated_organisations().count(),
        "next_sequence": {},
        "reserve": IdReserver(),
        "planned": 0,
    }
    for unit in host_units:
        if unit.event_id not in state["next_sequence"]:
            top = Demand.objects.filter(host_unit__event_id=unit.event_id).aggregate(
                top=Max("sequence"))["top"]
            state["next_sequence"][unit.event_id] = (top or 0) + 1
    _context = _Context(
        host_units={unit.pk: unit for unit in host_units},
        fields={field.pk: field for fields in fields_by_host.values() for field in fields},
        creator_id=creator.pk,
    )
    phases = {"plan": 0.0, "compose": 0.0, "project+tokenise": 0.0, "insert": 0.0}
    workers = _Workers(workers)
    try:
        done = 0
        pending = None
        while done < count or pending is not None:
            submitted = None
            if done < count:
                size = min(batch, count - done)
                t0 = time.perf_counter()
                planned, organisations = _plan_batch(
                    random.Random(f"{seed}:{offset + done}"), size, host_units=host_units,
                    fields_by_host=fields_by_host, state=state)
                Organisation.objects.bulk_create(organisations, batch_size=1000)
                report.organisations += len(organisations)
                now = timezone.now()
                pieces = max(1, workers.size * 2)
                step = -(-len(planned) // pieces)
                chunks = [(planned[i:i + step], now) for i in range(0, len(planned), step)]
                submitted = workers.map_async(chunks)
                phases["plan"] += time.perf_counter() - t0
                done += size
            if pending is not None:
                for demands, indicators, times in pending.get():
                    report.demands += demands
                    report.indicators += indicators
                    for name, seconds in times.items():
                        phases[name] += seconds / workers.size
                if progress:
                    progress(report.demands, count)
            pending = submitted
    except BaseException:
        workers.close(failed=True)
        raise
    else:
        workers.close()
    finally:
        _context = None
    PUBLIC_PAGES.bump()
    report.seconds = time.perf_counter() - started
    report.phases = phases
    return report


def _plan_batch(rng, size, *, host_units, fields_by_host, state):
    """Host unit, field, organisation (new ones are returned, to insert first), primary key
    and reference of each demand of a batch."""
    composer = Composer(rng, now=timezone.now())
    reserve = state["reserve"]
    # Host units in turn (in a shuffled order), so that any 33 demands cover all of them.
    order = rng.sample(host_units, len(host_units))
    ids = reserve(Demand, size)
    org_ids = []
    organisations, pools, planned = [], {}, []
    for index in range(size):
        host_unit = order[(state["planned"] + index) % len(order)]
        industry_field = rng.choice(fields_by_host[host_unit.pk])
        bank_name = rng.choice(FIELD_BANKS.get(industry_field.code, list(BANKS)))
        pool = pools.setdefault((host_unit.pk, bank_name), [])
        if not pool or rng.random() < 1 / DEMANDS_PER_ORGANISATION:
            region = host_unit.region
            if region.endswith("0000") and rng.random() < 0.6:
                cities = [code for code in LOCALITIES if code[:2] == region[:2]]
                region = rng.choice(cities) if cities else region
            organisation = composer.organisation(bank_name=bank_name, region=region,
                                                 serial=state["org_serial"])
            state["org_serial"] += 1
            if not org_ids:
                org_ids = reserve(Organisation, max(50, size // DEMANDS_PER_ORGANISATION))
            organisation.pk = org_ids.pop(0)
            organisations.append(organisation)
            pool.append(organisation)
        organisation = rng.choice(pool)
        event = host_unit.event
        sequence = state["next_sequence"][event.pk]
        state["next_sequence"][event.pk] += 1
        planned.append(_Planned(
            pk=ids[index], ref=format_reference(event.contest.edition, event.number, sequence),
            sequence=sequence, host_unit_id=host_unit.pk, industry_field_id=industry_field.pk,
            bank_name=bank_name,
            organisation=(organisation.pk, organisation.name, organisation.kind,
                          organisation.region, organisation.address),
            seed=rng.getrandbits(64),
        ))
    state["planned"] += size
    return planned, organisations


class Command(BaseCommand):
    help = ("Generate published demands of realistic Chinese text (for benchmarks and staging "
            "databases; needs load_contest). --reset first deletes what an earlier run "
            "generated.")

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000,
                            help="How many demands to add (default 1000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--batch", type=int, default=2000,
                            help="Demands per insert batch (default 2000).")
        parser.add_argument("--workers", type=int, default=2,
                            help="Processes tokenising with jieba (default 2; 0 or 1: none).")
        parser.add_argument("--reset", action="store_true",
                            help="Delete previously generated demands and organisations first.")
        parser.add_argument("--total", type=int, default=None,
                            help="Instead of --count: make the generated demands exactly this "
                                 "many (nothing to do when they are; reset first when there "
                                 "are more).")

    def handle(self, *args, **options):
        count, batch, total = options["count"], options["batch"], options["total"]
        if count < 0 or (total is not None and total < 0):
            raise CommandError("--count and --total must not be negative.")
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        reset = options["reset"]
        if total is not None:
            have = 0 if reset else generated_demands().count()
            reset = reset or have > total
            count = total if reset else total - have
        if reset:
            deleted = reset_generated()
            self.stdout.write(f"Deleted {deleted} generated demands.")
        verbosity = options["verbosity"]

        def progress(done, total):
            if verbosity >= 1:
                self.stdout.write(f"  {done}/{total}")

        report = generate(count, seed=options["seed"], batch=batch,
                          workers=options["workers"], progress=progress)
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in report.phases.items())
        self.stdout.write(self.style.SUCCESS(
            f"Generated {report.demands} demands, {report.organisations} organisations and "
            f"{report.indicators} indicators in {report.seconds:.1f} s "
            f"({report.rate:.0f} demands/s; {phases})."))
