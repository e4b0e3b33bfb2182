"""Step 5: fanning one publication out to 100k subscribers, each exactly once.

Subscribers are created in bulk: 100k users whose subscriptions match the demand (a third by
its industry field, a third by its region, a third by a keyword of its public text; every
tenth has a second subscription that matches another way, so one person matching twice must
still be notified once) and 5,000 whose subscriptions match nothing of it. The index rows of
regions and keywords are written with the push app's own normalisation and anchor functions.

Then Torch staff publish one approved demand with ``demands.services.transition``: the
publishing hook writes the push's outbox row, and after commit the fan-out runs (Celery is
eager in the benchmark, so it runs inside that call; with a worker the time would also hold
the queueing). The figure is the time from the call to the moment every outbox row exists
(``push.fanout.fan_out(demand_id)`` is called afterwards: it returns at once when the
job is done, and runs it otherwise). Checked: exactly one inbox line per matching subscriber,
all of distinct recipients, none for the others, and as many outbound e-mails.

The reference is a plain ``bulk_create`` of the same number of inbox lines (rolled back), the
least any fan-out must write. The subscribers stay in the database for the next run (their
inbox lines and e-mails are deleted at the end); a run with another count recreates them.
"""

import time
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from bench.data import torch_staff
from bench.report import Row, ratio_of

SUBSCRIBER_DOMAIN = "subscriber.bench.invalid"
OTHERS = 5_000
KEYWORD = "热失控预警"


class _Rollback(Exception):
    pass


def _demand_to_publish():
    """An approved demand (generated organisation, realistic text with the keyword) ready to
    be published, with its field and region."""
    import random

    from django.db.models import Max

    from contests.models import IndustryField
    from demands.enums import DemandStatus
    from demands.generators import Composer, contest_host_units
    from demands.models import Demand, Indicator
    from demands.services import format_reference

    host_units, fields_by_host = contest_host_units()
    host_unit = next(unit for unit in host_units
                     if any(field.code == "new-energy" for field in fields_by_host[unit.pk]))
    field = IndustryField.objects.get(code="new-energy")
    composer = Composer(random.Random("fanout"), now=timezone.now())
    organisation = composer.organisation(bank_name="energy", region=host_unit.region,
                                         serial=31 ** 4 - 40_000)
    organisation.save()
    demand, rows = composer.demand(bank_name="energy", organisation=organisation)
    demand.title = f"动力电池{KEYWORD}系统研制"
    demand.keywords = ["动力电池", KEYWORD]
    demand.hidden_fields = []
    demand.hidden_passages = []
    demand.status = DemandStatus.APPROVED
    demand.published_at = demand.closed_at = None
    demand.national = False
    demand.solution_deadline = timezone.localdate() + timedelta(days=60)
    event = host_unit.event
    top = Demand.objects.filter(host_unit__event=event).aggregate(top=Max("sequence"))["top"]
    demand.sequence = (top or 0) + 1
    demand.ref = format_reference(event.contest.edition, event.number, demand.sequence)
    demand.host_unit = host_unit
    demand.industry_field = field
    demand.created_by = torch_staff()
    demand.save()
    Indicator.objects.bulk_create([
        Indicator(demand=demand, position=position, name=name, target_value=target, unit=unit,
                  current_value=current)
        for position, (name, target, unit, current) in enumerate(rows)])
    return demand


def _other_region(region):
    return "650100" if not region.startswith("65") else "540100"


