"""Live-round pages: the judge's phone page (saved as typed, locked on submit), the printed
sheet, the host's progress view, consent and selection through the pages, 404 for strangers,
query counts pinned."""

import pytest
from django.urls import reverse

from matching.enums import JudgeKind, RoundState, SheetState
from matching.models import ScoreSheet
from matching.services import rounds
from tests.factories.accounts import UserFactory
from tests.factories.contests import HostMembershipFactory

from .rounds_fixtures import invite_experts

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoring(live_round, host_organiser):
    judges = invite_experts(live_round, host_organiser, 3)
    rounds.open_scoring(live_round, actor=host_organiser)
    live_round.refresh_from_db()
    return live_round, judges


def url(name, live_round, **kwargs):
    return reverse(f"matching:{name}", kwargs={"pk": live_round.pk, **kwargs})


def test_strangers_get_404_on_every_round_page(client, scoring, stranger, other_host_organiser):
    live_round, judges = scoring
    entry = live_round.entries.first()
    pages = [url("round_detail", live_round), url("round_progress", live_round),
             url("round_score", live_round, entry=entry.pk),
             url("round_sheet", live_round, judge=judges[0].pk),
             url("round_score_start", live_round)]
    for user in (stranger, other_host_organiser):
        client.force_login(user)
        for page in pages:
            assert client.get(page).status_code == 404, page
        assert client.post(url("round_select", live_round),
                           {"entry": entry.pk}).status_code == 404
    client.logout()
    assert client.get(url("round_detail", live_round)).status_code == 404


def test_a_public_round_opens_to_everyone_but_sheets_stay_private(client, live_round,
                                                                  demand_owner, contenders,
                                                                  host_organiser):
    from .test_rounds import consent_all

    judge = invite_experts(live_round, host_organiser, 1)[0]
    consent_all(live_round, demand_owner, contenders)
    response = client.get(url("round_detail", live_round))
    assert response.status_code == 200
    assert judge.user.email not in response.content.decode()
    assert live_round.title in client.get(reverse("matching:rounds")).content.decode()
    client.force_login(UserFactory())
    assert client.get(url("round_sheet", live_round, judge=judge.pk)).status_code == 404


def test_judge_scores_as_typed_then_submits_and_is_locked(client, scoring):
    live_round, judges = scoring
    judge = judges[0]
    entry = live_round.entries.first()
    criteria = list(live_round.criteria.all())
    client.force_login(judge.user)
    page = url("round_score", live_round, entry=entry.pk)
    assert client.get(url("round_score_start", live_round))["Location"] == page
    response = client.get(page)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'inputmode="decimal"' in body and "js/rounds.js" in body and "<script>" not in body

    # what the script sends while the judge types
    saved = client.post(page, {f"c{criteria[0].pk}": "88", "action": "save"},
                        HTTP_X_REQUESTED_WITH="fetch")
    assert saved.status_code == 200 and saved.json() == {"saved": True}
    bad = client.post(page, {f"c{criteria[1].pk}": "120", "action": "save"},
                      HTTP_X_REQUESTED_WITH="fetch")
    assert bad.status_code == 400 and bad.json()["field"] == f"c{criteria[1].pk}"

    # submitting with a missing score keeps what was typed
    response = client.post(page, {f"c{criteria[0].pk}": "88", f"c{criteria[1].pk}": "77",
                                  "signed_name": "张评委", "action": "submit"})
    assert response.status_code == 400
    assert 'value="77"' in response.content.decode()

    response = client.post(page, {f"c{criteria[0].pk}": "88", f"c{criteria[1].pk}": "77",
                                  f"c{criteria[2].pk}": "66", "signed_name": "张评委",
                                  "comment": "方案扎实", "action": "submit"})
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(judge=judge, entry=entry)
    assert sheet.state == SheetState.SUBMITTED and rounds.verify(sheet)
    locked = client.post(page, {f"c{criteria[0].pk}": "10", "action": "save"},
                         HTTP_X_REQUESTED_WITH="fetch")
    assert locked.status_code == 400
    sheet.refresh_from_db()
    assert sheet.scores.get(criterion=criteria[0]).value == 88

    printed = client.get(url("round_sheet", live_round, judge=judge.pk)).content.decode()
    assert sheet.digest in printed and "张评委" in printed and "方案扎实" in printed


