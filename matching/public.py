"""The public projection of the achievement library: what a visitor sees of a public
achievement on its page and in the library, and nothing else (no staff-only achievement, no
importing host unit, no creator, no search or ranking columns). The open-data API reads
achievements only through here.

``PUBLIC_ACHIEVEMENTS`` is the library's namespace in the shared page cache: the services bump
it after any achievement is listed, edited, deleted or reindexed, which is what the API's
ETag / Last-Modified follow."""

from common.page_cache import PageCache
from common.regions import region_name
from demands.enums import CooperationMode

from .enums import Visibility
from .models import Achievement

PUBLIC_ACHIEVEMENTS = PageCache("matching:public")

# The columns the projection reads (``values()``), nothing more.
COLUMNS = ("pk", "title", "abstract", "keywords", "trl", "patent_numbers", "region",
           "cooperation_modes", "listed_at", "updated_at", "owner__name",
           "industry_field__code", "industry_field__name")


def public_achievements():
    """Every public achievement; the one queryset public outputs start from."""
    return Achievement.objects.filter(visibility=Visibility.PUBLIC)


def project(row):
    """The public view of one achievement, from a ``values(*COLUMNS)`` row."""
    modes = [mode for mode in (row["cooperation_modes"] or ()) if mode in CooperationMode.values]
    return {
        "id": row["pk"],
        "title": row["title"],
        "abstract": row["abstract"],
        "holder_name": row["owner__name"],
        "industry_code": row["industry_field__code"],
        "industry_name": row["industry_field__name"],
        "trl": row["trl"],
        "keywords": list(row["keywords"] or ()),
        "patent_numbers": list(row["patent_numbers"] or ()),
        "region_code": row["region"],
        "region_name": region_name(row["region"]),
        "cooperation_modes": modes,
        "listed_at": row["listed_at"],
        "updated_at": row["updated_at"],
    }
