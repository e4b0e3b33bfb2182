"""The leak sources of today's apps (registry in ``tests/harness/leaks.py``). A later app adds
its own ``register(LeakSource(...))`` here, reading canaries from objects it adds to the
world."""

import json

from notifications.models import Notification, OutboundEmail
from push.fanout import fan_out
from push.models import WebhookDelivery
from tests.harness.leaks import LeakSource, register
from tests.harness.world import (
    CANARIES,
    COMPLAINT_CANARY,
    HIDDEN_PASSAGE,
    PRIVATE_QUESTION,
    PUBLISHED_ANSWER,
    ROUND_CANARY,
    SOLUTION_CANARY,
    STAFF_ACHIEVEMENT,
    SUBSIDY_CANARY,
    SUBSIDY_POLICY_TITLE,
)


def _demand_canaries(world):
    phone = CANARIES["phone"] if "phone" in CANARIES else None
    values = [str(value) for value in CANARIES.values()]
    values += [HIDDEN_PASSAGE, HIDDEN_PASSAGE[:2], "CANARY", "金丝雀", "canary-mail"]
    if phone:
        values.append(f"{phone[:3]}****{phone[-4:]}")  # a masked mobile is still the mobile
    return values


def _demand_substitutes(world):
    snapshot = world.objects["demand"].public_snapshot
    return [snapshot["public_name"], snapshot["title"]]


def _demand_seeds(world):
    return ["/demands/", "/demands/feed/", "/demands/feed/atom/", "/demands/export.csv"]


def _demand_push(world):
    """Fan the world's published demand out to its subscribers and webhooks; answer what that
    wrote: inbox lines, queued e-mails and webhook payloads (nothing is sent)."""
    demand = world.objects["demand"]
    fan_out(demand.pk)
    texts = [
        f"inbox: {text} {url}"
        for text, url in Notification
        .objects.filter(kind="demand.published")
        .values_list("text", "url")
    ]
    texts += [
        f"e-mail: {subject}\n{body}"
        for subject, body in OutboundEmail.objects.values_list("subject", "body")
    ]
    texts += [
        "webhook: " + json.dumps(payload, ensure_ascii=False)
        for payload in WebhookDelivery
        .objects.filter(demand=demand)
        .values_list("payload", flat=True)
    ]
    return texts


register(
    LeakSource(
        name="demands",
        canaries=_demand_canaries,
        substitutes=_demand_substitutes,
        seeds=_demand_seeds,
        notify=_demand_push,
    )
)


# Solutions are never public; a clarification's question is private unless the owner publishes
# it reworded, with its answer and without the asker's identity.
register(
    LeakSource(
        name="solutions",
        canaries=lambda world: [SOLUTION_CANARY, PRIVATE_QUESTION,
                                world.objects["solution"].title,
                                world.objects["user_challenger_granted"].email],
        substitutes=lambda world: [PUBLISHED_ANSWER],
        seeds=lambda world: [f"/solutions/demand/{world.objects['demand'].ref}/questions/"],
    )
)


# The achievement library: a staff-only achievement is seen by its holder's members, host and
# Torch staff, never in the public library, its search, or a recommendation shown to the demand
# owner or an agency.
register(
    LeakSource(
        name="matching",
        canaries=lambda world: [STAFF_ACHIEVEMENT, "MATCHLEAK"],
        substitutes=lambda world: [world.objects["achievement"].title],
        seeds=lambda world: ["/matching/achievements/", "/matching/achievements/?q=涂层"],
    )
)


def _complaint_canaries(world):
    """The description of the world's complaint, and who filed it (anonymous to the party
    complained about)."""
    complaint = world.objects["complaint"]
    return [COMPLAINT_CANARY, "CANARYCOMPLAINT", complaint.complainant.email]


register(
    LeakSource(
        name="complaints",
        canaries=_complaint_canaries,
        substitutes=lambda world: [],
        seeds=lambda world: ["/complaints/"],
    )
)


def _api_seeds(world):
    """Every endpoint of the open-data API (one list and one detail of each resource, from the
    resources' registry, so a new resource is crawled as soon as it is listed), its document,
    and an API search for each canary."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from api.resources import resources

    details = {
        "demands": {"ref": world.objects["demand"].ref},
        "events": {"number": world.objects["event"].number},
        "host-units": {"slug": world.objects["unit"].slug},
        "notices": {"id": world.objects["published_notice"].pk},
        "achievements": {"id": world.objects["achievement"].pk},
    }
    seeds = [reverse("api:index"), reverse("api:schema"), reverse("api:docs")]
    for resource in resources():
        seeds.append(reverse(f"api:{resource.name}-list"))
        # A resource without a detail object here fails loudly: add its object to the world.
        seeds.append(reverse(f"api:{resource.name}-detail", kwargs=details[resource.name]))
    seeds += [f"{reverse('api:demands-list')}?{urlencode({'q': canary})}"
              for canary in _demand_canaries(world)]
    # The staff-only achievement: by its id, and searched for by its title and its words.
    staff_only = world.objects["staff_achievement"]
    seeds.append(reverse("api:achievements-detail", kwargs={"id": staff_only.pk}))
    seeds += [f"{reverse('api:achievements-list')}?{urlencode({'q': query})}"
              for query in (STAFF_ACHIEVEMENT, "MATCHLEAK", "矩阵内部成果", "涂层")]
    seeds.append(f"{reverse('api:achievements-list')}?updated_since=2000-01-01")
    return seeds


register(
    LeakSource(
        name="api",
        canaries=_demand_canaries,
        substitutes=lambda world: [world.objects["demand"].public_snapshot["public_name"]],
        seeds=_api_seeds,
    )
)


# A closed live round is seen by its participants, judges, host and Torch staff only: never in
# the public list of rounds, on the demand's public page or in a search.
register(
    LeakSource(
        name="live_rounds",
        canaries=lambda world: [ROUND_CANARY, "ROUNDLEAK"],
        substitutes=lambda world: [],
        seeds=lambda world: ["/matching/rounds/",
                             f"/matching/rounds/{world.objects['live_round'].pk}/"],
    )
)


# A host unit's subsidy policies are public in summary; an application (its justification, its
# supporting files) is seen by the applying organisation, the unit's staff and Torch staff only.
register(
    LeakSource(
        name="subsidies",
        canaries=lambda world: [SUBSIDY_CANARY, "CANARYSUBSIDY"],
        substitutes=lambda world: [SUBSIDY_POLICY_TITLE],
        seeds=lambda world: [f"/awards/subsidies/units/{world.objects['unit'].slug}/"],
    )
)