def test_conflicted_judge_sees_no_form(client, scoring):
    live_round, judges = scoring
    entry = live_round.entries.first()
    rounds.declare_conflict(judges[0], entry, reason="同门", actor=judges[0].user)
    client.force_login(judges[0].user)
    page = url("round_score", live_round, entry=entry.pk)
    assert "<form" not in client.get(page).content.decode().split("score-tabs")[-1].split(
        "form-actions")[0]
    response = client.post(page, {"action": "save", "comment": "x"},
                           HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 400


def test_query_counts_of_the_judge_page_and_the_progress_view(client, scoring,
                                                              host_organiser,
                                                              django_assert_max_num_queries,
                                                              published_demand):
    live_round, judges = scoring

    def measure():
        client.force_login(judges[0].user)
        page = url("round_score", live_round, entry=live_round.entries.first().pk)
        with django_assert_max_num_queries(20):
            assert client.get(page).status_code == 200
        client.force_login(host_organiser)
        with django_assert_max_num_queries(15):
            assert client.get(url("round_progress", live_round)).status_code == 200

    measure()
    # more judges, more sheets: the same counts
    judges += invite_experts(live_round, host_organiser, 5)
    for judge in judges:
        for entry in live_round.entries.all():
            rounds.save_scores(live_round, entry, user=judge.user,
                               values={live_round.criteria.first().pk: "50"})
    measure()


def test_host_progress_shows_who_scored_whom(client, scoring, host_organiser):
    live_round, judges = scoring
    entries = list(live_round.entries.all())
    rounds.declare_conflict(judges[1], entries[0], reason="同门", actor=judges[1].user)
    rounds.save_scores(live_round, entries[0], user=judges[0].user,
                       values={live_round.criteria.first().pk: "70"})
    client.force_login(host_organiser)
    body = client.get(url("round_progress", live_round)).content.decode()
    assert body.count('class="progress-draft"') == 1
    assert body.count('class="progress-conflict"') == 1
    assert body.count('class="progress-none"') == 3 * len(entries) - 2
    assert 'data-minutes="8"' in body and "js/rounds.js" in body


def test_consent_and_selection_through_the_pages(client, live_round, demand_owner, contenders,
                                                 host_organiser):
    client.force_login(demand_owner)
    organisation = live_round.demand.organisation
    response = client.post(url("round_consent", live_round),
                           {"organisation": organisation.pk, "given": "yes"})
    assert response.status_code == 302
    assert live_round.consents.get(organisation=organisation).given
    # a challenger cannot answer for the demand side
    client.force_login(contenders[0][0])
    client.post(url("round_consent", live_round), {"organisation": organisation.pk,
                                                   "given": "no"})
    assert live_round.consents.get(organisation=organisation).given

    judge = rounds.invite_judge(live_round, UserFactory(roles=["expert"]),
                                kind=JudgeKind.EXPERT, actor=host_organiser)
    rounds.open_scoring(live_round, actor=host_organiser)
    for entry in live_round.entries.all():
        rounds.save_scores(live_round, entry, user=judge.user,
                           values={c.pk: str(60 + entry.position) for c
                                   in live_round.criteria.all()})
        rounds.submit_sheet(live_round, entry, user=judge.user, signed_name="评委")
    client.force_login(host_organiser)
    client.post(url("round_state", live_round), {"to": "finish"})
    live_round.refresh_from_db()
    assert live_round.state == RoundState.FINISHED
    client.force_login(demand_owner)
    body = client.get(url("round_detail", live_round)).content.decode()
    assert "Normalised rank" in body or "标准化" in body
    winner = live_round.entries.order_by("-position").first()
    response = client.post(url("round_select", live_round), {"entry": winner.pk})
    live_round.refresh_from_db()
    assert response["Location"] == live_round.agreement.get_absolute_url()


def test_only_the_units_staff_create_rounds(client, published_demand, contenders,
                                            host_organiser):
    page = reverse("matching:round_create", kwargs={"ref": published_demand.ref})
    other = HostMembershipFactory().user
    client.force_login(other)
    assert client.get(page).status_code == 404
    client.force_login(host_organiser)
    solutions = [s for _m, s in contenders]
    response = client.post(page, {
        "title": "现场赛", "starts_at": "2027-01-10T09:30", "venue": "高新会议中心", "link": "",
        "solutions": [s.pk for s in solutions[:2]],
        "docking_agenda": "需求介绍 | 10\n问答 | 20", "pitch_minutes": "8",
        "score_min": "0", "score_max": "100"})
    assert response.status_code == 302
    created = published_demand.live_rounds.get()
    assert [i.minutes for i in created.agenda.order_by("part", "position")] == [10, 20, 8, 8]
    bad = client.post(page, {"title": "x", "starts_at": "2027-01-10T09:30", "venue": "v",
                             "solutions": [solutions[0].pk], "docking_agenda": "问答 20",
                             "pitch_minutes": "8", "score_min": "0", "score_max": "100"})
    assert bad.status_code == 200 and "问答 20" in bad.content.decode()


def test_links_on_the_demand_pages_and_the_workspace(client, live_round, host_organiser,
                                                     contenders, stranger, demand_owner):
    from matching.links import demand_links

    demand = live_round.demand
    host_links = demand_links(host_organiser, ref=demand.ref, demand=demand, page="private")
    assert (live_round.title in host_links[0][0]
            and host_links[-1][1] == reverse("matching:round_create", args=[demand.ref]))
    member = contenders[0][0]
    assert [u for _l, u in demand_links(member, ref=demand.ref, page="public")] == [
        live_round.get_absolute_url()]
    assert demand_links(stranger, ref=demand.ref, page="public") == []
    client.force_login(member)
    body = client.get(reverse("accounts:dashboard")).content.decode()
    assert reverse("matching:rounds") in body


def test_the_demand_side_stays_anonymous_to_challengers(client, live_round, contenders,
                                                        demand_owner, host_organiser):
    rounds.invite_judge(live_round, demand_owner, kind=JudgeKind.DEMAND_SIDE,
                        actor=host_organiser)
    name = live_round.demand.organisation.name
    client.force_login(contenders[0][0])
    body = client.get(url("round_detail", live_round)).content.decode()
    assert name not in body and demand_owner.email not in body
    client.force_login(host_organiser)
    assert name in client.get(url("round_detail", live_round)).content.decode()
