"""The national funnel as data: one :class:`Stage` per step, in order.

Every step of the contest is here, from demands collected to technology contracts: each is one
entry (a queryset of the stage's rows and the ORM paths of its host unit, event, industry
field, region and date), so a new step is one more entry. A stage whose rows reach
several demands (a docking session) is counted once in each group it reaches (``spans``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.models import Award, TechnologyContract
from common.regions import PROVINCES, province_code
from demands.models import Demand
from matching.enums import AgreementState, DockingState
from matching.models import DockingSession, IntentionAgreement, LiveRound
from solutions.enums import SolutionStatus
from solutions.models import DemandResponse, Solution


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
    # Dimensions in which one row may fall into several groups (a docking session for demands
    # of two fields is counted under each field): there the groups add up to more than the total.
    spans: tuple = ()
    # The ORM path of the row's amount in 10k yuan (万元) when the stage has one (awards,
    # contracts): the funnel, the breakdowns, the per-host table and the export sum it.
    amount: str | None = None

    def path(self, dimension):
        return {"host_unit": self.host_unit, "event": f"{self.host_unit}__event",
                "field": self.field, "region": self.region, "week": self.date}[dimension]


# A demand has reached its host unit once submitted, or from the start when host staff entered
# it (as ``demands.selectors.managed_scope``): a company's draft is not collected yet.
REACHED_HOST = Q(entered_by_host=True) | Q(submitted_at__isnull=False)


def _demand_row(demand):
    return demand.ref, demand.title, demand.get_private_url()


def _first_responses():
    """One row per answered demand: its first response (``DemandResponse``)."""
    first = (DemandResponse.objects.filter(demand=OuterRef("demand"))
             .order_by("at", "pk").values("pk")[:1])
    return DemandResponse.objects.filter(pk=Subquery(first))


def _response_row(response):
    return _demand_row(response.demand)


def _solution_row(solution):
    return solution.demand.ref, solution.title, solution.get_absolute_url()


def _docking_row(session):
    return session.starts_at.date().isoformat(), session.title, session.get_absolute_url()


def _agreement_row(agreement):
    return agreement.demand.ref, agreement.demand.title, agreement.get_absolute_url()


def _on_demand_row(row):
    return row.demand.ref, row.demand.title, row.get_absolute_url()


def _contract_row(contract):
    return contract.agreement.demand.ref, contract.agreement.demand.title, (
        contract.get_absolute_url())


STAGES = (
    Stage(key="collected", label=_("Demands collected"),
          rows=lambda: Demand.objects.filter(REACHED_HOST), date="submitted_at",
          list_select=("host_unit",), describe=_demand_row),
    Stage(key="published", label=_("Demands published"),
          rows=lambda: Demand.objects.filter(published_at__isnull=False), date="published_at",
          list_select=("host_unit",), describe=_demand_row),
    # Counted in the week of the demand's first response (每个需求都有回应).
    Stage(key="answered", label=_("Demands answered"), rows=_first_responses, date="at",
          host_unit="demand__host_unit", field="demand__industry_field",
          region="demand__region", list_select=("demand",), describe=_response_row),
    Stage(key="solutions", label=_("Solutions"),
          rows=lambda: Solution.objects.filter(submitted_at__isnull=False)
          .exclude(status=SolutionStatus.DRAFT),
          date="submitted_at", host_unit="demand__host_unit", field="demand__industry_field",
          region="demand__region", list_select=("demand",), describe=_solution_row),
    Stage(key="docking", label=_("Docking sessions"),
          rows=lambda: DockingSession.objects.exclude(state=DockingState.CANCELLED),
          date="starts_at", field="demands__industry_field", region="demands__region",
          describe=_docking_row, spans=("field", "region")),
    Stage(key="agreements", label=_("Intention agreements"),
          rows=lambda: IntentionAgreement.objects.filter(state=AgreementState.CONFIRMED),
          date="signed_on", host_unit="demand__host_unit", field="demand__industry_field",
          region="demand__region", list_select=("demand",), describe=_agreement_row),
    Stage(key="live_rounds", label=_("Live rounds"), rows=lambda: LiveRound.objects.all(),
          date="starts_at", field="demand__industry_field", region="demand__region",
          list_select=("demand",), describe=_on_demand_row),
    Stage(key="awards", label=_("Awards"), rows=lambda: Award.objects.all(), date="created_at",
          field="demand__industry_field", region="demand__region", list_select=("demand",),
          describe=_on_demand_row, amount="amount"),
    Stage(key="contracts", label=_("Technology contracts"),
          rows=lambda: TechnologyContract.objects.all(), date="signed_on",
          field="agreement__demand__industry_field", region="agreement__demand__region",
          list_select=("agreement__demand",), describe=_contract_row, amount="amount"),
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


def _figures(stage):
    """The aggregates of a stage's rows: their count and, when it has one, their amount. A
    stage with an amount reaches its dimensions through foreign keys only (no ``spans``), so
    the sum counts each row once."""
    figures = {"n": Count("pk", distinct=True)}
    if stage.amount:
        figures["amount"] = Sum(stage.amount)
    return figures


def totals(unit_ids):
    """``[(stage, count, amount)]``, one query per stage; ``amount`` (万元) is ``None`` for a
    stage without one and 0 for an empty one."""
    result = []
    for stage in STAGES:
        row = scoped(stage, unit_ids).aggregate(**_figures(stage))
        result.append((stage, row["n"], _amount(stage, row)))
    return result


def _amount(stage, row):
    if not stage.amount:
        return None
    return row.get("amount") or 0


def breakdown(stage, unit_ids, dimension):
    """``[(key, label, count, amount)]`` of the stage's rows grouped by ``dimension``, one
    query (``amount`` is ``None`` for a stage without one)."""
    rows = scoped(stage, unit_ids).order_by()
    path = stage.path(dimension)
    if dimension == "week":
        grouped = (rows.exclude(**{f"{path}__isnull": True})
                   .annotate(bucket=TruncWeek(path)).values("bucket")
                   .annotate(**_figures(stage)).order_by("bucket"))
        weeks = [(_day(row["bucket"]).isoformat(), row["n"], _amount(stage, row))
                 for row in grouped]
        return [(week, week, n, amount) for week, n, amount in weeks]
    if dimension == "region":
        counts = _per_province(rows, path, stage, spans=dimension in stage.spans)
        return sorted(((code, PROVINCES.get(code, str(_("unknown"))), n, amount)
                       for code, (n, amount) in counts.items()),
                      key=lambda item: (-item[2], item[0]))
    name = {"host_unit": f"{path}__name", "event": f"{path}__name", "field": f"{path}__name"}
    key = f"{path}__number" if dimension == "event" else f"{path}_id" if "__" not in path else (
        f"{path}__pk")
    grouped = (rows.values(key, name[dimension]).annotate(**_figures(stage))
               .order_by("-n", key))
    return [(row[key], row[name[dimension]], row["n"], _amount(stage, row)) for row in grouped]


def _day(bucket):
    """TruncWeek gives a datetime for a DateTimeField, a date for a DateField."""
    return bucket.date() if isinstance(bucket, datetime) else bucket


def _per_province(rows, path, stage, *, spans):
    """{province: (count, amount)}."""
    if spans:
        # A row reaching two cities of one province counts once for the province (a stage
        # with spans has no amount).
        members = {}
        for region, pk in rows.values_list(path, "pk").distinct():
            members.setdefault(province_code(region) or "?", set()).add(pk)
        return {province: (len(pks), None) for province, pks in members.items()}
    counts = {}
    for row in rows.values(path).annotate(**_figures(stage)):
        province = province_code(row[path]) or "?"
        n, amount = counts.get(province, (0, _amount(stage, {})))
        counts[province] = (n + row["n"], None if amount is None
                            else amount + _amount(stage, row))
    return counts


def drill(stage, unit_ids, dimension=None, key=None):
    """The rows behind one figure: the stage's rows in scope, narrowed to one group (each row
    once, also when the group's path runs through several demands)."""
    return _narrowed(scoped(stage, unit_ids), stage, dimension, key).distinct()


def _narrowed(rows, stage, dimension, key):
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
    """Each host unit in scope with the count of every stage (``counts``, in the order of
    ``STAGES``) and the amount of every stage that has one (``amounts``, in the order of
    :func:`amount_stages`); one query per stage."""
    from contests.models import HostUnit

    units = HostUnit.objects.select_related("event").order_by("event__number", "pk")
    if unit_ids is not None:
        units = units.filter(pk__in=list(unit_ids))
    table = {unit.pk: {"unit": unit, "counts": [], "amounts": []} for unit in units}
    for stage in STAGES:
        figures = {row[stage.host_unit]: row for row in scoped(stage, unit_ids).order_by()
                   .values(stage.host_unit).annotate(**_figures(stage))}
        for pk, row in table.items():
            found = figures.get(pk, {})
            row["counts"].append(found.get("n", 0))
            if stage.amount:
                row["amounts"].append(_amount(stage, found))
    return list(table.values())


def amount_stages():
    """The stages with an amount, in funnel order."""
    return [stage for stage in STAGES if stage.amount]


__all__ = ["DIMENSIONS", "STAGES", "Stage", "amount_stages", "breakdown", "drill", "per_host",
           "totals"]
