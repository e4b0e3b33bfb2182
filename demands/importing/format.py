"""The standard format of the demand record (技术需求表) in spreadsheets: its Chinese column
headers, the Chinese words of its choice columns, and :data:`COLUMNS`, the one list of its
columns that the import, the export and the template are built from (the widgets that read
and write cells are in :mod:`.widgets`).

The headers and choice words are the format itself (the form that hosts hand to companies),
not interface text, so they are fixed Chinese strings and do not go through gettext. Choice
cells also accept the stored values (``research``) and the labels of the current language.
"""

import re
from dataclasses import dataclass
from functools import partial

from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from accounts.enums import OrganisationKind

from ..enums import (
    CooperationMode,
    DemandStatus,
    DemandType,
    HideableField,
    IPOwnership,
    OutcomeForm,
)
from . import widgets as w

# --- columns ----------------------------------------------------------------------------------
COL_REF = "需求编号"
COL_TITLE = "需求名称"
COL_HOST_UNIT = "承办单位"
COL_ORGANISATION = "需求单位"
COL_CREDIT_CODE = "统一社会信用代码"
COL_ORGANISATION_KIND = "单位类型"
COL_REGION = "所在地区"
COL_INDUSTRY_FIELD = "所属领域"
COL_DEMAND_TYPE = "需求类型"
COL_KEYWORDS = "关键词"
COL_CURRENT_BASE = "现有基础"
COL_KEY_PROBLEM = "拟解决的关键技术问题"
COL_INDICATORS = "技术指标"
COL_EXPECTED_OUTCOME = "预期目标"
COL_OUTCOME_FORMS = "成果形式"
COL_TIME_REQUIREMENT = "时限要求"
COL_COOPERATION_MODES = "合作方式"
COL_IP_OWNERSHIP = "知识产权归属意向"
COL_CHALLENGER_CONDITIONS = "揭榜方条件"
COL_BUDGET = "预期投入（万元）"
COL_PRIZE = "奖励资金（万元）"
COL_DEADLINE = "征集截止日期"
COL_CONTACT_PERSON = "联系人"
COL_MOBILE = "手机"
COL_LANDLINE = "座机"
COL_EMAIL = "电子邮箱"
COL_HIDDEN_FIELDS = "隐去信息"
COL_ADDRESS = "地址"
COL_HIDDEN_PASSAGES = "隐去段落"
# export only
COL_STATUS = "状态"
COL_NATIONAL = "全国集中发布"
COL_CONSENT = "联系人同意向获准挑战者提供联系方式"
COL_SUBMITTED_AT = "提交时间"
COL_PUBLISHED_AT = "发布时间"
COL_CREATED_AT = "创建时间"

# Headers people type differently; renamed to the standard ones before the import.
HEADER_ALIASES = {
    "预期投入": COL_BUDGET,
    "预期投入（万）": COL_BUDGET,
    "奖励资金": COL_PRIZE,
    "奖励资金（万）": COL_PRIZE,
    "信用代码": COL_CREDIT_CODE,
    "统一社会信用代码（18位）": COL_CREDIT_CODE,
    "所在地区代码": COL_REGION,
    "地区代码": COL_REGION,
    "行政区划代码": COL_REGION,
    "手机号码": COL_MOBILE,
    "联系人手机": COL_MOBILE,
    "固定电话": COL_LANDLINE,
    "座机电话": COL_LANDLINE,
    "邮箱": COL_EMAIL,
    "电子邮件": COL_EMAIL,
    "拟解决关键技术问题": COL_KEY_PROBLEM,
    "关键技术问题": COL_KEY_PROBLEM,
    "知识产权归属": COL_IP_OWNERSHIP,
    "征集截止时间": COL_DEADLINE,
    "截止日期": COL_DEADLINE,
    "揭榜方应具备的条件": COL_CHALLENGER_CONDITIONS,
    "详细地址": COL_ADDRESS,
}

_HEADER_MARKS = re.compile(r"^[*＊\s]+|[*＊\s]+$|[（(](必填|选填|可选)[）)]$")


