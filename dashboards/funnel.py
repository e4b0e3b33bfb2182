"""The national funnel as data: one :class:`Stage` per step, in order.

Only stages whose data exists are listed: demands collected and published today. The steps
that the apps being built beside this one bring — answered, solutions, docking sessions,
intention agreements, live rounds, awards (count and amount), contracts — are each one entry
appended here when their app is merged (a queryset of the stage's rows and the ORM paths of
its host unit, event, industry field, region and date), never a zero shown for a stage that
does not exist yet. Example, for the solutions app::

    Stage(key="solutions", label=_("Solutions"),
          rows=lambda: Solution.objects.exclude(state="draft"),
          host_unit="demand__host_unit", field="demand__industry_field",
          region="demand__region", date="submitted_at", list_select=("demand",),
          describe=lambda s: (s.number, s.demand.title, s.get_absolute_url()))
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.regions import PROVINCES, province_code
from demands.models import Demand


@dataclass(frozen=True)
class Stage:
    key: str
    label: object
    rows: Callable  # () -> queryset of every row of the stage, nationally
    date: str  # the ORM path of the date the stage's week is counted by
    host_unit: str = "host_unit"
    field: str = "industry_field"
    region: str = "region"
    list_select: tuple = ()
    describe: Callable | None = None  # row -> (reference, title, url)

    def path(self, dimension):
        return {"host_unit": self.host_unit, "event": f"{self.host_unit}__event",
                "field": self.field, "region": self.region, "week": self.date}[dimension]


# A demand has reached its host unit once submitted, or from the start when host staff entered
# it (as ``demands.selectors.managed_scope``): a company's draft is not collected yet.
REACHED_HOST = Q(entered_by_host=True) | Q(submitted_at__isnull=False)


def _demand_row(demand):
    return demand.ref, demand.title, demand.get_private_url()


STAGES = (
    Stage(key="collected", label=_("Demands collected"),
          rows=lambda: Demand.objects.filter(REACHED_HOST), date="submitted_at",
          list_select=("host_unit",), describe=_demand_row),
    Stage(key="published", label=_("Demands published"),
          rows=lambda: Demand.objects.filter(published_at__isnull=False), date="published_at",
          list_select=("host_unit",), describe=_demand_row),
)
STAGE_BY_KEY = {stage.key: stage for stage in STAGES}

DIMENSIONS = {
    "host_unit": _("Host unit"),
    "event": _("Event"),
    "field": _("Industry field"),
    "region": _("Region"),
    "week": _("Week"),
}


def scoped(stage, unit_ids):
    """The stage's rows within ``unit_ids`` (``None``: national)."""
    rows = stage.rows()
    if unit_ids is not None:
        rows = rows.filter(**{f"{stage.host_unit}__in": list(unit_ids)})
    return rows


def totals(unit_ids):
    return [(stage, scoped(stage, unit_ids).count()) for stage in STAGES]


def breakdown(stage, unit_ids, dimension):
    """``[(key, label, count)]`` of the stage's rows grouped by ``dimension``, one query."""
    rows = scoped(stage, unit_ids).order_by()
    path = stage.path(dimension)
    if dimension == "week":
        grouped = (rows.exclude(**{f"{path}__isnull": True})
                   .annotate(bucket=TruncWeek(path)).values("bucket")
                   .annotate(n=Count("pk")).order_by("bucket"))
        return [(row["bucket"].date().isoformat(), row["bucket"].date().isoformat(), row["n"])
                for row in grouped]
    if dimension == "region":
        counts = {}
        for row in rows.values(path).annotate(n=Count("pk")):
            province = province_code(row[path]) or "?"
            counts[province] = counts.get(province, 0) + row["n"]
        return sorted(((code, PROVINCES.get(code, str(_("unknown"))), n)
                       for code, n in counts.items()), key=lambda item: (-item[2], item[0]))
    name = {"host_unit": f"{path}__name", "event": f"{path}__name", "field": f"{path}__name"}
    key = f"{path}__number" if dimension == "event" else f"{path}_id" if "__" not in path else (
        f"{path}__pk")
    grouped = rows.values(key, name[dimension]).annotate(n=Count("pk")).order_by("-n", key)
    return [(row[key], row[name[dimension]], row["n"]) for row in grouped]


def drill(stage, unit_ids, dimension=None, key=None):
    """The rows behind one figure: the stage's rows in scope, narrowed to one group."""
    rows = scoped(stage, unit_ids)
    if not dimension or key in (None, ""):
        return rows
    path = stage.path(dimension)
    if dimension == "week":
        try:
            monday = datetime.fromisoformat(str(key)).date()
        except ValueError:
            return rows.none()
        start = timezone.make_aware(datetime.combine(monday, time.min))
        return rows.filter(**{f"{path}__gte": start,
                              f"{path}__lt": start + timedelta(days=7)})
    if dimension == "region":
        code = str(key)
        if code == "?":
            return rows.exclude(**{f"{path}__regex": r"^[0-9]{6}$"})
        return rows.filter(**{f"{path}__startswith": code[:2]}) if code.isdigit() else rows.none()
    if dimension == "event":
        return rows.filter(**{f"{path}__number": key}) if str(key).isdigit() else rows.none()
    return rows.filter(**{f"{path}__pk": key}) if str(key).isdigit() else rows.none()


def per_host(unit_ids):
    """Each host unit in scope with the count of every stage (one query per stage)."""
    from contests.models import HostUnit

    units = HostUnit.objects.select_related("event").order_by("event__number", "pk")
    if unit_ids is not None:
        units = units.filter(pk__in=list(unit_ids))
    table = {unit.pk: {"unit": unit, "counts": []} for unit in units}
    for stage in STAGES:
        counts = dict(scoped(stage, unit_ids).order_by().values_list(stage.host_unit)
                      .annotate(n=Count("pk")).values_list(stage.host_unit, "n"))
        for pk, row in table.items():
            row["counts"].append(counts.get(pk, 0))
    return list(table.values())


__all__ = ["DIMENSIONS", "STAGES", "Stage", "breakdown", "drill", "per_host", "totals"]