def create_subscribers(count, demand, *, log):
    """``count`` matching and ``OTHERS`` non-matching subscribers, in bulk; returns the ids
    of the matching ones."""
    from accounts.models import User
    from contests.models import IndustryField
    from push.models import Subscription, SubscriptionKeyword, SubscriptionRegion
    from push.subscriptions import keyword_anchor, normalise_keyword

    other_field = IndustryField.objects.exclude(pk=demand.industry_field_id).order_by("pk")[0]
    keyword = normalise_keyword(KEYWORD)
    other_keyword = normalise_keyword("量子通信中继")
    password = make_password(None)
    now = timezone.now()
    started = time.perf_counter()
    users = [User(email=f"s{i}@{SUBSCRIBER_DOMAIN}", password=password, is_active=True,
                  date_joined=now) for i in range(count + OTHERS)]
    User.objects.bulk_create(users, batch_size=5000)
    users = list(User.objects.filter(email__endswith=f"@{SUBSCRIBER_DOMAIN}")
                 .order_by("pk").values_list("pk", "email"))
    by_email = dict((email, pk) for pk, email in users)
    matching = [by_email[f"s{i}@{SUBSCRIBER_DOMAIN}"] for i in range(count)]
    others = [by_email[f"s{i}@{SUBSCRIBER_DOMAIN}"] for i in range(count, count + OTHERS)]

    # (user id, how) for each subscription: "field", "region", "keyword" or "none"
    plan = [(user_id, ("field", "region", "keyword")[i % 3]) for i, user_id in
            enumerate(matching)]
    plan += [(user_id, ("region", "keyword", "field")[i % 3]) for i, user_id in
             enumerate(matching) if i % 10 == 0]
    plan += [(user_id, "none") for user_id in others]
    region = demand.region
    subscriptions = []
    for user_id, how in plan:
        subscriptions.append(Subscription(
            user_id=user_id, name=f"bench {how}",
            regions=[region] if how == "region" else
            ([_other_region(region)] if how == "none" else []),
            keywords=[keyword] if how == "keyword" else ([other_keyword] if how == "none"
                                                          else []),
            created_at=now))
    Subscription.objects.bulk_create(subscriptions, batch_size=5000)
    through = Subscription.fields.through
    field_rows, region_rows, keyword_rows = [], [], []
    for subscription, (_user_id, how) in zip(subscriptions, plan, strict=True):
        if how == "field":
            field_rows.append(through(subscription_id=subscription.pk,
                                      industryfield_id=demand.industry_field_id))
        elif how == "none":
            field_rows.append(through(subscription_id=subscription.pk,
                                      industryfield_id=other_field.pk))
        for code in subscription.regions:
            region_rows.append(SubscriptionRegion(subscription_id=subscription.pk, code=code))
        for word in subscription.keywords:
            keyword_rows.append(SubscriptionKeyword(subscription_id=subscription.pk,
                                                    keyword=word, anchor=keyword_anchor(word)))
    through.objects.bulk_create(field_rows, batch_size=5000)
    SubscriptionRegion.objects.bulk_create(region_rows, batch_size=5000)
    SubscriptionKeyword.objects.bulk_create(keyword_rows, batch_size=5000)
    with connection.cursor() as cursor:
        for table in ("accounts_user", Subscription._meta.db_table,
                      SubscriptionRegion._meta.db_table, SubscriptionKeyword._meta.db_table,
                      through._meta.db_table):
            cursor.execute(f"ANALYZE {table}")
    log(f"  {len(matching):,} matching and {len(others):,} other subscribers with "
        f"{len(subscriptions):,} subscriptions created in {time.perf_counter() - started:.0f} s")
    return matching, others


def existing_subscribers(count, demand):
    """The kept subscribers' ``(matching ids, other ids)`` when they are the ones this run
    needs (as many, subscribed to this demand's region), else None."""
    from accounts.models import User
    from push.models import SubscriptionRegion

    rows = dict(User.objects.filter(email__endswith=f"@{SUBSCRIBER_DOMAIN}")
                .values_list("email", "pk"))
    if len(rows) != count + OTHERS or not SubscriptionRegion.objects.filter(
            subscription__user__email__endswith=f"@{SUBSCRIBER_DOMAIN}",
            code=demand.region).exists():
        return None
    ids = [rows.get(f"s{i}@{SUBSCRIBER_DOMAIN}") for i in range(count + OTHERS)]
    if None in ids:
        return None
    return ids[:count], ids[count:]


