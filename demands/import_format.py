"""The standard format of the demand record (技术需求表) in spreadsheets: its Chinese column
headers, the Chinese words of its choice columns, and the widgets that read and write cells.

The headers and choice words are the format itself (the form that hosts hand to companies),
not interface text, so they are fixed Chinese strings and do not go through gettext. Choice
cells also accept the stored values (``research``) and the labels of the current language.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.encoding import force_str
from django.utils.translation import gettext
from import_export.widgets import Widget

from accounts.enums import OrganisationKind
from accounts.mobile import normalise_mobile

from .enums import (
    CooperationMode,
    DemandStatus,
    DemandType,
    HideableField,
    IPOwnership,
    OutcomeForm,
)
from .services import MAX_KEYWORDS, split_keywords

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


# One separator set for every multi-value cell: 、 , ， ; ； / and line breaks.
MULTI_SEPARATORS = re.compile(r"[、,，;；/／\n\r]+")
INDICATOR_SEPARATORS = re.compile(r"[|｜]")
MAX_INDICATORS = 30
MAX_KEYWORD_LENGTH = 20


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


def not_allowed(text, words):
    return ValueError(
        gettext("“%(value)s” is not an allowed value. Allowed: %(allowed)s.")
        % {"value": text, "allowed": words.allowed_text()}
    )


# --- widgets ----------------------------------------------------------------------------------
def _text(value):
    """A cell as text: numbers from a spreadsheet lose a trailing ``.0`` (610100.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return force_str(value).strip()


class TextWidget(Widget):
    """Text kept exactly as typed (trimmed); a formula-like text stays text."""

    def clean(self, value, row=None, **kwargs):
        return _text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else force_str(value)


class DigitsWidget(TextWidget):
    """Codes made of digits that a spreadsheet may have turned into numbers (region codes)."""


class MobileWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return normalise_mobile(_text(value))


class CreditCodeWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return _text(value).upper().replace(" ", "")


class ChoiceWidget(Widget):
    """One value of a choice column, by its Chinese word. A blank cell gives ``default``."""

    def __init__(self, words, default=""):
        super().__init__()
        self.words = words
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return self.default
        found = self.words.lookup(text)
        if found is None:
            raise not_allowed(text, self.words)
        return found

    def render(self, value, obj=None, **kwargs):
        return self.words.word(value)


class MultiChoiceWidget(Widget):
    """Several values of a choice column in one cell, separated by 、 or commas."""

    def __init__(self, words):
        super().__init__()
        self.words = words

    def clean(self, value, row=None, **kwargs):
        values, unknown = [], []
        for part in MULTI_SEPARATORS.split(_text(value)):
            part = part.strip()
            if not part:
                continue
            found = self.words.lookup(part)
            if found is None:
                unknown.append(part)
            elif found not in values:
                values.append(found)
        if unknown:
            raise not_allowed("、".join(unknown), self.words)
        return values

    def render(self, value, obj=None, **kwargs):
        return "、".join(self.words.word(item) for item in value or [])


class KeywordsWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        words = split_keywords(_text(value))
        if len(words) > MAX_KEYWORDS:
            raise ValueError(
                gettext("Enter at most five keywords (you entered %(count)d).")
                % {"count": len(words)}
            )
        too_long = [word for word in words if len(word) > MAX_KEYWORD_LENGTH]
        if too_long:
            raise ValueError(
                gettext("A keyword has at most 20 characters: %(words)s")
                % {"words": "、".join(too_long)}
            )
        return words

    def render(self, value, obj=None, **kwargs):
        return "、".join(value or [])


class LinesWidget(Widget):
    """One value per line (hidden passages)."""

    def clean(self, value, row=None, **kwargs):
        lines = []
        for line in _text(value).splitlines():
            line = line.strip()
            if line and line not in lines:
                lines.append(line)
        return lines

    def render(self, value, obj=None, **kwargs):
        return "\n".join(value or [])


class IndicatorsWidget(Widget):
    """Technical indicators, one per line: ``指标名|目标值|单位|现状值`` (unit and current value
    may be left out). Gives a list of dicts in the shape ``services`` takes."""

    KEYS = ("name", "target_value", "unit", "current_value")
    LIMITS = {"name": 100, "target_value": 100, "unit": 30, "current_value": 100}

    def clean(self, value, row=None, **kwargs):
        rows = []
        lines = [line.strip() for line in _text(value).splitlines()]
        for number, line in enumerate((line for line in lines if line), start=1):
            parts = [part.strip() for part in INDICATOR_SEPARATORS.split(line)]
            if len(parts) > len(self.KEYS):
                raise ValueError(
                    gettext(
                        "Indicator %(number)d has more than four parts; write it as "
                        "指标名|目标值|单位|现状值."
                    )
                    % {"number": number}
                )
            data = dict(zip(self.KEYS, parts + [""] * (len(self.KEYS) - len(parts)), strict=True))
            if not data["name"] or not data["target_value"]:
                raise ValueError(
                    gettext(
                        "Indicator %(number)d needs a name and a target value: "
                        "指标名|目标值|单位|现状值."
                    )
                    % {"number": number}
                )
            for key, limit in self.LIMITS.items():
                if len(data[key]) > limit:
                    raise ValueError(
                        gettext("Indicator %(number)d: a part is longer than %(limit)d characters.")
                        % {"number": number, "limit": limit}
                    )
            rows.append(data)
        if len(rows) > MAX_INDICATORS:
            raise ValueError(
                gettext("Give at most %(limit)d indicators.") % {"limit": MAX_INDICATORS}
            )
        return rows

    @staticmethod
    def line(row):
        parts = [row.name, row.target_value, row.unit, row.current_value]
        while len(parts) > 2 and not parts[-1]:
            parts.pop()
        return "|".join(parts)

    def render(self, value, obj=None, **kwargs):
        return "\n".join(self.line(row) for row in value or [])


class AmountWidget(Widget):
    """An amount in 万元: ``200``, ``12.5``, ``1,200``, ``200万元``."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return Decimal(str(value))
        text = _text(value).replace(",", "").replace("，", "")
        text = re.sub(r"\s*(万元|万)$", "", text)
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                gettext("Enter an amount in 10k yuan (万元), such as 200 or 12.5.")
            ) from None
        if not amount.is_finite():
            raise ValueError(gettext("Enter an amount in 10k yuan (万元), such as 200 or 12.5."))
        return amount

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return format(Decimal(value).normalize(), "f")


class DateWidget(Widget):
    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(gettext("Enter a date such as 2021-08-31."))

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return value.isoformat()