def normalise_header(header):
    """A header as the standard names it: required-field marks (``*需求名称``,
    ``需求名称（必填）``) and ASCII parentheses are tolerated, known variants renamed."""
    text = _HEADER_MARKS.sub("", str(header or "").strip())
    text = _HEADER_MARKS.sub("", text)
    text = text.replace("(", "（").replace(")", "）")
    return HEADER_ALIASES.get(text, text)


# --- choice words -----------------------------------------------------------------------------
class ChoiceWords:
    """The Chinese words of one choice column: ``{value: word}`` plus aliases that are read
    but never written."""

    def __init__(self, choices, words, aliases=None):
        self.choices = choices
        self.words = dict(words)
        self.aliases = dict(aliases or {})
        self._table = {word: value for value, word in self.words.items()}
        self._table.update(self.aliases)
        self._table.update({value: value for value in choices.values})

    def word(self, value):
        return self.words.get(value, value or "")

    def allowed(self):
        return list(self.words.values())

    def allowed_text(self):
        return "、".join(self.allowed())

    def lookup(self, text):
        """The stored value for a cell's text, or None when the text is not allowed."""
        text = (text or "").strip()
        if text in self._table:
            return self._table[text]
        # labels of the current language, which may change between imports
        for value, label in self.choices.choices:
            if text.lower() in (value, force_str(label).lower()):
                return value
        return None


DEMAND_TYPE_WORDS = ChoiceWords(
    DemandType,
    {
        DemandType.RESEARCH: "技术研发",
        DemandType.PRODUCT: "产品研发",
        DemandType.PROCESS: "工艺改进",
        DemandType.SUPPORTING: "技术配套",
        DemandType.ACQUISITION: "成果引进",
        DemandType.OTHER: "其他",
    },
    {"其它": DemandType.OTHER},
)

COOPERATION_WORDS = ChoiceWords(
    CooperationMode,
    {
        CooperationMode.COMMISSIONED: "委托开发",
        CooperationMode.JOINT: "合作开发",
        CooperationMode.TRANSFER: "技术转让",
        CooperationMode.LICENSE: "技术许可",
        CooperationMode.CONSULTING: "技术咨询",
        CooperationMode.SERVICE: "技术服务",
    },
    {"联合攻关": CooperationMode.JOINT, "联合开发": CooperationMode.JOINT},
)

OUTCOME_WORDS = ChoiceWords(
    OutcomeForm,
    {
        OutcomeForm.PROTOTYPE: "样机",
        OutcomeForm.PROCESS: "工艺",
        OutcomeForm.SOFTWARE: "软件",
        OutcomeForm.PATENT: "专利",
        OutcomeForm.STANDARD: "标准",
        OutcomeForm.REPORT: "研究报告",
        OutcomeForm.OTHER: "其他",
    },
    {"报告": OutcomeForm.REPORT, "其它": OutcomeForm.OTHER, "样品": OutcomeForm.PROTOTYPE},
)

IP_WORDS = ChoiceWords(
    IPOwnership,
    {
        IPOwnership.DEMAND_SIDE: "需求方所有",
        IPOwnership.SHARED: "共有",
        IPOwnership.DEVELOPER: "研发方所有",
        IPOwnership.NEGOTIABLE: "协商",
    },
    {
        "双方共有": IPOwnership.SHARED,
        "协商确定": IPOwnership.NEGOTIABLE,
        "归需求方所有": IPOwnership.DEMAND_SIDE,
        "归研发方所有": IPOwnership.DEVELOPER,
    },
)

HIDDEN_WORDS = ChoiceWords(
    HideableField,
    {
        HideableField.ORGANISATION: "单位名称",
        HideableField.CONTACT_PERSON: "联系人",
        HideableField.PHONE: "电话",
        HideableField.EMAIL: "邮箱",
        HideableField.ADDRESS: "地址",
        HideableField.BUDGET: "预期投入",
        HideableField.PRIZE: "奖励资金",
        HideableField.ATTACHMENTS: "附件",
    },
    {
        "需求单位": HideableField.ORGANISATION,
        "单位": HideableField.ORGANISATION,
        "手机": HideableField.PHONE,
        "座机": HideableField.PHONE,
        "联系电话": HideableField.PHONE,
        "电子邮箱": HideableField.EMAIL,
        "预期投入（万元）": HideableField.BUDGET,
        "奖励资金（万元）": HideableField.PRIZE,
    },
)

