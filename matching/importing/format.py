"""The standard format of the achievement record (成果信息表) in spreadsheets: its Chinese
column headers and choice words, and :data:`COLUMNS`, the one list of its columns that the
import, the export and the template are built from.

The headers and choice words are the format itself, not interface text (as in the demand
format, ``demands.importing.format``, whose cell widgets and choice words are reused here).
"""

import re
from dataclasses import dataclass
from functools import partial

from django.utils.encoding import force_str
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.widgets import Widget

from demands.importing import widgets as w
from demands.importing.format import (
    COOPERATION_WORDS,
    ORGANISATION_KIND_WORDS,
    ChoiceWords,
)
from demands.importing.format import normalise_header as normalise_demand_header

from ..enums import Visibility
from ..services.library import MAX_KEYWORDS, split_list

COL_TITLE = "成果名称"
COL_HOST_UNIT = "承办单位"
COL_OWNER = "成果持有单位"
COL_CREDIT_CODE = "统一社会信用代码"
COL_OWNER_KIND = "单位类型"
COL_REGION = "所在地区"
COL_INDUSTRY_FIELD = "所属领域"
COL_KEYWORDS = "关键词"
COL_ABSTRACT = "成果简介"
COL_TRL = "技术成熟度"
COL_PATENTS = "专利号"
COL_COOPERATION_MODES = "合作方式"
COL_VISIBILITY = "公开范围"

HEADER_ALIASES = {
    "成果名": COL_TITLE,
    "项目名称": COL_TITLE,
    "持有单位": COL_OWNER,
    "成果单位": COL_OWNER,
    "单位名称": COL_OWNER,
    "成果简介（摘要）": COL_ABSTRACT,
    "成果摘要": COL_ABSTRACT,
    "摘要": COL_ABSTRACT,
    "技术成熟度（TRL）": COL_TRL,
    "技术成熟度（TRL1-9）": COL_TRL,
    "成熟度": COL_TRL,
    "TRL": COL_TRL,
    "专利号码": COL_PATENTS,
    "专利": COL_PATENTS,
    "可合作方式": COL_COOPERATION_MODES,
    "公开方式": COL_VISIBILITY,
    "可见范围": COL_VISIBILITY,
}


def normalise_header(header):
    """A header as the standard names it (marks such as ``*`` and ``（必填）`` tolerated, the
    demand format's variants of shared columns and this format's own renamed)."""
    text = normalise_demand_header(header)
    return HEADER_ALIASES.get(text, text)


VISIBILITY_WORDS = ChoiceWords(
    Visibility,
    {Visibility.PUBLIC: "公开", Visibility.STAFF: "仅工作人员可见"},
    {"是": Visibility.PUBLIC, "公开发布": Visibility.PUBLIC, "不公开": Visibility.STAFF,
     "否": Visibility.STAFF, "内部": Visibility.STAFF,
     "仅承办单位和火炬中心可见": Visibility.STAFF},
)


class ListWidget(Widget):
    """Items of one cell separated by 、 , ， ; ； or line breaks (keywords, patent numbers)."""

    limit = None

    def clean(self, value, row=None, **kwargs):
        items = split_list(w.TextWidget().clean(value))
        if self.limit is not None and len(items) > self.limit:
            raise ValueError(gettext("Enter at most %(limit)d keywords (you entered %(count)d).")
                             % {"limit": self.limit, "count": len(items)})
        return items

    def render(self, value, obj=None, **kwargs):
        return "、".join(value or [])


class KeywordsWidget(ListWidget):
    limit = MAX_KEYWORDS


class TrlWidget(Widget):
    """技术成熟度: a whole number from 1 to 9 (``TRL6``, ``6级`` accepted)."""

    def clean(self, value, row=None, **kwargs):
        text = re.sub(r"^(TRL)\s*|\s*级$", "", w.TextWidget().clean(value), flags=re.IGNORECASE)
        if not text:
            return None
        if not text.isdigit() or not 1 <= int(text) <= 9:
            raise ValueError(gettext("Enter the maturity as a whole number from 1 to 9."))
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


@dataclass(frozen=True)
class Column:
    """One column: ``name`` is the resource field, ``attribute`` what a row sets on the
    achievement (``import_*`` attributes carry the holder to the resource); ``widget`` builds
    the cell widget (``None``: the resource supplies a scoped lookup)."""

    name: str
    header: str
    widget: object
    required: bool = False
    note: str = ""
    attribute: str = ""

    @property
    def target(self):
        return self.attribute or self.name


# The order of the template and of the export.
COLUMNS = (
    Column("title", COL_TITLE, w.TextWidget, True, _("At most 120 characters.")),
    Column("host_unit", COL_HOST_UNIT, None, True,
           _("One of your host units, by its name (see the list of allowed values).")),
    Column("owner_name", COL_OWNER, w.TextWidget, True,
           _("The holder's registered name; needed when its credit code is new to the portal."),
           attribute="import_owner_name"),
    Column("credit_code", COL_CREDIT_CODE, w.CreditCodeWidget, True,
           _("18 characters (GB 32100); the organisation is found by it, or created when it "
             "is new."),
           attribute="import_credit_code"),
    Column("owner_kind", COL_OWNER_KIND, partial(w.ChoiceWidget, ORGANISATION_KIND_WORDS), True,
           _("Needed when the organisation is new: 企业, 高校, 科研院所 or 团队."),
           attribute="import_owner_kind"),
    Column("region", COL_REGION, w.DigitsWidget, True,
           _("6-digit GB/T 2260 code, for example 610100 for Xi'an.")),
    Column("industry_field", COL_INDUSTRY_FIELD, None, True,
           _("One of the industry fields in the list.")),
    Column("keywords", COL_KEYWORDS, KeywordsWidget, False,
           _("Up to eight keywords separated by 、 or commas.")),
    Column("abstract", COL_ABSTRACT, w.TextWidget, True,
           _("What the achievement is, what it solves and how far it has come.")),
    Column("trl", COL_TRL, TrlWidget, True, _("Technology readiness, a whole number 1–9.")),
    Column("patent_numbers", COL_PATENTS, ListWidget, False,
           _("Such as ZL202010123456.7 or CN112345678A, separated by 、.")),
    Column("cooperation_modes", COL_COOPERATION_MODES,
           partial(w.MultiChoiceWidget, COOPERATION_WORDS), False,
           _("One or more from the list, separated by 、.")),
    Column("visibility", COL_VISIBILITY,
           partial(w.ChoiceWidget, VISIBILITY_WORDS, default=Visibility.PUBLIC), False,
           _("公开 (everyone) or 仅工作人员可见 (host and Torch staff and the holder); empty "
             "means public.")),
)
HEADERS = [column.header for column in COLUMNS]
REQUIRED = {column.header for column in COLUMNS if column.required}
OPTIONAL = [column.header for column in COLUMNS if not column.required]


def allowed_text(words):
    return force_str(words.allowed_text())