def delete_deliveries(log):
    """Delete the subscribers' inbox lines and e-mails, one statement each per chunk (the
    ORM's collector would load them all to clear the digest link)."""
    from accounts.models import User
    from notifications.models import Notification, OutboundEmail

    started = time.perf_counter()
    ids = list(User.objects.filter(email__endswith=f"@{SUBSCRIBER_DOMAIN}")
               .values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        with transaction.atomic():
            for model in (Notification, OutboundEmail):
                model.objects.filter(recipient_id__in=chunk)._raw_delete(connection.alias)
    log(f"  the subscribers' inbox lines and e-mails deleted in "
        f"{time.perf_counter() - started:.0f} s")


def delete_subscribers(log):
    """Delete the subscribers: their inbox lines and e-mails with one statement each (the
    ORM's collector would load them all to clear the digest link), then the users, whose
    subscriptions and index rows cascade."""
    from accounts.models import User
    from notifications.models import Notification, OutboundEmail

    started = time.perf_counter()
    ids = list(User.objects.filter(email__endswith=f"@{SUBSCRIBER_DOMAIN}")
               .values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        with transaction.atomic():
            for model in (Notification, OutboundEmail):
                model.objects.filter(recipient_id__in=chunk)._raw_delete(connection.alias)
            User.objects.filter(pk__in=chunk).delete()
    log(f"  subscribers deleted in {time.perf_counter() - started:.0f} s")


def reference_insert(recipient_ids, demand):
    """Seconds to ``bulk_create`` one inbox line per recipient (rolled back)."""
    from notifications.models import Notification

    seconds = None
    try:
        with transaction.atomic():
            started = time.perf_counter()
            Notification.objects.bulk_create(
                [Notification(recipient_id=pk, kind="bench.reference", text=demand.title,
                              url=demand.get_absolute_url(),
                              idempotency_key=f"bench.reference:{pk}:{demand.pk}")
                 for pk in recipient_ids], batch_size=5000)
            seconds = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return seconds


def run(report, *, subscribers, log=print):
    from demands.enums import DemandStatus
    from demands.services import transition
    from notifications.models import Notification, OutboundEmail
    from push.fanout import fan_out
    from push.models import PublicationPush

    demand = _demand_to_publish()
    try:
        kept = existing_subscribers(subscribers, demand)
        if kept is None:
            delete_subscribers(log)
            matching, others = create_subscribers(subscribers, demand, log=log)
        else:
            delete_deliveries(log)  # of a run that stopped early
            matching, others = kept
            log(f"  reusing {len(matching):,} matching and {len(others):,} other subscribers")
        staff = torch_staff()
        # Publishing also ranks the demand's recommendations (eagerly here). A compute worker
        # builds its achievement index once per process, and the matching step measures that
        # build; left cold, it would be counted here once the matching step's library of 100k
        # achievements is in the kept database (45 s instead of 13 s).
        from matching.services.recommend import current_index

        current_index()
        started = time.perf_counter()
        transition(demand, DemandStatus.PUBLISHED, actor=staff)
        notified = fan_out(demand.pk)
        seconds = time.perf_counter() - started
        push = PublicationPush.objects.get(demand=demand)
        lines = Notification.objects.filter(kind="demand.published",
                                            target_object_id=str(demand.pk))
        total = lines.count()
        distinct = lines.values("recipient_id").distinct().count()
        expected = set(matching)
        got = set(lines.values_list("recipient_id", flat=True))
        emails = OutboundEmail.objects.filter(kind="demand.published",
                                              idempotency_key__endswith=f":demand:{demand.pk}")
        email_count = emails.count()
        log(f"  published and fanned out in {seconds:.1f} s: {total:,} inbox lines "
            f"({distinct:,} recipients), {email_count:,} e-mails; push {push.state}, "
            f"matched {push.matched}, notified {push.notified} (fan_out returned {notified})")
        reference = reference_insert(matching, demand)
        exact = (total == len(matching) and distinct == total and got == expected
                 and not (got & set(others)) and email_count == total)
        ratio = ratio_of(seconds, reference)
        report.add(Row(step="5", name=f"fan-out to {len(matching):,} subscribers",
                       value=f"{seconds:.1f} s", reference=f"{reference:.1f} s",
                       ratio=ratio, goal="each exactly once", ok=exact,
                       note=(f"{total:,} inbox lines for {distinct:,} recipients, "
                             f"{email_count:,} e-mails, {len(got & set(others))} to "
                             f"non-matching users; reference: bulk_create of {len(matching):,} "
                             f"inbox lines; Celery eager (the fan-out runs inside the "
                             f"publishing call)")))
        push_seconds = ((push.finished_at - push.started_at).total_seconds()
                        if push.finished_at and push.started_at else None)
        report.details["fanout"] = {
            "subscribers": len(matching), "others": len(others), "seconds": seconds,
            "push_run_seconds": push_seconds, "inbox_lines": total, "recipients": distinct,
            "emails": email_count, "reference_seconds": reference, "push_state": push.state,
            "matched": push.matched, "notified": push.notified, "fan_out_returned": notified,
            "exactly_once": exact,
        }
    finally:
        delete_deliveries(log)
        from demands.generators import generated_organisations

        organisation = demand.organisation_id
        with transaction.atomic():
            type(demand).objects.filter(pk=demand.pk).delete()
            generated_organisations().filter(pk=organisation).delete()
