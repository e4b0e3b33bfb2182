"""Generating demands at scale: planning batches in this process, composing, projecting,
tokenising and inserting them in forked workers, and finding or deleting what was generated."""

import contextlib
import multiprocessing
import random
import time
from dataclasses import dataclass, field

from django.db import connection, connections, transaction
from django.utils import timezone

from accounts.models import Organisation, User
from common.regions import LOCALITIES
from common.search import tokenizer
from contests.models import HostUnit
from contests.selectors import current_contest

from ..models import Demand, Indicator
from ..public import projection as public
from ..public import search
from ..public.cache import PUBLIC_PAGES
from ..services import format_reference, next_sequence
from .banks import BANKS, FIELD_BANKS
from .compose import CODE_MARKER_REGEX, DEMANDS_PER_ORGANISATION, GENERATOR_EMAIL, Composer


class GeneratorError(Exception):
    """The database is not ready for generated demands (no current contest, no host units)."""


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
            chunk = organisations[start : start + 500]
            deleted, per_model = Demand.objects.filter(organisation_id__in=chunk).delete()
            count += per_model.get("demands.Demand", 0)
        for start in range(0, len(organisations), 2000):
            Organisation.objects.filter(pk__in=organisations[start : start + 2000]).delete()
        User.objects.filter(email=GENERATOR_EMAIL).delete()
    PUBLIC_PAGES.bump()
    return count


# --- the public snapshot and search columns, many at a time -----------------------------------
def index_values(demand, *, now=None):
    """The stored public columns of a public ``demand``: its ``public_snapshot``, search
    columns and ``public_indexed_at``, computed by the portal's own projection and tokeniser
    (``demands.public.projection.project``, ``demands.public.search.DEMANDS.columns``)
    exactly as ``demands.public.projection.refresh_public_index`` computes them, but without
    touching the database, so that they are ready before a bulk insert. The demand's
    organisation, industry field, host unit with its event and indicators must be loaded (or
    prefetched)."""
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
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
            top = max(cursor.fetchone()[0], self.high.get(table, 0))
        self.high[table] = top + count
        return list(range(top + 1, top + count + 1))


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
    organisation: tuple  # (pk, name, kind, region, address)
    seed: int


@dataclass(frozen=True)
class _Context:
    host_units: dict  # pk -> HostUnit with its event and contest
    fields: dict  # pk -> IndustryField
    creator_id: int


_context = None  # set before the workers fork, so they inherit it


def contest_host_units():
    """The current contest's host units (with event and contest) and each one's industry
    fields: ``(host_units, {host unit pk: [IndustryField]})``."""
    contest = current_contest()
    if contest is None:
        raise GeneratorError("No current contest: run `manage.py load_contest` first.")
    host_units = list(
        HostUnit.objects.filter(event__contest=contest)
        .select_related("event__contest")
        .prefetch_related("fields")
        .order_by("pk")
    )
    if not host_units:
        raise GeneratorError("The current contest has no host units: run `manage.py load_contest`.")
    fields_by_host = {unit.pk: list(unit.fields.all()) for unit in host_units}
    if not all(fields_by_host.values()):
        raise GeneratorError("Every host unit needs at least one industry field (load_contest).")
    return host_units, fields_by_host


def _generator_user():
    user, created = User.objects.get_or_create(
        email=GENERATOR_EMAIL, defaults={"full_name": "generate_demands", "is_active": False}
    )
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
                organisation = Organisation(
                    pk=pk, name=name, kind=kind, region=region, address=address
                )
                organisations[pk] = organisation
            demand, rows = Composer(random.Random(item.seed), now=now).demand(
                bank_name=item.bank_name, organisation=organisation
            )
            demand.pk = item.pk
            demand.ref = item.ref
            demand.sequence = item.sequence
            demand.host_unit = context.host_units[item.host_unit_id]
            demand.industry_field = context.fields[item.industry_field_id]
            demand.created_by_id = context.creator_id
            rows = [
                Indicator(
                    demand_id=item.pk,
                    position=position,
                    name=name,
                    target_value=target,
                    unit=unit,
                    current_value=current,
                )
                for position, (name, target, unit, current) in enumerate(rows)
            ]
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
    return (
        len(demands),
        len(indicators),
        {"compose": t1 - t0 - texts, "project+tokenise": texts, "insert": t2 - t1},
    )


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
    host_units, fields_by_host = contest_host_units()
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
            state["next_sequence"][unit.event_id] = next_sequence(unit.event_id)
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
                    random.Random(f"{seed}:{offset + done}"),
                    size,
                    host_units=host_units,
                    fields_by_host=fields_by_host,
                    state=state,
                )
                Organisation.objects.bulk_create(organisations, batch_size=1000)
                report.organisations += len(organisations)
                now = timezone.now()
                pieces = max(1, workers.size * 2)
                step = -(-len(planned) // pieces)
                chunks = [(planned[i : i + step], now) for i in range(0, len(planned), step)]
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
            organisation = composer.organisation(
                bank_name=bank_name, region=region, serial=state["org_serial"]
            )
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
        planned.append(
            _Planned(
                pk=ids[index],
                ref=format_reference(event.contest.edition, event.number, sequence),
                sequence=sequence,
                host_unit_id=host_unit.pk,
                industry_field_id=industry_field.pk,
                bank_name=bank_name,
                organisation=(
                    organisation.pk,
                    organisation.name,
                    organisation.kind,
                    organisation.region,
                    organisation.address,
                ),
                seed=rng.getrandbits(64),
            )
        )
    state["planned"] += size
    return planned, organisations