ORGANISATION_KIND_WORDS = ChoiceWords(
    OrganisationKind,
    {
        OrganisationKind.ENTERPRISE: "企业",
        OrganisationKind.UNIVERSITY: "高校",
        OrganisationKind.INSTITUTE: "科研院所",
        OrganisationKind.TEAM: "团队",
    },
    {
        "高等院校": OrganisationKind.UNIVERSITY,
        "大学": OrganisationKind.UNIVERSITY,
        "科研机构": OrganisationKind.INSTITUTE,
        "研究院所": OrganisationKind.INSTITUTE,
    },
)

STATUS_WORDS = ChoiceWords(
    DemandStatus,
    {
        DemandStatus.DRAFT: "草稿",
        DemandStatus.SUBMITTED: "已提交",
        DemandStatus.IN_ANALYSIS: "专家分析中",
        DemandStatus.RETURNED: "退回修改",
        DemandStatus.APPROVED: "审核通过",
        DemandStatus.REJECTED: "未通过",
        DemandStatus.PUBLISHED: "已发布",
        DemandStatus.CLOSED: "已关闭",
        DemandStatus.WITHDRAWN: "已撤回",
    },
)


# --- the columns ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column of the standard format.

    ``name`` is the resource field's name, ``attribute`` what a row sets on the demand (the
    ``import_*`` attributes carry the organisation and the indicators to the services);
    ``widget`` builds the cell widget (``None``: the resource supplies a scoped lookup);
    ``required`` and ``note`` are what the template and the import page tell the user.
    """

    name: str
    header: str
    widget: object
    required: bool = False
    note: str = ""
    attribute: str = ""
    export_only: bool = False

    @property
    def target(self):
        return self.attribute or self.name


# The order is the order of the template and of the export.
COLUMNS = (
    Column(
        "ref",
        COL_REF,
        w.TextWidget,
        note=_(
            "Leave empty for a new demand. To correct a demand returned for "
            "revision, give its number (for example 6-07-0042)."
        ),
    ),
    Column("title", COL_TITLE, w.TextWidget, True, _("At most 120 characters.")),
    Column(
        "host_unit",
        COL_HOST_UNIT,
        None,
        True,
        _("One of your host units, by its name (see the list of allowed values)."),
    ),
    Column(
        "organisation_name",
        COL_ORGANISATION,
        w.TextWidget,
        True,
        _("The company's registered name; needed when its credit code is new to the portal."),
        attribute="import_organisation_name",
    ),
    Column(
        "credit_code",
        COL_CREDIT_CODE,
        w.CreditCodeWidget,
        True,
        _("18 characters (GB 32100); the organisation is found by it, or created when it is new."),
        attribute="import_credit_code",
    ),
    Column(
        "organisation_kind",
        COL_ORGANISATION_KIND,
        partial(w.ChoiceWidget, ORGANISATION_KIND_WORDS),
        True,
        _("Needed when the organisation is new: 企业, 高校, 科研院所 or 团队."),
        attribute="import_organisation_kind",
    ),
    Column(
        "region",
        COL_REGION,
        w.DigitsWidget,
        True,
        _("6-digit GB/T 2260 code, for example 610100 for Xi'an."),
    ),
    Column(
        "industry_field",
        COL_INDUSTRY_FIELD,
        None,
        True,
        _("One of the industry fields in the list."),
    ),
    Column(
        "demand_type",
        COL_DEMAND_TYPE,
        partial(w.ChoiceWidget, DEMAND_TYPE_WORDS),
        True,
        _("One of the demand types in the list."),
    ),
    Column(
        "keywords",
        COL_KEYWORDS,
        w.KeywordsWidget,
        True,
        _("One to five keywords separated by 、 or commas, at most 20 characters each."),
    ),
    Column(
        "current_base", COL_CURRENT_BASE, w.TextWidget, False, _("What the company already has.")
    ),
    Column(
        "key_problem", COL_KEY_PROBLEM, w.TextWidget, True, _("The key technical problem to solve.")
    ),
    Column(
        "indicators",
        COL_INDICATORS,
        w.IndicatorsWidget,
        True,
        _(
            "One indicator per line (Alt+Enter in Excel): "
            "指标名|目标值|单位|现状值; unit and current value may be left "
            "out."
        ),
        attribute="import_indicators",
    ),
    Column(
        "expected_outcome",
        COL_EXPECTED_OUTCOME,
        w.TextWidget,
        True,
        _("What the solution should achieve."),
    ),
    Column(
        "outcome_forms",
        COL_OUTCOME_FORMS,
        partial(w.MultiChoiceWidget, OUTCOME_WORDS),
        True,
        _("One or more from the list, separated by 、."),
    ),
    Column(
        "time_requirement",
        COL_TIME_REQUIREMENT,
        w.TextWidget,
        False,
        _("For example: a prototype within 12 months."),
    ),
    Column(
        "cooperation_modes",
        COL_COOPERATION_MODES,
        partial(w.MultiChoiceWidget, COOPERATION_WORDS),
        True,
        _("One or more from the list, separated by 、."),
    ),
    Column(
        "ip_ownership",
        COL_IP_OWNERSHIP,
        partial(w.ChoiceWidget, IP_WORDS, default="negotiable"),
        False,
        _("One from the list; empty means to be negotiated."),
    ),
    Column(
        "challenger_conditions",
        COL_CHALLENGER_CONDITIONS,
        w.TextWidget,
        False,
        _("What a challenger must have."),
    ),
    Column("budget", COL_BUDGET, w.AmountWidget, False, _("In 10k yuan (万元), a number.")),
    Column("prize", COL_PRIZE, w.AmountWidget, False, _("In 10k yuan (万元), a number.")),
    Column(
        "solution_deadline",
        COL_DEADLINE,
        w.DateWidget,
        False,
        _("A date such as 2021-08-31, not in the past."),
    ),
    Column(
        "contact_person", COL_CONTACT_PERSON, w.TextWidget, True, _("The contact person's name.")
    ),
    Column(
        "contact_mobile", COL_MOBILE, w.MobileWidget, True, _("11-digit mainland mobile number.")
    ),
    Column("contact_landline", COL_LANDLINE, w.TextWidget, False, _("For example 029-88881234.")),
    Column(
        "contact_email", COL_EMAIL, w.TextWidget, True, _("The contact person's e-mail address.")
    ),
    Column(
        "hidden_fields",
        COL_HIDDEN_FIELDS,
        partial(w.MultiChoiceWidget, HIDDEN_WORDS),
        False,
        _("What the public must not see, from the list, separated by 、."),
    ),
    Column("address", COL_ADDRESS, w.TextWidget, False, _("The company's address.")),
    Column(
        "hidden_passages",
        COL_HIDDEN_PASSAGES,
        w.LinesWidget,
        False,
        _("Passages of the texts to mask on public pages, one per line, copied exactly."),
    ),
    # export only
    Column("status", COL_STATUS, partial(w.ChoiceWidget, STATUS_WORDS), export_only=True),
    Column("national", COL_NATIONAL, w.YesNoWidget, export_only=True),
    Column("contact_consents_sharing", COL_CONSENT, w.YesNoWidget, export_only=True),
    Column("submitted_at", COL_SUBMITTED_AT, w.LocalDateTimeWidget, export_only=True),
    Column("published_at", COL_PUBLISHED_AT, w.LocalDateTimeWidget, export_only=True),
    Column("created_at", COL_CREATED_AT, w.LocalDateTimeWidget, export_only=True),
)
IMPORT_COLUMNS = tuple(column for column in COLUMNS if not column.export_only)
HEADERS = [column.header for column in IMPORT_COLUMNS]
REQUIRED = {column.header for column in IMPORT_COLUMNS if column.required}
OPTIONAL = [column.header for column in IMPORT_COLUMNS if not column.required]
